import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../lib/errors.js';
import { careerImpact, periodStarts, proportion, scopeOf, summariseDailyCounts, wilsonInterval } from './metrics.js';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('Wilson score interval (95 %)', () => {
  test('1 of 2: centred on 0.5, from 0.0945 to 0.9055', () => {
    // centre = (0.5 + 1.96²/4) / (1 + 1.96²/2) = 0.5; margin = 1.96/2.9208 · √(0.125 + 0.2401) = 0.40547
    const interval = wilsonInterval(1, 2)!;
    expect(interval.low).toBeCloseTo(0.09453, 4);
    expect(interval.high).toBeCloseTo(0.90547, 4);
  });

  test('0 of 10: from 0 to z²/(n + z²) = 3.8416/13.8416 = 0.27754', () => {
    const interval = wilsonInterval(0, 10)!;
    expect(interval.low).toBe(0);
    expect(interval.high).toBeCloseTo(0.27754, 4);
  });

  test('no sample: no interval, no rate, and it says the sample is too small', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(proportion(0, 0)).toEqual({ numerator: 0, denominator: 0, rate: null, low: null, high: null, sampleTooSmall: true });
  });

  test('30 of 40 is a sample that means something', () => {
    expect(proportion(30, 40)).toMatchObject({ rate: 0.75, sampleTooSmall: false });
    expect(proportion(30, 40).low).toBeCloseTo(0.59806, 4);
    expect(proportion(29, 29).sampleTooSmall).toBe(true);
  });
});

describe('periods', () => {
  test('weeks start on Monday, the first one before `from` when `from` is mid-week', () => {
    expect(periodStarts(d('2026-01-01'), d('2026-02-01'), 'WEEK')).toEqual(['2025-12-29', '2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
  });

  test('months start on the 1st; days are every day of [from, to)', () => {
    expect(periodStarts(d('2026-01-15'), d('2026-03-01'), 'MONTH')).toEqual(['2026-01-01', '2026-02-01']);
    expect(periodStarts(d('2026-02-27'), d('2026-03-02'), 'DAY')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  test('day counts land in their period; verifications split by third party, relying party and verdict', () => {
    const { series, totals, verificationsByRelyingParty } = summariseDailyCounts(
      [
        { period: '2026-01-01', kind: 'ISSUED', detail: '', count: 3 },
        { period: '2026-02-01', kind: 'ISSUED', detail: '', count: 2 },
        { period: '2026-02-01', kind: 'VERIFIED', detail: 'EMPLOYER:VALID', count: 4 },
        { period: '2026-02-01', kind: 'VERIFIED', detail: 'HOLDER:VALID', count: 1 },
        { period: '2026-01-01', kind: 'VERIFIED', detail: 'EMPLOYER:VALID', count: 1 },
      ],
      ['2026-01-01', '2026-02-01', '2026-03-01'],
    );
    expect(series.map((period) => [period.issued, period.verifications, period.thirdPartyVerifications])).toEqual([[3, 1, 1], [2, 5, 4], [0, 0, 0]]);
    expect(totals).toMatchObject({ issued: 5, verifications: 6, thirdPartyVerifications: 5 });
    expect(verificationsByRelyingParty).toEqual([
      { relyingParty: 'EMPLOYER', verdict: 'VALID', count: 5 },
      { relyingParty: 'HOLDER', verdict: 'VALID', count: 1 },
    ]);
  });
});

describe('scope', () => {
  test('exactly one of issuer, achievement, pathway', () => {
    expect(scopeOf({ achievementId: 'ABC' })).toEqual({ kind: 'ACHIEVEMENT', id: 'abc' });
    for (const bad of [{}, { issuerId: 'a', pathwayId: 'b' }]) {
      try {
        scopeOf(bad);
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error) && error.code).toBe('BAD_USER_INPUT');
      }
    }
  });
});

describe('career impact', () => {
  /*
   * 12 months, as of 2026-01-01:
   *   e1 earned 2024-06-01, moved 2024-09-01 (after)
   *   e2 earned 2024-03-15, moved 2023-06-01 (before) and 2025-03-15 (the last day of its window: after)
   *   e3 earned 2025-06-01: its 12 months have not passed, so it is not counted at all
   *   e4 earned 2024-01-01, moved that very instant: neither after (strictly after) nor before (strictly before)
   *   n1 moved 2025-05-01 (inside [2025-01-01, 2026-01-01)); n2 moved 2024-12-31 (outside); n3 never
   */
  const impact = careerImpact({
    earners: [
      { recipientId: 'e1', earnedAt: d('2024-06-01') },
      { recipientId: 'e2', earnedAt: d('2024-03-15') },
      { recipientId: 'e3', earnedAt: d('2025-06-01') },
      { recipientId: 'e4', earnedAt: d('2024-01-01') },
    ],
    nonEarners: ['n1', 'n2', 'n3'],
    careerEvents: [
      { recipientId: 'e1', occurredAt: d('2024-09-01') },
      { recipientId: 'e2', occurredAt: d('2023-06-01') },
      { recipientId: 'e2', occurredAt: d('2025-03-15') },
      { recipientId: 'e3', occurredAt: d('2025-07-01') },
      { recipientId: 'e4', occurredAt: d('2024-01-01') },
      { recipientId: 'n1', occurredAt: d('2025-05-01') },
      { recipientId: 'n2', occurredAt: d('2024-12-31') },
    ],
    windowMonths: 12,
    asOf: d('2026-01-01'),
  });

  test('after earning 2 of 3, before earning 1 of 3, without the credential 1 of 3', () => {
    expect([impact.afterEarning.numerator, impact.afterEarning.denominator]).toEqual([2, 3]);
    expect([impact.beforeEarning.numerator, impact.beforeEarning.denominator]).toEqual([1, 3]);
    expect([impact.withoutCredential.numerator, impact.withoutCredential.denominator]).toEqual([1, 3]);
  });

  test('says plainly that so small a sample means nothing', () => {
    expect(impact.statement).toBe(
      'The sample is too small to mean anything: 3 earner(s) with 12 full months since earning and 3 people without the credential (at least 30 are needed in each group).',
    );
  });

  test('with 40 earners (30 moved after) and 30 people without, no statement, and intervals', () => {
    const earners = Array.from({ length: 40 }, (_, index) => ({ recipientId: `e${index}`, earnedAt: d('2024-01-01') }));
    const nonEarners = Array.from({ length: 30 }, (_, index) => `n${index}`);
    const careerEvents = [
      ...earners.slice(0, 30).map(({ recipientId }) => ({ recipientId, occurredAt: d('2024-06-01') })),
      ...nonEarners.slice(0, 6).map((recipientId) => ({ recipientId, occurredAt: d('2025-06-01') })),
    ];
    const large = careerImpact({ earners, nonEarners, careerEvents, windowMonths: 12, asOf: d('2026-01-01') });
    expect(large.statement).toBeNull();
    expect(large.afterEarning).toMatchObject({ numerator: 30, denominator: 40, rate: 0.75, sampleTooSmall: false });
    expect(large.afterEarning.low).toBeCloseTo(0.59806, 4);
    expect(large.beforeEarning.rate).toBe(0);
    expect(large.withoutCredential).toMatchObject({ numerator: 6, denominator: 30, rate: 0.2 });
  });
});
