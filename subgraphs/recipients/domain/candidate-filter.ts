import { skillsOfAlignments } from './credential-skills.js';

/** CURRENT: inside its validity window now. EXPIRED: past validUntil. ANY: both (and not yet valid ones). */
export type ValidityFilterValue = 'CURRENT' | 'EXPIRED' | 'ANY';

export interface CandidateCredentialFilter {
  /** Only credentials aligned to this skill code (any framework), e.g. an ESCO concept URI or an O*NET code. */
  skillCode?: string | null;
  /** Only credentials of this hub issuer (its id), or whose issuer the credential names as this DID/URL. */
  issuer?: string | null;
  validity?: ValidityFilterValue | null;
}

interface FilterableCredential {
  issuerId: string | null;
  issuerUri: string | null;
  skillAlignments: readonly unknown[];
  validFrom: Date | null;
  issuedAt: Date;
  validUntil: Date | null;
}

/** The ATS filters, applied to the candidate's visible credentials (a share or consent holds at most a wallet's worth). */
export function matchesFilter(credential: FilterableCredential, filter: CandidateCredentialFilter, now: Date): boolean {
  if (filter.issuer) {
    const wanted = filter.issuer.toLowerCase();
    if (credential.issuerId?.toLowerCase() !== wanted && credential.issuerUri?.toLowerCase() !== wanted) return false;
  }
  if (filter.skillCode && !skillsOfAlignments(credential.skillAlignments).some((skill) => skill.code === filter.skillCode)) return false;
  const validity = filter.validity ?? 'ANY';
  if (validity === 'ANY') return true;
  const expired = credential.validUntil !== null && credential.validUntil.getTime() <= now.getTime();
  const started = (credential.validFrom ?? credential.issuedAt).getTime() <= now.getTime();
  return validity === 'EXPIRED' ? expired : started && !expired;
}

/**
 * One Relay page of an already-loaded, ordered list; the cursor names the last id seen, so pages stay stable while
 * the list keeps its order. An `afterId` no longer in the list (revoked from a share) starts from the beginning.
 */
export function pageOfList<T extends { id: string }>(rows: readonly T[], request: { afterId: string | null; limit: number }): { rows: T[]; totalCount: number } {
  const start = request.afterId ? rows.findIndex((row) => row.id.toLowerCase() === request.afterId!.toLowerCase()) + 1 : 0;
  return { rows: rows.slice(start, start + request.limit), totalCount: rows.length };
}
