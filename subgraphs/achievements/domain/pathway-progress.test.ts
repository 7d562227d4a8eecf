import { describe, expect, test } from 'vitest';
import { applyHoldingChange, planAward } from './pathway-awards.js';
import { acceptsCredential, evaluatePathway, skillKey, type HeldCredential } from './pathway-progress.js';
import { normaliseRequirement, type RequirementInput } from './pathway-requirement.js';

const A = (n: number) => `0190a0a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const leaf = (n: number, minResult?: number): RequirementInput => ({ kind: 'ACHIEVEMENT', achievement: A(n), minResult: minResult ?? null });
const NOW = new Date('2026-06-01T00:00:00Z');
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

let serial = 0;
function held(achievement: number, earnedDay: number, extra: Partial<HeldCredential> = {}): HeldCredential {
  serial += 1;
  return {
    credentialId: `c${String(serial).padStart(4, '0')}`,
    achievementId: A(achievement),
    achievementUrl: `https://hub.example/achievements/${A(achievement)}/versions/1`,
    skills: [],
    results: [],
    earnedAt: day(earnedDay),
    validUntil: null,
    status: 'ACTIVE',
    accepted: true,
    ...extra,
  };
}

const pathway = (requirement: RequirementInput, windowMonths: number | null = null) => ({ requirement: normaliseRequirement(requirement), windowMonths });

describe('requirement engine', () => {
  test('ALL_OF is satisfied when every child is, at the moment the last one was earned', () => {
    const p = pathway({ kind: 'ALL_OF', children: [leaf(1), leaf(2), leaf(3)] });
    const partial = evaluatePathway(p, [held(1, 1), held(2, 5)], NOW);
    expect(partial).toMatchObject({ satisfied: false, percent: 66, next: ['r.2'] });
    const done = evaluatePathway(p, [held(1, 1), held(2, 5), held(3, 3)], NOW);
    expect(done).toMatchObject({ satisfied: true, percent: 100, completedAt: day(5), next: [] });
    expect(done.credentialIds).toHaveLength(3);
  });

  test('N_OF is satisfied by any n of its children; the credentials named are those of the first n', () => {
    const p = pathway({ kind: 'N_OF', n: 2, children: [leaf(1), leaf(2), leaf(3)] });
    expect(evaluatePathway(p, [held(3, 9)], NOW)).toMatchObject({ satisfied: false, percent: 50, next: ['r.0', 'r.1'] });
    const first = held(3, 2);
    const second = held(1, 4);
    const done = evaluatePathway(p, [first, second, held(2, 8)], NOW);
    expect(done).toMatchObject({ satisfied: true, completedAt: day(4) });
    expect(done.credentialIds.sort()).toEqual([first.credentialId, second.credentialId].sort());
  });

  test('SEQUENCE earned in order completes, and says which element the recipient is on', () => {
    const p = pathway({ kind: 'SEQUENCE', children: [leaf(1), leaf(2), leaf(3)] });
    const onSecond = evaluatePathway(p, [held(1, 1)], NOW);
    expect(onSecond.root.currentStep).toBe(1);
    expect(onSecond.next).toEqual(['r.1']);
    expect(evaluatePathway(p, [held(1, 1), held(2, 2), held(3, 3)], NOW)).toMatchObject({ satisfied: true, completedAt: day(3) });
  });

  test('SEQUENCE earned out of order does not complete: an element counts only after the previous one', () => {
    const p = pathway({ kind: 'SEQUENCE', children: [leaf(1), leaf(2), leaf(3)] });
    const progress = evaluatePathway(p, [held(1, 1), held(3, 2), held(2, 3)], NOW);
    expect(progress.satisfied).toBe(false);
    expect(progress.root.currentStep).toBe(2);
    expect(progress.next).toEqual(['r.2']);
    // Earning step 3 again, after step 2, completes it.
    expect(evaluatePathway(p, [held(1, 1), held(3, 2), held(2, 3), held(3, 4)], NOW).satisfied).toBe(true);
  });

  test('SEQUENCE elements that are groups need all their parts after the previous element', () => {
    const p = pathway({ kind: 'SEQUENCE', children: [leaf(1), { kind: 'ALL_OF', children: [leaf(2), leaf(3)] }] });
    expect(evaluatePathway(p, [held(2, 1), held(1, 2), held(3, 3)], NOW).satisfied).toBe(false);
    expect(evaluatePathway(p, [held(1, 1), held(2, 2), held(3, 3)], NOW).satisfied).toBe(true);
  });

  test('nesting: ALL_OF of an N_OF and a SEQUENCE; next respects the inner sequence', () => {
    const p = pathway({ kind: 'ALL_OF', children: [{ kind: 'N_OF', n: 1, children: [leaf(1), leaf(2)] }, { kind: 'SEQUENCE', children: [leaf(3), leaf(4)] }] });
    const progress = evaluatePathway(p, [held(2, 1)], NOW);
    expect(progress.next).toEqual(['r.1.0']);
    expect(progress.percent).toBe(50);
    expect(evaluatePathway(p, [held(2, 1), held(3, 2), held(4, 3)], NOW).satisfied).toBe(true);
  });

  test('a skill leaf is satisfied by any credential aligned to the skill, whichever achievement it is', () => {
    const p = pathway({ kind: 'ALL_OF', children: [leaf(1), { kind: 'SKILL', skill: { framework: 'ESCO', code: 'S5.1' } }] });
    expect(evaluatePathway(p, [held(1, 1), held(9, 2, { skills: [skillKey('ESCO', 'S5.2')] })], NOW).satisfied).toBe(false);
    expect(evaluatePathway(p, [held(1, 1), held(9, 2, { achievementId: null, skills: [skillKey('ESCO', 'S5.1')] })], NOW).satisfied).toBe(true);
  });

  test('an achievement leaf named by its Achievement.id URL matches a credential embedding that id', () => {
    const url = 'https://other.example/ach/7';
    const p = pathway({ kind: 'ACHIEVEMENT', achievement: url });
    expect(evaluatePathway(p, [held(7, 1, { achievementId: null, achievementUrl: url })], NOW).satisfied).toBe(true);
  });

  test('a minimum result: a credential below it does not count, one at or above it does', () => {
    const p = pathway(leaf(1, 70));
    expect(evaluatePathway(p, [held(1, 1, { results: [69.5] })], NOW).satisfied).toBe(false);
    expect(evaluatePathway(p, [held(1, 1, { results: [69.5] }), held(1, 2, { results: [70] })], NOW).satisfied).toBe(true);
    expect(evaluatePathway(p, [held(1, 1)], NOW).satisfied).toBe(false);
  });

  test('a time window: completed only when some N-month window holds everything', () => {
    const p = pathway({ kind: 'ALL_OF', children: [leaf(1), leaf(2)] }, 3);
    expect(evaluatePathway(p, [held(1, 0), held(2, 120)], NOW).satisfied).toBe(false);
    expect(evaluatePathway(p, [held(1, 0), held(2, 120), held(1, 100)], NOW)).toMatchObject({ satisfied: true, completedAt: day(120) });
  });

  test('a time window: while incomplete, credentials older than the window are shown as outside it', () => {
    const p = pathway({ kind: 'ALL_OF', children: [leaf(1), leaf(2)] }, 2);
    const old = held(1, 0);
    const progress = evaluatePathway(p, [old, held(2, 140)], NOW);
    expect(progress.satisfied).toBe(false);
    expect(progress.root.children[0]!.lapsed).toEqual([{ credentialId: old.credentialId, reason: 'OUTSIDE_WINDOW' }]);
  });

  test('revocation un-satisfies a leaf, and progress says which credential and why', () => {
    const p = pathway({ kind: 'ALL_OF', children: [leaf(1), leaf(2)] });
    const revoked = held(2, 2, { status: 'REVOKED' });
    const progress = evaluatePathway(p, [held(1, 1), revoked], NOW);
    expect(progress.satisfied).toBe(false);
    expect(progress.root.children[1]!.lapsed).toEqual([{ credentialId: revoked.credentialId, reason: 'REVOKED' }]);
  });

  test('an expired credential does not count from its validUntil on', () => {
    const p = pathway(leaf(1));
    const expiring = held(1, 1, { validUntil: day(100) });
    expect(evaluatePathway(p, [expiring], day(99)).satisfied).toBe(true);
    expect(evaluatePathway(p, [expiring], day(100)).root.lapsed).toEqual([{ credentialId: expiring.credentialId, reason: 'EXPIRED' }]);
  });

  test('suspension and reinstatement: the holdings follow the events, and a revocation is final', () => {
    const credential = held(1, 1);
    let holdings = applyHoldingChange(new Map(), { kind: 'HELD', credential });
    holdings = applyHoldingChange(holdings, { kind: 'STATUS', credentialId: credential.credentialId, status: 'SUSPENDED', purpose: 'suspension' });
    expect(evaluatePathway(pathway(leaf(1)), [...holdings.values()], NOW).satisfied).toBe(false);
    holdings = applyHoldingChange(holdings, { kind: 'STATUS', credentialId: credential.credentialId, status: 'ACTIVE', purpose: 'suspension' });
    expect(evaluatePathway(pathway(leaf(1)), [...holdings.values()], NOW).satisfied).toBe(true);
    holdings = applyHoldingChange(holdings, { kind: 'STATUS', credentialId: credential.credentialId, status: 'REVOKED', purpose: 'revocation' });
    holdings = applyHoldingChange(holdings, { kind: 'STATUS', credentialId: credential.credentialId, status: 'ACTIVE', purpose: 'suspension' });
    holdings = applyHoldingChange(holdings, { kind: 'HELD', credential });
    expect(holdings.get(credential.credentialId)!.status).toBe('REVOKED');
  });

  test('merge: the survivor’s progress counts the credentials of both records', () => {
    const p = pathway({ kind: 'ALL_OF', children: [leaf(1), leaf(2)] });
    const survivor = [held(1, 1)];
    const merged = [held(2, 2)];
    expect(evaluatePathway(p, survivor, NOW).satisfied).toBe(false);
    expect(evaluatePathway(p, [...survivor, ...merged], NOW).satisfied).toBe(true);
  });

  test('milestones: a group carrying one is reached when it is satisfied, with the credentials that did it', () => {
    const milestone = A(50);
    const p = pathway({ kind: 'SEQUENCE', children: [{ kind: 'ALL_OF', milestoneAchievementId: milestone, children: [leaf(1), leaf(2)] }, leaf(3)] });
    const progress = evaluatePathway(p, [held(1, 1), held(2, 2)], NOW);
    expect(progress.satisfied).toBe(false);
    expect(progress.milestones).toEqual([{ nodeId: 'r.0', achievementId: milestone, satisfiedAt: day(2), credentialIds: expect.any(Array) }]);
    expect(evaluatePathway(p, [held(1, 1)], NOW).milestones).toEqual([]);
  });

  test('a credential the pathway does not accept does not count, and is reported as not accepted', () => {
    const outside = held(1, 1, { accepted: false });
    expect(evaluatePathway(pathway(leaf(1)), [outside], NOW).root.lapsed).toEqual([{ credentialId: outside.credentialId, reason: 'NOT_ACCEPTED' }]);
  });
});

describe('acceptance of outside credentials', () => {
  const outside = { local: false, issuerId: null, issuerRef: 'did:web:uni.example', verified: true, trusted: false };
  test('this hub’s delivered credentials always count', () => {
    expect(acceptsCredential({ mode: 'NONE' }, { ...outside, local: true })).toBe(true);
  });
  test('NONE takes no outside credential; a LIST takes those of the issuers named; TRUSTED those the operator trusts', () => {
    expect(acceptsCredential({ mode: 'NONE' }, outside)).toBe(false);
    expect(acceptsCredential({ mode: 'LIST', issuers: ['did:web:uni.example'] }, outside)).toBe(true);
    expect(acceptsCredential({ mode: 'LIST', issuers: ['did:web:other.example'] }, outside)).toBe(false);
    expect(acceptsCredential({ mode: 'TRUSTED' }, outside)).toBe(false);
    expect(acceptsCredential({ mode: 'TRUSTED' }, { ...outside, trusted: true })).toBe(true);
  });
  test('an outside credential that did not verify never counts', () => {
    expect(acceptsCredential({ mode: 'LIST', issuers: ['did:web:uni.example'] }, { ...outside, verified: false })).toBe(false);
  });
});

describe('revocation policy', () => {
  test('a requirement met for the first time is awarded once', () => {
    expect(planAward(null, true, 'KEEP')).toBe('AWARD');
    expect(planAward({ standing: 'ACTIVE' }, true, 'KEEP')).toBeNull();
    expect(planAward(null, false, 'SUSPEND')).toBeNull();
  });
  test('KEEP keeps, FLAG flags, SUSPEND suspends when the requirement lapses; meeting it again undoes the flag or suspension', () => {
    expect(planAward({ standing: 'ACTIVE' }, false, 'KEEP')).toBeNull();
    expect(planAward({ standing: 'ACTIVE' }, false, 'FLAG')).toBe('FLAG');
    expect(planAward({ standing: 'ACTIVE' }, false, 'SUSPEND')).toBe('SUSPEND');
    expect(planAward({ standing: 'SUSPENDED' }, false, 'SUSPEND')).toBeNull();
    expect(planAward({ standing: 'FLAGGED' }, true, 'FLAG')).toBe('UNFLAG');
    expect(planAward({ standing: 'SUSPENDED' }, true, 'SUSPEND')).toBe('REINSTATE');
  });
});
