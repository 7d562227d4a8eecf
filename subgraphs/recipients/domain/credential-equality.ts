/**
 * The Open Badges 3.0 equality rule (OB 3.0 "Equality and comparison"): two credentials with the same issuer id and
 * the same credential id are the same credential, and the one with the newer `validFrom` supersedes the other.
 */

/** An id as the rule compares it: trimmed and percent-unescaped, so `…/badge%201` and `…/badge 1` are one id. */
export function equalityUri(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    return decodeURIComponent(trimmed).trim();
  } catch {
    // A stray `%` is not an escape: the id is compared as written rather than refused.
    return trimmed;
  }
}

/** What an import does to a wallet that may already hold an equal credential. */
export type ImportOutcome = 'NEW' | 'REPLACE' | 'DUPLICATE';

/**
 * NEW when nothing equal is held; REPLACE when the incoming credential is strictly newer (a re-issue: new dates,
 * corrected data); otherwise DUPLICATE. A credential without a validFrom counts as the oldest, so an undated copy
 * never displaces a dated one, and of two undated copies the first one stays.
 */
export function decideImport(held: { validFrom: Date | null } | null, incoming: { validFrom: Date | null }): ImportOutcome {
  if (!held) return 'NEW';
  const heldTime = held.validFrom?.getTime() ?? Number.NEGATIVE_INFINITY;
  const incomingTime = incoming.validFrom?.getTime() ?? Number.NEGATIVE_INFINITY;
  return incomingTime > heldTime ? 'REPLACE' : 'DUPLICATE';
}
