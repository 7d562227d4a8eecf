import { describe, expect, test } from 'vitest';
import {
  checkRequirementReferences,
  MAX_REQUIREMENT_DEPTH,
  normaliseRequirement,
  RequirementError,
  type AchievementFacts,
  type RequirementContext,
  type RequirementInput,
} from './pathway-requirement.js';

const ISSUER = '0190a0a0-0000-7000-8000-00000000000a';
const OTHER_ISSUER = '0190a0a0-0000-7000-8000-00000000000b';
const id = (n: number) => `0190a0a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const leaf = (n: number): RequirementInput => ({ kind: 'ACHIEVEMENT', achievement: id(n) });

function refused(run: () => unknown): RequirementError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RequirementError);
    return error as RequirementError;
  }
  throw new Error('expected a RequirementError');
}

function context(overrides: Partial<RequirementContext> = {}, achievements: Record<number, Partial<AchievementFacts>> = {}): RequirementContext {
  const facts = new Map<string, AchievementFacts>();
  for (let n = 1; n <= 20; n++) facts.set(id(n), { issuerId: ISSUER, published: true, ...achievements[n] });
  return { issuerId: ISSUER, awardAchievementId: id(20), achievements: facts, otherPathways: [], ...overrides };
}

describe('normaliseRequirement', () => {
  test('nodes get path ids from the root, so errors and progress can name them', () => {
    const tree = normaliseRequirement({ kind: 'ALL_OF', children: [leaf(1), { kind: 'SEQUENCE', children: [leaf(2), leaf(3)] }] });
    expect(tree.id).toBe('r');
    expect(tree.kind === 'ALL_OF' && tree.children.map((child) => child.id)).toEqual(['r.0', 'r.1']);
    expect(tree.kind === 'ALL_OF' && tree.children[1]!.kind === 'SEQUENCE' && tree.children[1]!.children.map((child) => child.id)).toEqual(['r.1.0', 'r.1.1']);
  });

  test('an empty group is refused, naming the group', () => {
    const error = refused(() => normaliseRequirement({ kind: 'ALL_OF', children: [leaf(1), { kind: 'N_OF', n: 1, children: [] }] }));
    expect(error.details).toMatchObject({ reason: 'EMPTY_GROUP', node: 'r.1' });
    expect(error.code).toBe('BAD_USER_INPUT');
  });

  test('an N_OF with n larger than its children is refused', () => {
    expect(refused(() => normaliseRequirement({ kind: 'N_OF', n: 3, children: [leaf(1), leaf(2)] })).details).toMatchObject({ reason: 'N_EXCEEDS_CHILDREN', node: 'r' });
  });

  test('n on a group other than N_OF is refused', () => {
    expect(refused(() => normaliseRequirement({ kind: 'ALL_OF', n: 1, children: [leaf(1)] })).details).toMatchObject({ reason: 'MALFORMED_NODE' });
  });

  test(`a tree deeper than ${MAX_REQUIREMENT_DEPTH} levels is refused at the first node too deep`, () => {
    let tree: RequirementInput = leaf(1);
    for (let level = 0; level < MAX_REQUIREMENT_DEPTH - 1; level++) tree = { kind: 'ALL_OF', children: [tree] };
    expect(() => normaliseRequirement(tree)).not.toThrow();
    const error = refused(() => normaliseRequirement({ kind: 'ALL_OF', children: [tree] }));
    expect(error.details).toMatchObject({ reason: 'TOO_DEEP', node: `r${'.0'.repeat(MAX_REQUIREMENT_DEPTH)}` });
  });

  test('an achievement leaf takes an id or an absolute Achievement.id URL, nothing else', () => {
    const byUrl = normaliseRequirement({ kind: 'ACHIEVEMENT', achievement: 'https://other.example/achievements/7' });
    expect(byUrl).toMatchObject({ achievementId: null, achievementUrl: 'https://other.example/achievements/7' });
    expect(refused(() => normaliseRequirement({ kind: 'ACHIEVEMENT', achievement: 'data-eng-101' })).details).toMatchObject({ reason: 'UNKNOWN_ACHIEVEMENT', node: 'r' });
  });

  test('a skill leaf needs a known framework and a code', () => {
    expect(normaliseRequirement({ kind: 'SKILL', skill: { framework: 'esco', code: 'S1.2' } })).toMatchObject({ framework: 'ESCO', code: 'S1.2' });
    expect(refused(() => normaliseRequirement({ kind: 'SKILL', skill: { framework: 'NOPE', code: 'x' } })).details).toMatchObject({ reason: 'MALFORMED_NODE' });
  });

  test('a leaf with children or a milestone is refused', () => {
    expect(refused(() => normaliseRequirement({ kind: 'ACHIEVEMENT', achievement: id(1), milestoneAchievementId: id(2) })).details).toMatchObject({ reason: 'MALFORMED_NODE' });
  });
});

describe('checkRequirementReferences', () => {
  const tree = normaliseRequirement({ kind: 'ALL_OF', children: [leaf(1), { kind: 'N_OF', n: 1, milestoneAchievementId: id(19), children: [leaf(2), leaf(3)] }] });

  test('a requirement of published achievements of any issuer, awarding its own issuer’s achievement, passes', () => {
    expect(() => checkRequirementReferences(tree, context({}, { 2: { issuerId: OTHER_ISSUER } }))).not.toThrow();
  });

  test('an unknown achievement is refused, naming its leaf', () => {
    const facts = context();
    (facts.achievements as Map<string, AchievementFacts>).delete(id(3));
    expect(refused(() => checkRequirementReferences(tree, facts)).details).toMatchObject({ reason: 'UNKNOWN_ACHIEVEMENT', node: 'r.1.1' });
  });

  test('an achievement never published is refused', () => {
    expect(refused(() => checkRequirementReferences(tree, context({}, { 1: { published: false } }))).details).toMatchObject({ reason: 'UNPUBLISHED_ACHIEVEMENT', node: 'r.0' });
  });

  test('an award of another issuer is refused', () => {
    expect(refused(() => checkRequirementReferences(tree, context({}, { 20: { issuerId: OTHER_ISSUER } }))).details).toMatchObject({ reason: 'FOREIGN_AWARD', node: 'award' });
  });

  test('a milestone award of another issuer is refused, naming its group', () => {
    expect(refused(() => checkRequirementReferences(tree, context({}, { 19: { issuerId: OTHER_ISSUER } }))).details).toMatchObject({ reason: 'FOREIGN_AWARD', node: 'r.1' });
  });

  test('a pathway whose award is one of its own leaves is a cycle', () => {
    expect(refused(() => checkRequirementReferences(tree, context({ awardAchievementId: id(3) }))).details).toMatchObject({ reason: 'CYCLE', node: 'r.1.1' });
  });

  test('a cycle through other pathways is refused: this award needs A, A is awarded by a pathway needing B, B by one needing this award', () => {
    const otherPathways = [
      { pathwayId: id(101), awardAchievementId: id(1), requiredAchievementIds: [id(5)] },
      { pathwayId: id(102), awardAchievementId: id(5), requiredAchievementIds: [id(6), id(20)] },
    ];
    expect(refused(() => checkRequirementReferences(tree, context({ otherPathways }))).details).toMatchObject({ reason: 'CYCLE', node: 'r.0' });
    const harmless = [{ pathwayId: id(101), awardAchievementId: id(1), requiredAchievementIds: [id(5)] }];
    expect(() => checkRequirementReferences(tree, context({ otherPathways: harmless }))).not.toThrow();
  });

  test('a milestone award that is one of the pathway’s own leaves is a cycle, naming its group', () => {
    const own = normaliseRequirement({ kind: 'ALL_OF', children: [leaf(1), { kind: 'N_OF', n: 1, milestoneAchievementId: id(3), children: [leaf(2), leaf(3)] }] });
    const error = refused(() => checkRequirementReferences(own, context()));
    expect(error.details).toMatchObject({ reason: 'CYCLE', node: 'r.1' });
    expect(error.message).toMatch(/r\.1\.1/);
  });

  test('a milestone award required through another pathway is a cycle: a leaf is awarded by a pathway needing the milestone', () => {
    const otherPathways = [{ pathwayId: id(101), awardAchievementId: id(2), requiredAchievementIds: [id(19)] }];
    expect(refused(() => checkRequirementReferences(tree, context({ otherPathways }))).details).toMatchObject({ reason: 'CYCLE', node: 'r.1' });
  });
});
