import { AppError } from '../../../lib/errors.js';
import { THIRD_PARTIES, type RelyingParty } from './metric-facts.js';

export type MetricsInterval = 'DAY' | 'WEEK' | 'MONTH';
export type MetricsScopeKey = { kind: 'ISSUER' | 'ACHIEVEMENT'; id: string };
export type MetricsScope = MetricsScopeKey | { kind: 'PATHWAY'; id: string };

/** Below this many people a proportion is reported with a plain statement that it means nothing yet. */
export const MIN_SAMPLE = 30;

/** The one scope a `metrics` request names (exactly one of issuerId, achievementId, pathwayId). */
export function scopeOf(input: { issuerId?: string | null; achievementId?: string | null; pathwayId?: string | null }): MetricsScope {
  const named = (
    [
      ['ISSUER', input.issuerId],
      ['ACHIEVEMENT', input.achievementId],
      ['PATHWAY', input.pathwayId],
    ] as const
  ).filter(([, id]) => id != null);
  if (named.length !== 1) throw new AppError('BAD_USER_INPUT', 'Name exactly one of issuerId, achievementId or pathwayId', { argument: 'scope' });
  const [kind, id] = named[0]!;
  return { kind, id: id!.toLowerCase() };
}

const DAY_MS = 86_400_000;
const startOfUtcDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/** The period asked for, in whole UTC days: [from, to), by default the 365 days up to and including today. */
export function periodOf(asked: { from?: Date | null; to?: Date | null }, now = new Date()): { from: Date; to: Date } {
  const to = startOfUtcDay(asked.to ?? new Date(now.getTime() + DAY_MS));
  const from = startOfUtcDay(asked.from ?? new Date(to.getTime() - 365 * DAY_MS));
  return { from, to };
}

/** A period [from, to) that is in order and at most ten years long (a series is at most ~3,650 days). */
export function checkPeriod(from: Date, to: Date): void {
  if (!(from < to)) throw new AppError('BAD_USER_INPUT', '"from" must be before "to"', { argument: 'from' });
  if (to.getTime() - from.getTime() > 3_653 * 86_400_000) throw new AppError('BAD_USER_INPUT', 'A period is at most ten years', { argument: 'to' });
}

export interface Proportion {
  numerator: number;
  denominator: number;
  /** numerator / denominator; null when the denominator is 0. */
  rate: number | null;
  /** 95 % Wilson score interval; null when the denominator is 0. */
  low: number | null;
  high: number | null;
  /** True when the denominator is below MIN_SAMPLE. */
  sampleTooSmall: boolean;
}

/** Wilson score interval for a binomial proportion (z = 1.96: 95 %). Good at small n and at 0 or 1, unlike the normal approximation. */
export function wilsonInterval(successes: number, n: number, z = 1.96): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const margin = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

export function proportion(numerator: number, denominator: number): Proportion {
  const interval = wilsonInterval(numerator, denominator);
  return {
    numerator,
    denominator,
    rate: denominator === 0 ? null : numerator / denominator,
    low: interval?.low ?? null,
    high: interval?.high ?? null,
    sampleTooSmall: denominator < MIN_SAMPLE,
  };
}

/** The start of each period of [from, to), as `YYYY-MM-DD` (weeks start on Monday, as PostgreSQL's date_trunc). */
export function periodStarts(from: Date, to: Date, interval: MetricsInterval): string[] {
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), interval === 'MONTH' ? 1 : from.getUTCDate()));
  if (interval === 'WEEK') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const starts: string[] = [];
  for (const at = start; at < to; interval === 'MONTH' ? at.setUTCMonth(at.getUTCMonth() + 1) : at.setUTCDate(at.getUTCDate() + (interval === 'WEEK' ? 7 : 1))) {
    starts.push(at.toISOString().slice(0, 10));
  }
  return starts;
}

export interface DailyCount {
  period: string;
  kind: string;
  detail: string;
  count: number;
}

export interface PeriodCounts {
  periodStart: string;
  issued: number;
  revoked: number;
  suspended: number;
  reinstated: number;
  delivered: number;
  claimed: number;
  shared: number;
  shareViewsByOthers: number;
  verifications: number;
  thirdPartyVerifications: number;
  achievementsCreated: number;
}

const KIND_FIELD: Record<string, keyof Omit<PeriodCounts, 'periodStart' | 'verifications' | 'thirdPartyVerifications'>> = {
  ISSUED: 'issued',
  REVOKED: 'revoked',
  SUSPENDED: 'suspended',
  REINSTATED: 'reinstated',
  DELIVERED: 'delivered',
  CLAIMED: 'claimed',
  SHARED: 'shared',
  SHARE_VIEWED: 'shareViewsByOthers',
  ACHIEVEMENT_CREATED: 'achievementsCreated',
};

const emptyCounts = (periodStart: string): PeriodCounts => ({
  periodStart,
  issued: 0,
  revoked: 0,
  suspended: 0,
  reinstated: 0,
  delivered: 0,
  claimed: 0,
  shared: 0,
  shareViewsByOthers: 0,
  verifications: 0,
  thirdPartyVerifications: 0,
  achievementsCreated: 0,
});

function add(counts: PeriodCounts, row: DailyCount): void {
  if (row.kind === 'VERIFIED') {
    counts.verifications += row.count;
    if (THIRD_PARTIES.has(row.detail.split(':')[0] as RelyingParty)) counts.thirdPartyVerifications += row.count;
    return;
  }
  const field = KIND_FIELD[row.kind];
  if (field) counts[field] += row.count;
}

/** The series (every period, zeros included) and the totals of the day counts; verifications also by relying party and verdict. */
export function summariseDailyCounts(rows: readonly DailyCount[], periods: readonly string[]) {
  const series = new Map(periods.map((start) => [start, emptyCounts(start)]));
  const totals = emptyCounts(periods[0] ?? '');
  const byRelyingParty = new Map<string, { relyingParty: string; verdict: string; count: number }>();
  for (const row of rows) {
    const bucket = series.get(row.period);
    if (bucket) add(bucket, row);
    add(totals, row);
    if (row.kind === 'VERIFIED') {
      const [relyingParty = '', verdict = ''] = row.detail.split(':');
      const entry = byRelyingParty.get(row.detail) ?? { relyingParty, verdict, count: 0 };
      entry.count += row.count;
      byRelyingParty.set(row.detail, entry);
    }
  }
  const verificationsByRelyingParty = [...byRelyingParty.values()].sort((a, b) => a.relyingParty.localeCompare(b.relyingParty) || a.verdict.localeCompare(b.verdict));
  return { series: [...series.values()], totals, verificationsByRelyingParty };
}

/** `at` moved by whole calendar months (negative: back), in UTC. */
export function addMonths(at: Date, months: number): Date {
  const moved = new Date(at);
  moved.setUTCMonth(moved.getUTCMonth() + months);
  return moved;
}

export interface CareerImpact {
  windowMonths: number;
  asOf: Date;
  /** Earners whose whole window after earning has passed: moved within N months after earning. */
  afterEarning: Proportion;
  /** The same people: moved within the N months before earning. */
  beforeEarning: Proportion;
  /** People without the credential: moved within the N months before `asOf`. */
  withoutCredential: Proportion;
  /** A plain sentence when any group is too small to mean anything; null otherwise. */
  statement: string | null;
}

/**
 * Career mobility around earning (docs/metrics.md, "Career impact"). A person counts as having moved in a window when
 * at least one career event falls in it; only earners whose N months after earning have fully passed by `asOf` are
 * counted, so recent earners do not look immobile merely for lack of time.
 */
export function careerImpact(input: {
  earners: ReadonlyArray<{ recipientId: string; earnedAt: Date }>;
  nonEarners: readonly string[];
  careerEvents: ReadonlyArray<{ recipientId: string; occurredAt: Date }>;
  windowMonths: number;
  asOf: Date;
}): CareerImpact {
  const { windowMonths: months, asOf } = input;
  const eventsOf = new Map<string, Date[]>();
  for (const { recipientId, occurredAt } of input.careerEvents) eventsOf.set(recipientId, [...(eventsOf.get(recipientId) ?? []), occurredAt]);
  const movedIn = (recipientId: string, from: Date, to: Date, includeFrom: boolean) =>
    (eventsOf.get(recipientId) ?? []).some((at) => (includeFrom ? at >= from : at > from) && (includeFrom ? at < to : at <= to));

  const observed = input.earners.filter(({ earnedAt }) => addMonths(earnedAt, months) <= asOf);
  const after = observed.filter(({ recipientId, earnedAt }) => movedIn(recipientId, earnedAt, addMonths(earnedAt, months), false)).length;
  const before = observed.filter(({ recipientId, earnedAt }) => movedIn(recipientId, addMonths(earnedAt, -months), earnedAt, true)).length;
  const windowStart = addMonths(asOf, -months);
  const comparison = input.nonEarners.filter((recipientId) => movedIn(recipientId, windowStart, asOf, true)).length;

  const afterEarning = proportion(after, observed.length);
  const beforeEarning = proportion(before, observed.length);
  const withoutCredential = proportion(comparison, input.nonEarners.length);
  const small = [
    afterEarning.sampleTooSmall ? `${observed.length} earner(s) with ${months} full months since earning` : null,
    withoutCredential.sampleTooSmall ? `${input.nonEarners.length} people without the credential` : null,
  ].filter((part) => part !== null);
  const statement = small.length > 0 ? `The sample is too small to mean anything: ${small.join(' and ')} (at least ${MIN_SAMPLE} are needed in each group).` : null;
  return { windowMonths: months, asOf, afterEarning, beforeEarning, withoutCredential, statement };
}
