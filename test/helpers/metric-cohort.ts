import type { CohortCell, CohortWeights } from '../../subgraphs/verification/domain/cohort-cells.js';
import type { MetricCredential } from '../../subgraphs/verification/domain/metric-batch.js';

/* The share and verification rates' cohort computed from scratch, to check the cohort cells against. */

const DAY_MS = 86_400_000;

/** The cohort as docs/metrics.md defines it, counted from the per-credential rows (what the query computed before cells). */
export function cohortOf(credentials: readonly MetricCredential[], scope: { kind: 'ISSUER' | 'ACHIEVEMENT'; id: string }, from: Date, to: Date): CohortWeights {
  const cohort = credentials.filter(
    (credential) =>
      (scope.kind === 'ISSUER' ? credential.issuerId : credential.achievementId) === scope.id &&
      credential.issuedAt >= from &&
      credential.issuedAt < to &&
      (!credential.revokedAt || credential.revokedAt >= to),
  );
  const received = cohort.filter((credential) => credential.recipientId && credential.deliveredAt && credential.deliveredAt < to);
  return {
    standing: cohort.length,
    verifiedCredentials: cohort.filter((credential) => credential.firstThirdPartyVerifiedAt && credential.firstThirdPartyVerifiedAt < to).length,
    thirdPartyVerifications: cohort.reduce((sum, credential) => sum + credential.thirdPartyVerifications, 0),
    recipients: new Set(received.map((credential) => credential.recipientId)).size,
    sharingRecipients: new Set(received.filter((credential) => credential.firstSharedAt && credential.firstSharedAt < to).map((credential) => credential.recipientId)).size,
  };
}

/** The cells' answer for [from, to): the cells with fromUntil ≥ from and toAfter < to, summed. */
export function sumCells(cells: Iterable<CohortCell>, scope: { kind: 'ISSUER' | 'ACHIEVEMENT'; id: string }, from: Date, to: Date): CohortWeights {
  const sum: CohortWeights = { standing: 0, verifiedCredentials: 0, thirdPartyVerifications: 0, recipients: 0, sharingRecipients: 0 };
  for (const cell of cells) {
    if (cell.scopeKind !== scope.kind || cell.scopeId !== scope.id || cell.fromUntil < from.getTime() / DAY_MS || cell.toAfter >= to.getTime() / DAY_MS) continue;
    for (const measure of Object.keys(sum) as Array<keyof CohortWeights>) sum[measure] += cell[measure];
  }
  return sum;
}
