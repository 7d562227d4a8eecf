/** What canonicalising a document came to: its N-Quads, or the error (name, message and jsonld event code). */
export type CanonicalOutcome = { nquads: string } | { error: string };

/** Runs a canonicalisation and captures either result, so the fast and stock paths can be compared for equality. */
export async function canonicalOutcome(run: () => Promise<string>): Promise<CanonicalOutcome> {
  try {
    return { nquads: await run() };
  } catch (error) {
    const { name, message, details } = error as Error & { details?: { event?: { code?: string } } };
    return { error: `${name}: ${message} ${details?.event?.code ?? ''}`.trim() };
  }
}
