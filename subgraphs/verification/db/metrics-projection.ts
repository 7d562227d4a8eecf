import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { isUuid } from '../../../lib/ids.js';
import { MetricBatch, metricBatchReads } from '../domain/metric-batch.js';
import type { MetricFact } from '../domain/metric-facts.js';
import { metricAchievements, metricCredentials, metricDaily, metricGenerations, metricPathwayProgress, metricShares } from './tables.js';

/** The generation reads use and the live consumer writes (1 before any rebuild). */
export async function activeMetricGeneration(db: Db): Promise<number> {
  const [row] = await db.select({ active: metricGenerations.active }).from(metricGenerations).limit(1);
  return row?.active ?? 1;
}

/** The rows of one generation a batch of facts touches (two reads: the shares, then the credentials). */
async function readBatch(tx: Db, generation: number, facts: readonly MetricFact[]): Promise<MetricBatch> {
  const reads = metricBatchReads(facts);
  const shares = new Map<string, string[]>();
  if (reads.shareIds.length > 0) {
    const rows = await tx
      .select({ shareId: metricShares.shareId, credentialIds: metricShares.credentialIds })
      .from(metricShares)
      .where(and(eq(metricShares.generation, generation), inArray(metricShares.shareId, reads.shareIds)));
    for (const row of rows) shares.set(row.shareId, row.credentialIds);
  }
  const credentialIds = new Set([...reads.credentialIds, ...[...shares.values()].flat().filter(isUuid).map((id) => id.toLowerCase())]);
  const named = [
    ...(credentialIds.size > 0 ? [inArray(metricCredentials.credentialId, [...credentialIds])] : []),
    ...(reads.recipientIds.length > 0 ? [inArray(metricCredentials.recipientId, reads.recipientIds)] : []),
  ];
  const credentials = named.length > 0 ? await tx.select().from(metricCredentials).where(and(eq(metricCredentials.generation, generation), or(...named))) : [];
  return new MetricBatch(credentials, shares);
}

const ROWS_PER_STATEMENT = 1_000;

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) yield rows.slice(start, start + ROWS_PER_STATEMENT);
}

/**
 * Applies a batch of facts to one generation, inside the consumer's transaction (which also moves its checkpoint, so
 * a fact is applied once per generation whatever the crashes and replicas). The batch reads the rows it touches with
 * two statements, applies its facts in memory in log order (domain/metric-batch.ts), and writes each table with one
 * multi-row statement per thousand rows: the statements per batch do not grow with its events.
 */
export async function projectMetricFacts(tx: Db, generation: number, facts: readonly MetricFact[]): Promise<void> {
  if (facts.length === 0) return;
  const batch = await readBatch(tx, generation, facts);
  for (const fact of facts) batch.apply(fact);

  const achievements = [...batch.newAchievements].map(([achievementId, issuerId]) => ({ generation, achievementId, issuerId }));
  for (const rows of chunks(achievements)) await tx.insert(metricAchievements).values(rows).onConflictDoNothing();

  for (const rows of chunks(batch.changed())) {
    await tx
      .insert(metricCredentials)
      .values(rows.map((credential) => ({ generation, ...credential })))
      .onConflictDoUpdate({
        target: [metricCredentials.generation, metricCredentials.credentialId],
        set: {
          recipientId: sql`excluded.recipient_id`,
          deliveredAt: sql`excluded.delivered_at`,
          claimedAt: sql`excluded.claimed_at`,
          firstSharedAt: sql`excluded.first_shared_at`,
          firstThirdPartyVerifiedAt: sql`excluded.first_third_party_verified_at`,
          thirdPartyVerifications: sql`excluded.third_party_verifications`,
          revokedAt: sql`excluded.revoked_at`,
        },
      });
  }

  const shares = [...batch.newShares].map(([shareId, share]) => ({ generation, shareId, ...share }));
  for (const rows of chunks(shares)) await tx.insert(metricShares).values(rows).onConflictDoNothing();

  const progress = [...batch.pathwayProgress.values()].map((row) => ({ generation, ...row }));
  for (const rows of chunks(progress)) {
    await tx
      .insert(metricPathwayProgress)
      .values(rows)
      .onConflictDoUpdate({
        target: [metricPathwayProgress.generation, metricPathwayProgress.pathwayId, metricPathwayProgress.recipientId],
        set: {
          startedAt: sql`coalesce(${metricPathwayProgress.startedAt}, excluded.started_at)`,
          completedAt: sql`coalesce(${metricPathwayProgress.completedAt}, excluded.completed_at)`,
        },
      });
  }

  const days = [...batch.days.values()].map((row) => ({ generation, ...row }));
  for (const rows of chunks(days)) {
    await tx
      .insert(metricDaily)
      .values(rows)
      .onConflictDoUpdate({
        target: [metricDaily.generation, metricDaily.issuerId, metricDaily.achievementId, metricDaily.day, metricDaily.kind, metricDaily.detail],
        set: { count: sql`${metricDaily.count} + excluded.count`, updatedAt: sql`now()` },
      });
  }
}

/** Starts a rebuild: a fresh generation after the active one, emptied of what an abandoned rebuild left. */
export async function beginMetricRebuild(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.insert(metricGenerations).values({}).onConflictDoNothing();
    const [row] = await tx.select().from(metricGenerations).for('update');
    const generation = row!.active + 1;
    await deleteMetricGeneration(tx, generation);
    await tx.update(metricGenerations).set({ building: generation });
    return generation;
  });
}

/** Makes a built generation the active one (caller's transaction); the live consumer writes it from its next step. */
export async function activateMetricGeneration(tx: Db, generation: number): Promise<number> {
  const [row] = await tx.select().from(metricGenerations).for('update');
  await tx.update(metricGenerations).set({ active: generation, building: null, swappedAt: sql`now()` });
  return row!.active;
}

/** Drops every row of one generation (a retired one after a swap, or an abandoned rebuild's). */
export async function deleteMetricGeneration(db: Db, generation: number): Promise<void> {
  for (const table of [metricDaily, metricCredentials, metricShares, metricAchievements, metricPathwayProgress]) {
    await db.delete(table).where(eq(table.generation, generation));
  }
}
