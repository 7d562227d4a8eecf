import type { MetricCredential } from './metric-batch.js';

/*
 * The cohort behind the share and verification rates (docs/metrics.md), pre-summed so a request reads a few hundred
 * or thousand rows instead of every credential of the period.
 *
 * For a period [from, to) of whole UTC days, with every timestamp taken as its UTC day, a credential is in the cohort
 * when from ≤ issued < to ≤ revoked (or never revoked), and a recipient counts in the share rate's denominator when
 * one of their cohort credentials was also delivered before `to`. Each such condition is a rectangle in the plane of
 * (from, to): from ≤ x and lo < to ≤ hi. A rectangle, and the union of a recipient's rectangles (a recipient counts
 * once however many credentials they hold), is a signed sum of quadrants [from ≤ x][to > y]; the quadrants' weights,
 * summed per (x, y) over every credential and recipient of a scope, are the cells of `metric_cohort_cells`, and
 * the cohort of any period is the sum of the cells with x ≥ from and y < to.
 */

export type CohortScopeKind = 'ISSUER' | 'ACHIEVEMENT';

export interface CohortWeights {
  /** Cohort credentials: issued in the period, not revoked before its end. */
  standing: number;
  /** Cohort credentials verified by a third party before the period's end. */
  verifiedCredentials: number;
  /** Third-party verifications (all recorded so far) of cohort credentials. */
  thirdPartyVerifications: number;
  /** Distinct recipients delivered ≥ 1 cohort credential before the period's end. */
  recipients: number;
  /** Those of them who shared ≥ 1 cohort credential before the period's end. */
  sharingRecipients: number;
}

/** One cell: its weights count for every period with from ≤ fromUntil and to > toAfter (UTC day numbers). */
export interface CohortCell extends CohortWeights {
  scopeKind: CohortScopeKind;
  scopeId: string;
  fromUntil: number;
  toAfter: number;
}

const DAY_MS = 86_400_000;
const WEIGHTS: ReadonlyArray<keyof CohortWeights> = ['standing', 'verifiedCredentials', 'thirdPartyVerifications', 'recipients', 'sharingRecipients'];

/** The UTC day number of an instant (days since 1970-01-01). */
const dayNumber = (at: Date): number => Math.floor(at.getTime() / DAY_MS);
export const dayOfNumber = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** [from ≤ x][lo < to ≤ hi] in the plane of periods; hi null: never ends. */
interface Rectangle {
  x: number;
  lo: number;
  hi: number | null;
}

/** Where the union of intervals (lo, hi] starts (+1 at lo) and ends (−1 at hi), the intervals merged first. */
function edges(intervals: ReadonlyArray<{ lo: number; hi: number | null }>): Map<number, number> {
  const sorted = [...intervals].sort((a, b) => a.lo - b.lo);
  const result = new Map<number, number>();
  let current: { lo: number; hi: number | null } | null = null;
  const close = () => {
    if (!current) return;
    result.set(current.lo, 1);
    if (current.hi !== null) result.set(current.hi, -1);
  };
  for (const { lo, hi } of sorted) {
    if (current && (current.hi === null || lo <= current.hi)) {
      current.hi = current.hi === null || hi === null ? null : Math.max(current.hi, hi);
    } else {
      close();
      current = { lo, hi };
    }
  }
  close();
  return result;
}

/**
 * The quadrant weights of a union of rectangles: weight w at (x, y) counts w for every period with from ≤ x and to > y.
 * For from in (x', x] (x' the next edge below), the union covers in `to` the merged intervals of the rectangles with
 * an edge ≥ x; a weight is how that cover's edges at x differ from those just above x (the mixed difference).
 */
export function unionQuadrants(rectangles: readonly Rectangle[]): Array<{ x: number; y: number; weight: number }> {
  const live = rectangles.filter((rectangle) => rectangle.hi === null || rectangle.hi > rectangle.lo);
  const xs = [...new Set(live.map(({ x }) => x))].sort((a, b) => b - a);
  const quadrants: Array<{ x: number; y: number; weight: number }> = [];
  let above = new Map<number, number>();
  for (const x of xs) {
    const here = edges(live.filter((rectangle) => rectangle.x >= x));
    for (const y of new Set([...here.keys(), ...above.keys()])) {
      const weight = (here.get(y) ?? 0) - (above.get(y) ?? 0);
      if (weight !== 0) quadrants.push({ x, y, weight });
    }
    above = here;
  }
  return quadrants;
}

/** A credential's scopes: its issuer, and its achievement when it has one. */
function scopesOf(credential: MetricCredential): Array<{ kind: CohortScopeKind; id: string }> {
  const scopes: Array<{ kind: CohortScopeKind; id: string }> = [{ kind: 'ISSUER', id: credential.issuerId.toLowerCase() }];
  if (credential.achievementId) scopes.push({ kind: 'ACHIEVEMENT', id: credential.achievementId.toLowerCase() });
  return scopes;
}

const day = (at: Date | null): number | null => (at ? dayNumber(at) : null);

/** Sums cells per (scope, x, y), adding `sign` times each weight. */
class CellSums {
  readonly cells = new Map<string, CohortCell>();

  add(scope: { kind: CohortScopeKind; id: string }, x: number, y: number, measure: keyof CohortWeights, weight: number): void {
    if (weight === 0) return;
    const key = `${scope.kind}|${scope.id}|${x}|${y}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { scopeKind: scope.kind, scopeId: scope.id, fromUntil: x, toAfter: y, standing: 0, verifiedCredentials: 0, thirdPartyVerifications: 0, recipients: 0, sharingRecipients: 0 };
      this.cells.set(key, cell);
    }
    cell[measure] += weight;
  }

  /** [from ≤ x][lo < to ≤ hi] with a weight, for each of the credential's scopes. */
  addRectangle(credential: MetricCredential, measure: keyof CohortWeights, lo: number, weight: number, sign: number): void {
    const x = dayNumber(credential.issuedAt);
    const hi = day(credential.revokedAt);
    if (hi !== null && hi <= lo) return;
    for (const scope of scopesOf(credential)) {
      this.add(scope, x, lo, measure, sign * weight);
      if (hi !== null) this.add(scope, x, hi, measure, -sign * weight);
    }
  }

  /** A credential's own cells: it is in the cohort, verified, and its verifications. */
  addCredential(credential: MetricCredential, sign: number): void {
    const issued = dayNumber(credential.issuedAt);
    this.addRectangle(credential, 'standing', issued, 1, sign);
    this.addRectangle(credential, 'thirdPartyVerifications', issued, credential.thirdPartyVerifications, sign);
    const verified = day(credential.firstThirdPartyVerifiedAt);
    if (verified !== null) this.addRectangle(credential, 'verifiedCredentials', Math.max(issued, verified), 1, sign);
  }

  /** A recipient's cells in each scope: the union of their credentials' rectangles, counted once. */
  addRecipient(credentials: readonly MetricCredential[], sign: number): void {
    const byScope = new Map<string, { scope: { kind: CohortScopeKind; id: string }; received: Rectangle[]; shared: Rectangle[] }>();
    for (const credential of credentials) {
      const delivered = day(credential.deliveredAt);
      if (delivered === null) continue;
      const x = dayNumber(credential.issuedAt);
      const hi = day(credential.revokedAt);
      const received = Math.max(x, delivered);
      const shared = day(credential.firstSharedAt);
      for (const scope of scopesOf(credential)) {
        const key = `${scope.kind}|${scope.id}`;
        const entry = byScope.get(key) ?? { scope, received: [], shared: [] };
        byScope.set(key, entry);
        entry.received.push({ x, lo: received, hi });
        if (shared !== null) entry.shared.push({ x, lo: Math.max(received, shared), hi });
      }
    }
    for (const { scope, received, shared } of byScope.values()) {
      for (const { x, y, weight } of unionQuadrants(received)) this.add(scope, x, y, 'recipients', sign * weight);
      for (const { x, y, weight } of unionQuadrants(shared)) this.add(scope, x, y, 'sharingRecipients', sign * weight);
    }
  }

  nonZero(): CohortCell[] {
    return [...this.cells.values()].filter((cell) => WEIGHTS.some((measure) => cell[measure] !== 0));
  }
}

const recipientOf = (credential: MetricCredential): string | null => credential.recipientId?.toLowerCase() ?? null;

function byRecipient(credentials: Iterable<MetricCredential>): Map<string, MetricCredential[]> {
  const groups = new Map<string, MetricCredential[]>();
  for (const credential of credentials) {
    const recipient = recipientOf(credential);
    if (recipient) groups.set(recipient, [...(groups.get(recipient) ?? []), credential]);
  }
  return groups;
}

/**
 * What a batch changes in the cells: its changed credentials' cells, after less before, and the cells of every
 * recipient who held one of them before or after it, after less before. `before` and `after` must each hold every
 * credential of those recipients (the batch's unchanged ones in both).
 */
export function cohortCellChanges(before: ReadonlyMap<string, MetricCredential>, after: ReadonlyMap<string, MetricCredential>, changed: Iterable<string>): CohortCell[] {
  const sums = new CellSums();
  const recipients = new Set<string>();
  for (const credentialId of changed) {
    const [old, now] = [before.get(credentialId), after.get(credentialId)];
    if (old) sums.addCredential(old, -1);
    if (now) sums.addCredential(now, 1);
    for (const recipient of [old && recipientOf(old), now && recipientOf(now)]) if (recipient) recipients.add(recipient);
  }
  for (const [states, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    for (const [recipient, held] of byRecipient(states.values())) if (recipients.has(recipient)) sums.addRecipient(held, sign);
  }
  return sums.nonZero();
}
