import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { jsonRecordset } from '../../../lib/db/json-rows.js';
import { isUuid } from '../../../lib/ids.js';
import { cohortCellChanges, dayOfNumber } from '../domain/cohort-cells.js';
import { MetricBatch, metricBatchReads, type MetricCredential } from '../domain/metric-batch.js';
import type { MetricFact } from '../domain/metric-facts.js';
import { metricAchievements, metricCohortCells, metricCredentials, metricDaily, metricGenerations, metricIssuerDaily, metricPathwayProgress, metricShares } from './tables.js';

/** The generation reads use and the live consumer writes (1 before any rebuild). */
export async function activeMetricGeneration(db: Db): Promise<number> {
  const [row] = await db.select({ active: metricGenerations.active }).from(metricGenerations).limit(1);
  return row?.active ?? 1;
}

const anyOf = (ids: readonly string[]) => sql`any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid[])`;

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
    ...(credentialIds.size > 0 ? [sql`${metricCredentials.credentialId} = ${anyOf([...credentialIds])}`] : []),
    ...(reads.recipientIds.length > 0 ? [sql`${metricCredentials.recipientId} = ${anyOf(reads.recipientIds)}`] : []),
  ];
  const credentials = named.length > 0 ? await tx.select().from(metricCredentials).where(and(eq(metricCredentials.generation, generation), or(...named))) : [];
  return new MetricBatch(credentials, shares);
}

/**
 * The cohort cells a batch changes. A recipient's cells depend on all their credentials, so those of the recipients
 * of the batch's changed credentials that the batch did not read are read now (one statement): unchanged, they are
 * the same before and after.
 */
async function cohortCellsChanged(tx: Db, generation: number, batch: MetricBatch) {
  const recipients = new Set<string>();
  for (const credentialId of batch.changedCredentials) {
    for (const credential of [batch.original.get(credentialId), batch.credentials.get(credentialId)]) {
      if (credential?.recipientId) recipients.add(credential.recipientId.toLowerCase());
    }
  }
  const held: MetricCredential[] =
    recipients.size > 0
      ? await tx
          .select()
          .from(metricCredentials)
          .where(and(eq(metricCredentials.generation, generation), sql`${metricCredentials.recipientId} = ${anyOf([...recipients])}`))
      : [];
  // The batch's own rows are left to its before and after states (filtered here: a `not in` of the batch's ids made the read several times slower).
  const unread = held.filter((credential) => !batch.credentials.has(credential.credentialId));
  const withUnread = (states: ReadonlyMap<string, MetricCredential>) => new Map([...states, ...unread.map((credential) => [credential.credentialId, credential] as const)]);
  return cohortCellChanges(withUnread(batch.original), withUnread(batch.credentials), batch.changedCredentials);
}

/**
 * Applies a batch of facts to one generation, inside the consumer's transaction (which also moves its checkpoint, so
 * a fact is applied once per generation whatever the crashes and replicas). The batch reads the rows it touches with
 * two statements, applies its facts in memory in log order (domain/metric-batch.ts), reads the other credentials of
 * the recipients it changed (their cohort cells), and writes each table it changed with one multi-row statement (rows
 * travel as one JSON parameter): the statements per batch do not grow with its events.
 */
export async function projectMetricFacts(tx: Db, generation: number, facts: readonly MetricFact[]): Promise<void> {
  if (facts.length === 0) return;
  const batch = await readBatch(tx, generation, facts);
  for (const fact of facts) batch.apply(fact);

  const achievements = [...batch.newAchievements].map(([achievementId, issuerId]) => ({ generation, achievementId, issuerId }));
  if (achievements.length > 0) {
    const { columns, select } = jsonRecordset(metricAchievements, achievements);
    await tx.execute(sql`insert into ${metricAchievements} (${columns}) ${select} on conflict do nothing`);
  }

  const credentials = batch.changed().map((credential) => ({ ...credential, generation }));
  const cells = credentials.length > 0 ? await cohortCellsChanged(tx, generation, batch) : [];
  if (credentials.length > 0) {
    const { columns, select } = jsonRecordset(metricCredentials, credentials);
    await tx.execute(sql`
      insert into ${metricCredentials} (${columns}) ${select}
      on conflict (generation, credential_id) do update set
        recipient_id = excluded.recipient_id, delivered_at = excluded.delivered_at, claimed_at = excluded.claimed_at,
        first_shared_at = excluded.first_shared_at, first_third_party_verified_at = excluded.first_third_party_verified_at,
        third_party_verifications = excluded.third_party_verifications, revoked_at = excluded.revoked_at`);
  }

  if (cells.length > 0) {
    const rows = cells.map(({ fromUntil, toAfter, ...cell }) => ({ ...cell, generation, fromUntil: dayOfNumber(fromUntil), toAfter: dayOfNumber(toAfter) }));
    const { columns, select } = jsonRecordset(metricCohortCells, rows);
    await tx.execute(sql`
      insert into ${metricCohortCells} (${columns}) ${select}
      on conflict (generation, scope_kind, scope_id, from_until, to_after) do update set
        standing = ${metricCohortCells.standing} + excluded.standing,
        verified_credentials = ${metricCohortCells.verifiedCredentials} + excluded.verified_credentials,
        third_party_verifications = ${metricCohortCells.thirdPartyVerifications} + excluded.third_party_verifications,
        recipients = ${metricCohortCells.recipients} + excluded.recipients,
        sharing_recipients = ${metricCohortCells.sharingRecipients} + excluded.sharing_recipients`);
  }

  const shares = [...batch.newShares].map(([shareId, share]) => ({ generation, shareId, ...share }));
  if (shares.length > 0) {
    const { columns, select } = jsonRecordset(metricShares, shares);
    await tx.execute(sql`insert into ${metricShares} (${columns}) ${select} on conflict do nothing`);
  }

  const progress = [...batch.pathwayProgress.values()].map((row) => ({ generation, ...row }));
  if (progress.length > 0) {
    const { columns, select } = jsonRecordset(metricPathwayProgress, progress);
    // The earliest start and completion already recorded are kept.
    await tx.execute(sql`
      insert into ${metricPathwayProgress} (${columns}) ${select}
      on conflict (generation, pathway_id, recipient_id) do update set
        started_at = coalesce(${metricPathwayProgress.startedAt}, excluded.started_at),
        completed_at = coalesce(${metricPathwayProgress.completedAt}, excluded.completed_at)`);
  }

  const days = [...batch.days.values()].map((row) => ({ generation, ...row }));
  if (days.length > 0) {
    const { columns, select } = jsonRecordset(metricDaily, days);
    await tx.execute(sql`
      insert into ${metricDaily} (${columns}) ${select}
      on conflict (generation, issuer_id, achievement_id, day, kind, detail) do update set
        count = ${metricDaily.count} + excluded.count, updated_at = now()`);
    const issuerDays = [...batch.issuerDays().values()].map((row) => ({ generation, ...row }));
    const issuerRows = jsonRecordset(metricIssuerDaily, issuerDays);
    await tx.execute(sql`
      insert into ${metricIssuerDaily} (${issuerRows.columns}) ${issuerRows.select}
      on conflict (generation, issuer_id, day, kind, detail) do update set
        count = ${metricIssuerDaily.count} + excluded.count, updated_at = now()`);
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
  for (const table of [metricDaily, metricIssuerDaily, metricCohortCells, metricCredentials, metricShares, metricAchievements, metricPathwayProgress]) {
    await db.delete(table).where(eq(table.generation, generation));
  }
}
