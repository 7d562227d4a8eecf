import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../../lib/seeded-random.js';
import { cohortOf, sumCells } from '../../../test/helpers/metric-cohort.js';
import { cohortCellChanges, type CohortCell } from './cohort-cells.js';
import { issuedCredential, type MetricCredential } from './metric-batch.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const ISSUER = '00000000-0000-4000-8000-000000000001';
const ACHIEVEMENTS = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];
const RECIPIENTS = Array.from({ length: 6 }, (_, n) => `00000000-0000-4000-8000-00000000010${n}`);

/** Adds changes into running cells (what the projection's upsert does). */
function accumulate(cells: Map<string, CohortCell>, changes: readonly CohortCell[]): void {
  for (const change of changes) {
    const key = `${change.scopeKind}|${change.scopeId}|${change.fromUntil}|${change.toAfter}`;
    const cell = cells.get(key);
    if (!cell) cells.set(key, { ...change });
    else for (const measure of ['standing', 'verifiedCredentials', 'thirdPartyVerifications', 'recipients', 'sharingRecipients'] as const) cell[measure] += change[measure];
  }
}

const instant = (random: () => number, days = 40) => new Date(START + Math.floor(random() * days * 24) * 3_600_000);
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** One random step of a credential's life: the first-time facts only ever go from empty to set, as the projection keeps them. */
function step(random: () => number, credential: MetricCredential): MetricCredential {
  const next = { ...credential };
  const roll = random();
  if (roll < 0.3 && !next.deliveredAt) Object.assign(next, { deliveredAt: instant(random), recipientId: next.recipientId ?? pick(random, RECIPIENTS) });
  else if (roll < 0.45 && !next.firstSharedAt) next.firstSharedAt = instant(random);
  else if (roll < 0.6) Object.assign(next, { thirdPartyVerifications: next.thirdPartyVerifications + 1, firstThirdPartyVerifiedAt: next.firstThirdPartyVerifiedAt ?? instant(random) });
  else if (roll < 0.7 && !next.revokedAt) next.revokedAt = instant(random);
  else if (roll < 0.8 && next.recipientId) next.recipientId = pick(random, RECIPIENTS);
  return next;
}

describe('cohort cells', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('changed step by step in random order, they sum to the cohort counted from scratch for any period (seed %i)', (seed) => {
    const random = seededRandom(seed);
    let credentials = new Map<string, MetricCredential>();
    const cells = new Map<string, CohortCell>();
    for (let round = 0; round < 60; round++) {
      const next = new Map(credentials);
      const changed = new Set<string>();
      if (credentials.size === 0 || random() < 0.4) {
        const credentialId = `00000000-0000-4000-8000-${String(next.size).padStart(12, '0')}`;
        next.set(credentialId, issuedCredential(credentialId, ISSUER, random() < 0.8 ? pick(random, ACHIEVEMENTS) : null, instant(random)));
        changed.add(credentialId);
      }
      for (const credentialId of [...credentials.keys()].filter(() => random() < 0.3)) {
        next.set(credentialId, step(random, credentials.get(credentialId)!));
        changed.add(credentialId);
      }
      accumulate(cells, cohortCellChanges(credentials, next, changed));
      credentials = next;
    }
    const rows = [...credentials.values()];
    for (let period = 0; period < 200; period++) {
      const from = new Date(START + Math.floor(random() * 50 - 5) * DAY_MS);
      const to = new Date(from.getTime() + Math.ceil(random() * 50) * DAY_MS);
      for (const scope of [{ kind: 'ISSUER' as const, id: ISSUER }, ...ACHIEVEMENTS.map((id) => ({ kind: 'ACHIEVEMENT' as const, id }))]) {
        expect(sumCells(cells.values(), scope, from, to), `${scope.kind} [${from.toISOString()}, ${to.toISOString()})`).toEqual(cohortOf(rows, scope, from, to));
      }
    }
  });

  test('a recipient with two credentials counts once, and again once only one of them is in the period', () => {
    const credential = (n: number, issuedDay: number): MetricCredential => ({
      credentialId: `00000000-0000-4000-8000-00000000000${n}`,
      issuerId: ISSUER,
      achievementId: null,
      recipientId: RECIPIENTS[0]!,
      issuedAt: new Date(START + issuedDay * DAY_MS),
      deliveredAt: new Date(START + issuedDay * DAY_MS + 3_600_000),
      claimedAt: null,
      firstSharedAt: null,
      firstThirdPartyVerifiedAt: null,
      thirdPartyVerifications: 0,
      revokedAt: null,
    });
    const both = new Map([credential(1, 0), credential(2, 10)].map((row) => [row.credentialId, row]));
    const cells = cohortCellChanges(new Map(), both, both.keys());
    const scope = { kind: 'ISSUER' as const, id: ISSUER };
    const day = (n: number) => new Date(START + n * DAY_MS);
    expect(sumCells(cells, scope, day(0), day(20))).toMatchObject({ standing: 2, recipients: 1 });
    expect(sumCells(cells, scope, day(5), day(20))).toMatchObject({ standing: 1, recipients: 1 });
    expect(sumCells(cells, scope, day(0), day(5))).toMatchObject({ standing: 1, recipients: 1 });
    expect(sumCells(cells, scope, day(11), day(20))).toMatchObject({ standing: 0, recipients: 0 });
  });
});
