import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../../lib/db/client.js';
import type { MetricsInterval, MetricsScopeKey } from '../domain/metrics.js';
import { careerEvents, employerConsents, metricAchievements, metricCohortCells, metricCredentials, metricDaily, metricIssuerDaily, metricPathwayProgress } from './tables.js';

/** db.execute answers an array (postgres.js) or `{ rows }` (PGlite). */
const rowsOf = (result: unknown): Array<Record<string, unknown>> => (Array.isArray(result) ? result : ((result as { rows?: Array<Record<string, unknown>> }).rows ?? []));

const TRUNCATION_UNITS: Record<MetricsInterval, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

const day = (at: Date) => at.toISOString().slice(0, 10);

/** An issuer's day counts come summed over its achievements (`metric_issuer_daily`); an achievement's from `metric_daily`. */
function dailySource(generation: number, scope: MetricsScopeKey) {
  return scope.kind === 'ISSUER'
    ? { table: metricIssuerDaily, columns: metricIssuerDaily, where: and(eq(metricIssuerDaily.generation, generation), eq(metricIssuerDaily.issuerId, scope.id)) }
    : { table: metricDaily, columns: metricDaily, where: and(eq(metricDaily.generation, generation), eq(metricDaily.achievementId, scope.id)) };
}

function credentialScope(scope: MetricsScopeKey): SQL {
  return scope.kind === 'ISSUER' ? eq(metricCredentials.issuerId, scope.id) : eq(metricCredentials.achievementId, scope.id);
}

/** Reads of the program-metric projections (one generation) and of career events: never a scan of raw events. */
export function createMetricsStore(db: Db) {
  return {
    async issuerOfAchievement(generation: number, achievementId: string): Promise<string | null> {
      const [row] = await db
        .select({ issuerId: metricAchievements.issuerId })
        .from(metricAchievements)
        .where(and(eq(metricAchievements.generation, generation), eq(metricAchievements.achievementId, achievementId)));
      return row?.issuerId ?? null;
    },

    async issuerOfPathway(generation: number, pathwayId: string): Promise<string | null> {
      const [row] = await db
        .select({ issuerId: metricPathwayProgress.issuerId })
        .from(metricPathwayProgress)
        .where(and(eq(metricPathwayProgress.generation, generation), eq(metricPathwayProgress.pathwayId, pathwayId)))
        .limit(1);
      return row?.issuerId ?? null;
    },

    /** Day counts summed per period (`interval`), kind and detail, over [from, to). */
    async dailyCounts(generation: number, scope: MetricsScopeKey, from: Date, to: Date, interval: MetricsInterval) {
      // Inlined, not a parameter: GROUP BY must repeat the very same expression, and two parameters are two expressions.
      const unit = sql.raw(`'${TRUNCATION_UNITS[interval]}'`);
      const { table, columns, where } = dailySource(generation, scope);
      const period = sql<string>`to_char(date_trunc(${unit}, ${columns.day}::timestamp), 'YYYY-MM-DD')`;
      const rows = await db
        .select({ period, kind: columns.kind, detail: columns.detail, count: sql<number>`sum(${columns.count})::int`, updatedAt: sql<string | null>`max(${columns.updatedAt})::text` })
        .from(table)
        .where(and(where, sql`${columns.day} >= ${day(from)}::date`, sql`${columns.day} < ${day(to)}::date`))
        .groupBy(period, columns.kind, columns.detail);
      return rows.map((row) => ({ ...row, count: Number(row.count), updatedAt: row.updatedAt ? new Date(row.updatedAt) : null }));
    },

    /** Every day count of an issuer ever, per kind (the deprecated all-time counters of `Issuer.metrics`). */
    async allTimeCounts(generation: number, issuerId: string): Promise<Map<string, number>> {
      const rows = await db
        .select({ kind: metricIssuerDaily.kind, count: sql<number>`sum(${metricIssuerDaily.count})::int` })
        .from(metricIssuerDaily)
        .where(and(eq(metricIssuerDaily.generation, generation), eq(metricIssuerDaily.issuerId, issuerId)))
        .groupBy(metricIssuerDaily.kind);
      return new Map(rows.map((row) => [row.kind, Number(row.count)]));
    },

    /**
     * The cohort behind the share and verification rates for [from, to) (whole UTC days): the sum of the scope's
     * cohort cells with from_until ≥ from and to_after < to (domain/cohort-cells.ts), a few rows per day of the period.
     */
    async credentialCohort(generation: number, scope: MetricsScopeKey, from: Date, to: Date) {
      const sum = (column: AnyPgColumn) => sql<number>`coalesce(sum(${column}), 0)::int`;
      const [row] = await db
        .select({
          standing: sum(metricCohortCells.standing),
          recipients: sum(metricCohortCells.recipients),
          sharingRecipients: sum(metricCohortCells.sharingRecipients),
          verifiedCredentials: sum(metricCohortCells.verifiedCredentials),
          thirdPartyVerifications: sum(metricCohortCells.thirdPartyVerifications),
        })
        .from(metricCohortCells)
        .where(
          and(
            eq(metricCohortCells.generation, generation),
            eq(metricCohortCells.scopeKind, scope.kind),
            eq(metricCohortCells.scopeId, scope.id),
            sql`${metricCohortCells.fromUntil} >= ${day(from)}::date`,
            sql`${metricCohortCells.toAfter} < ${day(to)}::date`,
          ),
        );
      return {
        standing: Number(row?.standing ?? 0),
        recipients: Number(row?.recipients ?? 0),
        sharingRecipients: Number(row?.sharingRecipients ?? 0),
        verifiedCredentials: Number(row?.verifiedCredentials ?? 0),
        thirdPartyVerifications: Number(row?.thirdPartyVerifications ?? 0),
      };
    },

    /** Pathway starts and completions in [from, to), and the median days from start to completion of those completed. */
    async pathwayProgress(generation: number, scope: { kind: 'ISSUER' | 'PATHWAY'; id: string }, from: Date, to: Date) {
      const inPeriod = (column: typeof metricPathwayProgress.startedAt | typeof metricPathwayProgress.completedAt) => sql`${column} >= ${from.toISOString()}::timestamptz and ${column} < ${to.toISOString()}::timestamptz`;
      const [row] = await db
        .select({
          started: sql<number>`count(*) filter (where ${inPeriod(metricPathwayProgress.startedAt)})::int`,
          completed: sql<number>`count(*) filter (where ${inPeriod(metricPathwayProgress.completedAt)})::int`,
          medianDays: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (${metricPathwayProgress.completedAt} - ${metricPathwayProgress.startedAt})) / 86400) filter (where ${inPeriod(metricPathwayProgress.completedAt)} and ${metricPathwayProgress.startedAt} is not null)`,
        })
        .from(metricPathwayProgress)
        .where(and(eq(metricPathwayProgress.generation, generation), scope.kind === 'ISSUER' ? eq(metricPathwayProgress.issuerId, scope.id) : eq(metricPathwayProgress.pathwayId, scope.id)));
      return { started: Number(row?.started ?? 0), completed: Number(row?.completed ?? 0), medianDays: row?.medianDays == null ? null : Number(row.medianDays) };
    },

    /** Each recipient who earned (was delivered) a standing credential of the scope in [from, to), with the first such issuance. */
    async earners(generation: number, scope: MetricsScopeKey, from: Date, to: Date): Promise<Array<{ recipientId: string; earnedAt: Date }>> {
      const rows = await db
        .select({ recipientId: sql<string>`${metricCredentials.recipientId}`, earnedAt: sql<string>`min(${metricCredentials.issuedAt})::text` })
        .from(metricCredentials)
        .where(
          and(
            eq(metricCredentials.generation, generation),
            credentialScope(scope),
            sql`${metricCredentials.recipientId} is not null and ${metricCredentials.revokedAt} is null`,
            sql`${metricCredentials.issuedAt} >= ${from.toISOString()}::timestamptz and ${metricCredentials.issuedAt} < ${to.toISOString()}::timestamptz`,
          ),
        )
        .groupBy(metricCredentials.recipientId);
      return rows.map((row) => ({ recipientId: row.recipientId, earnedAt: new Date(row.earnedAt) }));
    },

    /**
     * The comparison group: people the issuer knows who hold none of the scope's credentials. For an achievement, the
     * issuer's other recipients; for an issuer, the people its members recorded career events for.
     */
    async nonEarners(generation: number, scope: MetricsScopeKey, issuerId: string): Promise<string[]> {
      const holders = sql`select ${metricCredentials.recipientId} from ${metricCredentials} where ${metricCredentials.generation} = ${generation} and ${credentialScope(scope)} and ${metricCredentials.recipientId} is not null`;
      const known =
        scope.kind === 'ACHIEVEMENT'
          ? sql`select distinct ${metricCredentials.recipientId} as recipient_id from ${metricCredentials} where ${metricCredentials.generation} = ${generation} and ${metricCredentials.issuerId} = ${issuerId} and ${metricCredentials.recipientId} is not null`
          : sql`select distinct ${careerEvents.recipientId} as recipient_id from ${careerEvents} where ${careerEvents.recordedByKind} = 'ISSUER' and ${careerEvents.recordedById} = ${issuerId}`;
      const result = await db.execute(sql`select recipient_id from (${known}) known where recipient_id not in (${holders})`);
      return rowsOf(result).map((row) => String(row.recipient_id));
    },

    /**
     * The career events an issuer's metrics may use for these people: those its own members recorded, and those
     * employers the people consented to recorded (never another issuer's records).
     */
    async careerEventTimes(recipientIds: readonly string[], issuerId: string): Promise<Array<{ recipientId: string; occurredAt: Date }>> {
      if (recipientIds.length === 0) return [];
      const ids = sql.join(recipientIds.map((id) => sql`${id}::uuid`), sql`, `);
      return db
        .select({ recipientId: careerEvents.recipientId, occurredAt: careerEvents.occurredAt })
        .from(careerEvents)
        .where(
          sql`${careerEvents.recipientId} in (${ids}) and (${careerEvents.recordedByKind} = 'EMPLOYER' or (${careerEvents.recordedByKind} = 'ISSUER' and ${careerEvents.recordedById} = ${issuerId}))`,
        );
    },

    async hasConsent(recipientId: string, employerOrgId: string): Promise<boolean> {
      const [row] = await db
        .select({ one: sql<number>`1` })
        .from(employerConsents)
        .where(and(eq(employerConsents.recipientId, recipientId), eq(employerConsents.employerOrgId, employerOrgId)))
        .limit(1);
      return Boolean(row);
    },

    async insertCareerEvent(tx: Db, row: typeof careerEvents.$inferInsert): Promise<void> {
      await tx.insert(careerEvents).values(row);
    },
  };
}

export type MetricsStore = ReturnType<typeof createMetricsStore>;

/** Consents as the projection keeps them (inside the consumer's transaction). */
export async function grantEmployerConsent(tx: Db, consent: { consentId: string; recipientId: string; employerOrgId: string; replacedConsentIds: readonly string[] }) {
  await withdrawEmployerConsents(tx, consent.replacedConsentIds);
  await tx.insert(employerConsents).values({ consentId: consent.consentId, recipientId: consent.recipientId, employerOrgId: consent.employerOrgId }).onConflictDoNothing();
}

export async function withdrawEmployerConsents(tx: Db, consentIds: readonly string[]) {
  if (consentIds.length === 0) return;
  await tx.delete(employerConsents).where(sql`${employerConsents.consentId} in (${sql.join(consentIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
}
