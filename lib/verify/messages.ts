/**
 * One readable sentence from the errors the JSON-LD stack throws: jsonld.js wraps the cause of a failed context load
 * or a safe-mode violation in `details`, several layers deep, under a generic top-level message.
 */
export function errorMessage(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as Error & { details?: Record<string, unknown> }).details;
  const event = details?.event as { message?: string; details?: Record<string, unknown> } | undefined;
  if (event?.message) {
    const term = event.details?.property ?? event.details?.term ?? event.details?.type;
    return term ? `${event.message} (${String(term)})` : event.message;
  }
  const cause = details?.cause ?? (error as Error & { cause?: unknown }).cause;
  if (cause && depth < 4) return errorMessage(cause, depth + 1);
  const url = details?.url;
  return typeof url === 'string' && !error.message.includes(url) ? `${error.message} (${url})` : error.message;
}
