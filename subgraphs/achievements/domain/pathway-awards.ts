import type { HeldCredential, HoldingStatus } from './pathway-progress.js';

/**
 * What happens to an award once a credential it rests on is revoked or expires, and the holdings a recipient's
 * progress is computed from, changed one event at a time.
 */

/** KEEP the award as it is; FLAG it (progress and the employer view say it rests on a lapsed credential); SUSPEND it. */
export type RevocationPolicy = 'KEEP' | 'FLAG' | 'SUSPEND';
export const REVOCATION_POLICIES: readonly RevocationPolicy[] = ['KEEP', 'FLAG', 'SUSPEND'];

/** An award's standing: ACTIVE, FLAGGED (still valid, but rests on a lapsed credential), SUSPENDED (its status bit set). */
export type AwardStanding = 'ACTIVE' | 'FLAGGED' | 'SUSPENDED';

export type AwardAction = 'AWARD' | 'FLAG' | 'UNFLAG' | 'SUSPEND' | 'REINSTATE' | null;

/**
 * What to do with a recipient's award (or milestone) given whether its requirement holds now. An award is made once
 * (AWARD) and never taken back by this engine beyond the policy: a requirement met again undoes a FLAG or SUSPEND.
 */
export function planAward(award: { standing: AwardStanding } | null, satisfiedNow: boolean, policy: RevocationPolicy): AwardAction {
  if (!award) return satisfiedNow ? 'AWARD' : null;
  if (satisfiedNow) {
    if (award.standing === 'FLAGGED') return 'UNFLAG';
    if (award.standing === 'SUSPENDED') return 'REINSTATE';
    return null;
  }
  if (award.standing !== 'ACTIVE' || policy === 'KEEP') return null;
  return policy === 'FLAG' ? 'FLAG' : 'SUSPEND';
}

/** The standing an award has after an action. */
export function standingAfter(action: Exclude<AwardAction, null>): AwardStanding {
  if (action === 'FLAG') return 'FLAGGED';
  if (action === 'SUSPEND') return 'SUSPENDED';
  return 'ACTIVE';
}

/** A change to a recipient's holdings, as the projection reads it from an event. */
export type HoldingChange =
  | { kind: 'HELD'; credential: HeldCredential }
  | { kind: 'STATUS'; credentialId: string; status: HoldingStatus; purpose: 'revocation' | 'suspension' };

/**
 * One event applied to a recipient's holdings (keyed by credential id). Idempotent: applying the same change again
 * gives the same holdings, so a replayed log changes nothing. A revocation is final: a later reinstatement (only
 * suspensions can be lifted) or a re-delivery of the same credential does not undo it.
 */
export function applyHoldingChange(holdings: ReadonlyMap<string, HeldCredential>, change: HoldingChange): Map<string, HeldCredential> {
  const next = new Map(holdings);
  if (change.kind === 'HELD') {
    const existing = holdings.get(change.credential.credentialId);
    next.set(change.credential.credentialId, existing?.status === 'REVOKED' ? { ...change.credential, status: 'REVOKED' } : change.credential);
    return next;
  }
  const existing = holdings.get(change.credentialId);
  if (!existing || existing.status === 'REVOKED') return next;
  next.set(change.credentialId, { ...existing, status: change.status });
  return next;
}
