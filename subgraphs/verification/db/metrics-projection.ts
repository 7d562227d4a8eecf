import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { NO_ACHIEVEMENT, THIRD_PARTIES, utcDay, type DailyKind, type MetricFact } from '../domain/metric-facts.js';
import { metricAchievements, metricCredentials, metricDaily, metricGenerations, metricPathwayProgress, metricShares } from './tables.js';

/** The generation reads use and the live consumer writes (1 before any rebuild). */
export async function activeMetricGeneration(db: Db): Promise<number> {
  const [row] = await db.select({ active: metricGenerations.active }).from(metricGenerations).limit(1);
  return row?.active ?? 1;
}

type DayKey = { issuerId: string; achievementId: string | null; at: Date; kind: DailyKind; detail?: string };

/**
 * The day counts a run of facts adds, summed in memory: a batch of events writes them with one statement
 * (`flushDayCounts`) instead of one upsert per event.
 */
export type DayCounts = Map<string, typeof metricDaily.$inferInsert & { count: number }>;

function addToDay(days: DayCounts, key: DayKey, by = 1): void {
  if (by === 0) return;
  const row = { issuerId: key.issuerId, achievementId: key.achievementId ?? NO_ACHIEVEMENT, day: utcDay(key.at), kind: key.kind, detail: key.detail ?? '' };
  const id = `${row.issuerId}|${row.achievementId}|${row.day}|${row.kind}|${row.detail}`;
  const counted = days.get(id);
  if (counted) counted.count += by;
  else days.set(id, { generation: 0, ...row, count: by });
}

/** Adds the summed day counts to one generation (inside the consumer's transaction). */
export async function flushDayCounts(tx: Db, generation: number, days: DayCounts): Promise<void> {
  const rows = [...days.values()].map((row) => ({ ...row, generation }));
  for (let start = 0; start < rows.length; start += 1_000) {
    await tx
      .insert(metricDaily)
      .values(rows.slice(start, start + 1_000))
      .onConflictDoUpdate({
        target: [metricDaily.generation, metricDaily.issuerId, metricDaily.achievementId, metricDaily.day, metricDaily.kind, metricDaily.detail],
        set: { count: sql`${metricDaily.count} + excluded.count`, updatedAt: sql`now()` },
      });
  }
  days.clear();
}

/** The columns that place a credential in the day counts. */
const CREDENTIAL_KEY = { credentialId: metricCredentials.credentialId, issuerId: metricCredentials.issuerId, achievementId: metricCredentials.achievementId };

type CredentialKey = { credentialId: string; issuerId: string; achievementId: string | null };

async function credentialsByIds(tx: Db, generation: number, ids: readonly string[]): Promise<CredentialKey[]> {
  if (ids.length === 0) return [];
  return tx
    .select(CREDENTIAL_KEY)
    .from(metricCredentials)
    .where(and(eq(metricCredentials.generation, generation), inArray(metricCredentials.credentialId, [...new Set(ids.map((id) => id.toLowerCase()))])));
}

/** One more of `kind` for each credential a first-time update touched (none when it had happened before). */
function countEach(days: DayCounts, credentials: readonly CredentialKey[], kind: DailyKind, at: Date): void {
  for (const credential of credentials) addToDay(days, { ...credential, at, kind });
}

const ofCredential = (generation: number, credentialId: string) => and(eq(metricCredentials.generation, generation), eq(metricCredentials.credentialId, credentialId));

/**
 * Applies one fact to one generation, inside the consumer's transaction (which also moves its checkpoint, so a fact is
 * applied once per generation whatever the crashes and replicas); its day counts go to `days`, which the caller
 * flushes. Per-credential "first time" columns are set only while empty, so a credential delivered, claimed or shared
 * twice counts once where the metrics count credentials.
 */
export async function applyMetricFact(tx: Db, generation: number, fact: MetricFact, days: DayCounts): Promise<void> {
  switch (fact.kind) {
    case 'achievementCreated':
      await tx.insert(metricAchievements).values({ generation, achievementId: fact.achievementId, issuerId: fact.issuerId }).onConflictDoNothing();
      return addToDay(days, { issuerId: fact.issuerId, achievementId: fact.achievementId, at: fact.at, kind: 'ACHIEVEMENT_CREATED' });
    case 'issued': {
      const inserted = await tx
        .insert(metricCredentials)
        .values({ generation, credentialId: fact.credentialId, issuerId: fact.issuerId, achievementId: fact.achievementId, issuedAt: fact.at })
        .onConflictDoNothing()
        .returning({ credentialId: metricCredentials.credentialId });
      if (inserted.length > 0) addToDay(days, { ...fact, kind: 'ISSUED' });
      return;
    }
    case 'statusChanged': {
      const [credential] = await credentialsByIds(tx, generation, [fact.credentialId]);
      if (!credential) return;
      if (fact.status === 'REVOKED') await tx.update(metricCredentials).set({ revokedAt: fact.at }).where(ofCredential(generation, credential.credentialId));
      return addToDay(days, { ...credential, at: fact.at, kind: fact.status });
    }
    case 'delivered': {
      const delivered = await tx
        .update(metricCredentials)
        .set({ recipientId: fact.recipientId, deliveredAt: fact.at })
        .where(and(ofCredential(generation, fact.credentialId), isNull(metricCredentials.deliveredAt)))
        .returning(CREDENTIAL_KEY);
      countEach(days, delivered, 'DELIVERED', fact.at);
      return;
    }
    case 'imported': {
      const claimed = await tx
        .update(metricCredentials)
        .set({ recipientId: sql`coalesce(${metricCredentials.recipientId}, ${fact.recipientId}::uuid)`, claimedAt: fact.at })
        .where(and(ofCredential(generation, fact.credentialId), isNull(metricCredentials.claimedAt)))
        .returning(CREDENTIAL_KEY);
      countEach(days, claimed, 'CLAIMED', fact.at);
      return;
    }
    case 'signedIn': {
      const claimed = await tx
        .update(metricCredentials)
        .set({ claimedAt: fact.at })
        .where(
          and(
            eq(metricCredentials.generation, generation),
            eq(metricCredentials.recipientId, fact.recipientId),
            isNull(metricCredentials.claimedAt),
            lte(metricCredentials.deliveredAt, fact.at),
          ),
        )
        .returning(CREDENTIAL_KEY);
      countEach(days, claimed, 'CLAIMED', fact.at);
      return;
    }
    case 'shared': {
      if (fact.shareId) {
        await tx.insert(metricShares).values({ generation, shareId: fact.shareId, recipientId: fact.recipientId, credentialIds: fact.credentialIds }).onConflictDoNothing();
      }
      const known = await credentialsByIds(tx, generation, fact.credentialIds);
      if (known.length === 0) return;
      await tx
        .update(metricCredentials)
        .set({ firstSharedAt: sql`coalesce(${metricCredentials.firstSharedAt}, ${fact.at.toISOString()}::timestamptz)` })
        .where(and(eq(metricCredentials.generation, generation), inArray(metricCredentials.credentialId, known.map((credential) => credential.credentialId))));
      for (const credential of known) addToDay(days, { ...credential, at: fact.at, kind: 'SHARED' });
      return;
    }
    case 'shareViewed': {
      const [share] = await tx
        .select({ credentialIds: metricShares.credentialIds })
        .from(metricShares)
        .where(and(eq(metricShares.generation, generation), eq(metricShares.shareId, fact.shareId)));
      if (!share) return;
      for (const credential of await credentialsByIds(tx, generation, share.credentialIds)) {
        addToDay(days, { ...credential, at: fact.at, kind: 'SHARE_VIEWED' }, fact.count);
      }
      return;
    }
    case 'verified': {
      const [credential] = fact.credentialId ? await credentialsByIds(tx, generation, [fact.credentialId]) : [];
      const issuerId = credential?.issuerId ?? fact.issuerId;
      if (!issuerId) return;
      if (credential && THIRD_PARTIES.has(fact.relyingParty)) {
        await tx
          .update(metricCredentials)
          .set({
            thirdPartyVerifications: sql`${metricCredentials.thirdPartyVerifications} + 1`,
            firstThirdPartyVerifiedAt: sql`coalesce(${metricCredentials.firstThirdPartyVerifiedAt}, ${fact.at.toISOString()}::timestamptz)`,
          })
          .where(ofCredential(generation, credential.credentialId));
      }
      return addToDay(days, { issuerId, achievementId: credential?.achievementId ?? null, at: fact.at, kind: 'VERIFIED', detail: `${fact.relyingParty}:${fact.verdict}` });
    }
    case 'recipientsMerged':
      await tx
        .update(metricCredentials)
        .set({ recipientId: fact.survivorId })
        .where(and(eq(metricCredentials.generation, generation), eq(metricCredentials.recipientId, fact.mergedRecipientId)));
      return;
    case 'pathwayProgressed':
      await tx
        .insert(metricPathwayProgress)
        .values({ generation, pathwayId: fact.pathwayId, issuerId: fact.issuerId, recipientId: fact.recipientId, startedAt: fact.startedAt, completedAt: fact.completedAt })
        .onConflictDoUpdate({
          target: [metricPathwayProgress.generation, metricPathwayProgress.pathwayId, metricPathwayProgress.recipientId],
          set: {
            startedAt: sql`coalesce(${metricPathwayProgress.startedAt}, excluded.started_at)`,
            completedAt: sql`coalesce(${metricPathwayProgress.completedAt}, excluded.completed_at)`,
          },
        });
      return;
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
