import { describe, expect, test } from 'vitest';
import { applyHoldingChange, type HoldingChange } from './pathway-awards.js';
import { evaluatePathway, skillKey, type HeldCredential, type HoldingStatus } from './pathway-progress.js';
import { normaliseRequirement, type RequirementInput } from './pathway-requirement.js';
import { seededRandom } from '../../../lib/seeded-random.js';

// Properties over generated trees and event histories, from a seeded PRNG so a failure names the seed that reproduces
// it (fast-check is not among the dependencies; see docs/decisions.md).

const ACHIEVEMENTS = 6;
const SKILLS = ['S1', 'S2', 'S3'];
const achievementId = (n: number) => `0190a0a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const NOW = new Date('2027-01-01T00:00:00Z');

function generateTree(random: () => number, depth = 1): RequirementInput {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  if (depth >= 4 || random() < 0.35) {
    const minResult = random() < 0.2 ? 50 : null;
    if (random() < 0.25) return { kind: 'SKILL', skill: { framework: 'ESCO', code: pick(SKILLS) }, minResult };
    return { kind: 'ACHIEVEMENT', achievement: achievementId(1 + Math.floor(random() * ACHIEVEMENTS)), minResult };
  }
  const children = Array.from({ length: 1 + Math.floor(random() * 3) }, () => generateTree(random, depth + 1));
  const kind = pick(['ALL_OF', 'N_OF', 'SEQUENCE'] as const);
  return kind === 'N_OF' ? { kind, n: 1 + Math.floor(random() * children.length), children } : { kind, children };
}

function generateCredential(random: () => number, index: number): HeldCredential {
  const achievement = 1 + Math.floor(random() * ACHIEVEMENTS);
  return {
    credentialId: `cred-${String(index).padStart(3, '0')}`,
    achievementId: achievementId(achievement),
    achievementUrl: null,
    skills: random() < 0.4 ? [skillKey('ESCO', SKILLS[achievement % SKILLS.length]!)] : [],
    results: random() < 0.5 ? [Math.floor(random() * 100)] : [],
    earnedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000),
    validUntil: random() < 0.15 ? new Date(Date.UTC(2026, 6, 1)) : null,
    status: 'ACTIVE',
    accepted: random() < 0.9,
  };
}

/** A history of deliveries and status changes, in log order; the final truth is computed beside it, independently. */
function generateHistory(random: () => number): { changes: HoldingChange[]; truth: HeldCredential[] } {
  const credentials = Array.from({ length: 1 + Math.floor(random() * 10) }, (_, index) => generateCredential(random, index));
  const changes: HoldingChange[] = [];
  const finalStatus = new Map<string, HoldingStatus>();
  const delivered: HeldCredential[] = [];
  for (const credential of credentials) {
    changes.push({ kind: 'HELD', credential });
    delivered.push(credential);
    finalStatus.set(credential.credentialId, 'ACTIVE');
    for (let changesOfStatus = Math.floor(random() * 3); changesOfStatus > 0; changesOfStatus--) {
      const target = delivered[Math.floor(random() * delivered.length)]!;
      const status = (['REVOKED', 'SUSPENDED', 'ACTIVE'] as const)[Math.floor(random() * 3)]!;
      changes.push({ kind: 'STATUS', credentialId: target.credentialId, status, purpose: status === 'REVOKED' ? 'revocation' : 'suspension' });
      if (finalStatus.get(target.credentialId) !== 'REVOKED') finalStatus.set(target.credentialId, status);
    }
  }
  return { changes, truth: delivered.map((credential) => ({ ...credential, status: finalStatus.get(credential.credentialId)! })) };
}

const RUNS = 400;

describe('requirement engine properties', () => {
  test(`progress from events applied one by one, with replays, equals progress from scratch (${RUNS} generated cases)`, () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const random = seededRandom(seed);
      const pathway = { requirement: normaliseRequirement(generateTree(random)), windowMonths: random() < 0.3 ? 1 + Math.floor(random() * 6) : null };
      const { changes, truth } = generateHistory(random);
      let holdings = new Map<string, HeldCredential>();
      for (const [index, change] of changes.entries()) {
        holdings = applyHoldingChange(holdings, change);
        // A consumer that crashed replays a stretch of the log it had already applied.
        if (random() < 0.3) for (const replayed of changes.slice(Math.floor(random() * (index + 1)), index + 1)) holdings = applyHoldingChange(holdings, replayed);
      }
      const incremental = evaluatePathway(pathway, [...holdings.values()], NOW);
      const scratch = evaluatePathway(pathway, truth, NOW);
      expect(incremental, `seed ${seed}`).toEqual(scratch);
    }
  });

  test('the order credentials are listed in never changes progress', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const random = seededRandom(seed);
      const pathway = { requirement: normaliseRequirement(generateTree(random)), windowMonths: random() < 0.3 ? 3 : null };
      const { truth } = generateHistory(random);
      expect(evaluatePathway(pathway, [...truth].reverse(), NOW), `seed ${seed}`).toEqual(evaluatePathway(pathway, truth, NOW));
    }
  });

  test('without a time window, one more counting credential never undoes a satisfied pathway nor lowers its percent', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const random = seededRandom(seed);
      const pathway = { requirement: normaliseRequirement(generateTree(random)), windowMonths: null };
      const { truth } = generateHistory(random);
      const before = evaluatePathway(pathway, truth, NOW);
      const after = evaluatePathway(pathway, [...truth, { ...generateCredential(random, 999), accepted: true, validUntil: null }], NOW);
      if (before.satisfied) expect(after.satisfied, `seed ${seed}`).toBe(true);
      expect(after.percent, `seed ${seed}`).toBeGreaterThanOrEqual(before.percent);
    }
  });

  test('a satisfied pathway names only counting credentials, and at least one for each satisfied leaf', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const random = seededRandom(seed);
      const pathway = { requirement: normaliseRequirement(generateTree(random)), windowMonths: null };
      const { truth } = generateHistory(random);
      const progress = evaluatePathway(pathway, truth, NOW);
      const counting = new Set(truth.filter((c) => c.status === 'ACTIVE' && c.accepted && (!c.validUntil || c.validUntil > NOW)).map((c) => c.credentialId));
      for (const id of progress.credentialIds) expect(counting.has(id), `seed ${seed}`).toBe(true);
      if (progress.satisfied) expect(progress.credentialIds.length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});
