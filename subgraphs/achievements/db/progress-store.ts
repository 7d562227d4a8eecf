import { and, arrayOverlaps, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { rowsOf } from '../../../lib/db/rows.js';
import { isUuid, queryableIds } from '../../../lib/ids.js';
import type { AwardStanding } from '../domain/pathway-awards.js';
import type { HoldingStatus } from '../domain/pathway-progress.js';
import {
  heldCredentials,
  pathwayAwards,
  pathwayFollowers,
  pathwayLeafKeys,
  pathwayProgress,
  pathwayVersions,
  type HeldCredentialRow,
  type NewHeldCredentialRow,
  type PathwayAwardRow,
  type PathwayProgressRow,
  type PathwayProgressWithAwards,
  type PathwayView,
} from './pathway-tables.js';

export interface VersionRef {
  pathwayId: string;
  version: number;
}

type AwardJson = Omit<PathwayAwardRow, 'awardedAt' | 'changedAt'> & { awardedAt: string; changedAt: string };

/** json_build_object gives timestamps as text (and PGlite may hand the aggregate over unparsed). */
function parsedAwards(awards: AwardJson[] | string): PathwayAwardRow[] {
  const list: AwardJson[] = typeof awards === 'string' ? JSON.parse(awards) : awards;
  return list.map((award) => ({ ...award, awardedAt: new Date(award.awardedAt), changedAt: new Date(award.changedAt) }));
}

/** The progress projection's tables: held credentials, progress, awards, followers. Writes take the caller's transaction. */
export function createProgressStore(db: Db) {
  return {
    /** Records a credential (or refreshes what is known of it); a revocation already recorded stays (revocation is final). */
    async upsertHeld(tx: Db, row: NewHeldCredentialRow): Promise<void> {
      const { credentialId: _id, recipientId, ...rest } = row;
      await tx
        .insert(heldCredentials)
        .values(row)
        .onConflictDoUpdate({
          target: heldCredentials.credentialId,
          set: {
            ...rest,
            // A delivery names the recipient; a later re-read of the issuance must not forget it.
            ...(recipientId ? { recipientId } : {}),
            status: sql`case when ${heldCredentials.status} = 'REVOKED' then 'REVOKED' else excluded.status end`,
            updatedAt: sql`now()`,
          },
        });
    },

    /** A credential this hub issued reached its recipient's wallet; returns it, or null when its issuance is unknown. */
    async deliver(tx: Db, credentialId: string, recipientId: string): Promise<HeldCredentialRow | null> {
      const [row] = await tx
        .update(heldCredentials)
        .set({ recipientId, updatedAt: sql`now()` })
        .where(eq(heldCredentials.credentialId, credentialId))
        .returning();
      return row ?? null;
    },

    /** Sets a credential's status, unless it was revoked (final); returns it, or null when unknown. */
    async setStatus(tx: Db, credentialId: string, status: HoldingStatus): Promise<HeldCredentialRow | null> {
      const [row] = await tx
        .update(heldCredentials)
        .set({ status: sql`case when ${heldCredentials.status} = 'REVOKED' then 'REVOKED' else ${status} end`, updatedAt: sql`now()` })
        .where(eq(heldCredentials.credentialId, credentialId))
        .returning();
      return row ?? null;
    },

    /**
     * Delivered credentials whose `validUntil` has passed and whose holders were not re-evaluated since, locked
     * (`SKIP LOCKED`: replicas sweep different rows), oldest expiry first.
     */
    async claimExpired(tx: Db, now: Date, limit: number): Promise<HeldCredentialRow[]> {
      return tx
        .select()
        .from(heldCredentials)
        .where(and(isNull(heldCredentials.expiryAppliedAt), lte(heldCredentials.validUntil, now), isNotNull(heldCredentials.recipientId)))
        .orderBy(asc(heldCredentials.validUntil))
        .limit(limit)
        .for('update', { skipLocked: true });
    },

    async markExpiryApplied(tx: Db, credentialIds: readonly string[], at: Date): Promise<void> {
      if (credentialIds.length > 0) await tx.update(heldCredentials).set({ expiryAppliedAt: at }).where(inArray(heldCredentials.credentialId, [...credentialIds]));
    },

    async heldBy(tx: Db, recipientId: string): Promise<HeldCredentialRow[]> {
      return tx.select().from(heldCredentials).where(eq(heldCredentials.recipientId, recipientId)).orderBy(asc(heldCredentials.credentialId));
    },

    /** Published pathway versions with a leaf any of these keys match. */
    async publishedVersionsMatching(tx: Db, keys: readonly string[]): Promise<PathwayView[]> {
      if (keys.length === 0) return [];
      const rows = await tx
        .selectDistinct({ row: pathwayVersions })
        .from(pathwayLeafKeys)
        .innerJoin(pathwayVersions, and(eq(pathwayVersions.pathwayId, pathwayLeafKeys.pathwayId), eq(pathwayVersions.version, pathwayLeafKeys.version)))
        .where(and(inArray(pathwayLeafKeys.key, [...keys]), eq(pathwayVersions.status, 'PUBLISHED')));
      return rows.map(({ row }) => ({ ...row, id: row.pathwayId }));
    },

    /**
     * A page of the recipients holding a credential any of these leaf keys match (whom a newly published version
     * concerns), in recipient-id order after `after`.
     */
    async recipientsHoldingKeys(tx: Db, keys: readonly string[], page: { after: string | null; limit: number }): Promise<string[]> {
      const achievementIds = keys.filter((key) => key.startsWith('A|')).map((key) => key.slice(2));
      const urls = keys.filter((key) => key.startsWith('U|')).map((key) => key.slice(2));
      const skills = keys.filter((key) => key.startsWith('S|')).map((key) => key.slice(2));
      const rows = await tx
        .selectDistinct({ recipientId: heldCredentials.recipientId })
        .from(heldCredentials)
        .where(
          and(
            isNotNull(heldCredentials.recipientId),
            page.after === null ? undefined : gt(heldCredentials.recipientId, page.after),
            or(
              achievementIds.length ? inArray(heldCredentials.achievementId, achievementIds) : undefined,
              urls.length ? inArray(heldCredentials.achievementUrl, urls) : undefined,
              skills.length ? arrayOverlaps(heldCredentials.skills, skills) : undefined,
            ),
          ),
        )
        .orderBy(asc(heldCredentials.recipientId))
        .limit(page.limit);
      return rows.map((row) => row.recipientId!);
    },

    /**
     * True once per progress row: the caller appends its PathwayStarted. The row lock makes a concurrent writer wait
     * and then find it claimed, so racing transactions announce a start once.
     */
    async claimStartAnnouncement(tx: Db, row: VersionRef & { recipientId: string }): Promise<boolean> {
      const claimed = await tx
        .update(pathwayProgress)
        .set({ startAnnounced: true })
        .where(
          and(
            eq(pathwayProgress.recipientId, row.recipientId),
            eq(pathwayProgress.pathwayId, row.pathwayId),
            eq(pathwayProgress.version, row.version),
            sql`not ${pathwayProgress.startAnnounced}`,
          ),
        )
        .returning({ recipientId: pathwayProgress.recipientId });
      return claimed.length === 1;
    },

    /**
     * Records progress (`startedAt` only with the first row); returns the percent it had before (null when it had none:
     * the recipient just started) and whether the recipient follows the pathway.
     */
    async upsertProgress(tx: Db, row: Omit<PathwayProgressRow, 'updatedAt' | 'startAnnounced'>): Promise<{ previousPercent: number | null; following: boolean }> {
      const { recipientId: _r, pathwayId: _p, version: _v, startedAt: _s, ...changes } = row;
      const [before] = await tx
        .select({
          percent: pathwayProgress.percent,
          following: sql<boolean>`exists (select 1 from ${pathwayFollowers} where ${pathwayFollowers.pathwayId} = ${row.pathwayId}::uuid and ${pathwayFollowers.recipientId} = ${row.recipientId}::uuid)`,
        })
        .from(sql`(select 1) as one`)
        .leftJoin(pathwayProgress, and(eq(pathwayProgress.recipientId, row.recipientId), eq(pathwayProgress.pathwayId, row.pathwayId), eq(pathwayProgress.version, row.version)));
      await tx
        .insert(pathwayProgress)
        .values(row)
        .onConflictDoUpdate({ target: [pathwayProgress.recipientId, pathwayProgress.pathwayId, pathwayProgress.version], set: { ...changes, updatedAt: sql`now()` } });
      return { previousPercent: before?.percent ?? null, following: Boolean(before?.following) };
    },

    async awardsOf(tx: Db, recipientId: string, ref: VersionRef): Promise<PathwayAwardRow[]> {
      return tx
        .select()
        .from(pathwayAwards)
        .where(and(eq(pathwayAwards.recipientId, recipientId), eq(pathwayAwards.pathwayId, ref.pathwayId), eq(pathwayAwards.version, ref.version)));
    },

    /** Records an award once: false when it was recorded already (its idempotency key is the primary key). */
    async insertAward(tx: Db, row: Omit<PathwayAwardRow, 'changedAt'>): Promise<boolean> {
      const inserted = await tx.insert(pathwayAwards).values(row).onConflictDoNothing().returning({ nodeId: pathwayAwards.nodeId });
      return inserted.length === 1;
    },

    async setAwardStanding(tx: Db, key: VersionRef & { recipientId: string; nodeId: string }, standing: AwardStanding): Promise<void> {
      await tx
        .update(pathwayAwards)
        .set({ standing, changedAt: sql`now()` })
        .where(
          and(eq(pathwayAwards.pathwayId, key.pathwayId), eq(pathwayAwards.version, key.version), eq(pathwayAwards.recipientId, key.recipientId), eq(pathwayAwards.nodeId, key.nodeId)),
        );
    },

    /** Moves everything of a merged recipient record to the survivor (rows the survivor has already win). */
    async repointRecipient(tx: Db, mergedRecipientId: string, survivorId: string): Promise<void> {
      await tx.update(heldCredentials).set({ recipientId: survivorId }).where(eq(heldCredentials.recipientId, mergedRecipientId));
      await tx.execute(sql`
        insert into ${pathwayFollowers} (pathway_id, recipient_id, enrolled_by, followed_at)
        select pathway_id, ${survivorId}::uuid, enrolled_by, followed_at from ${pathwayFollowers} where recipient_id = ${mergedRecipientId}::uuid
        on conflict do nothing`);
      await tx.execute(sql`
        insert into ${pathwayAwards} (pathway_id, version, recipient_id, node_id, achievement_id, standing, credential_ids, awarded_at, changed_at)
        select pathway_id, version, ${survivorId}::uuid, node_id, achievement_id, standing, credential_ids, awarded_at, changed_at from ${pathwayAwards} where recipient_id = ${mergedRecipientId}::uuid
        on conflict do nothing`);
      for (const table of [pathwayFollowers, pathwayAwards, pathwayProgress]) await tx.delete(table).where(eq(table.recipientId, mergedRecipientId));
    },

    /** Follows (idempotent); returns how many recipients newly follow. */
    async follow(tx: Db, pathwayId: string, recipientIds: readonly string[], enrolledBy: 'RECIPIENT' | 'ISSUER'): Promise<number> {
      const valid = queryableIds(recipientIds);
      if (valid.length === 0) return 0;
      const inserted = await tx
        .insert(pathwayFollowers)
        .values(valid.map((recipientId) => ({ pathwayId, recipientId, enrolledBy })))
        .onConflictDoNothing()
        .returning({ recipientId: pathwayFollowers.recipientId });
      return inserted.length;
    },

    // Reads for GraphQL (no transaction).

    /**
     * Each recipient's progress rows with their awards, read in one statement: a credential's event changes progress
     * and award standing in one transaction, and two statements could show the new standing beside the old progress
     * (an award FLAGGED on a pathway still shown as satisfied).
     */
    async progressForRecipients(recipientIds: readonly string[]): Promise<PathwayProgressWithAwards[]> {
      const queryable = queryableIds(recipientIds);
      if (queryable.length === 0) return [];
      const rows = await db
        .select({
          progress: pathwayProgress,
          awards: sql<AwardJson[]>`coalesce((
            select json_agg(json_build_object('pathwayId', a.pathway_id, 'version', a.version, 'recipientId', a.recipient_id,
              'nodeId', a.node_id, 'achievementId', a.achievement_id, 'standing', a.standing, 'credentialIds', a.credential_ids,
              'awardedAt', a.awarded_at, 'changedAt', a.changed_at) order by a.node_id)
            from ${pathwayAwards} a
            -- qualified by the outer table: drizzle writes a lone table's columns unqualified, which would name a's own
            where a.recipient_id = ${pathwayProgress}.recipient_id and a.pathway_id = ${pathwayProgress}.pathway_id and a.version = ${pathwayProgress}.version
          ), '[]'::json)`,
        })
        .from(pathwayProgress)
        .where(inArray(pathwayProgress.recipientId, queryable))
        .orderBy(asc(pathwayProgress.pathwayId));
      return rows.map(({ progress, awards }) => ({ ...progress, awards: parsedAwards(awards) }));
    },

    async progressOn(ref: VersionRef, recipientId: string): Promise<PathwayProgressRow | null> {
      if (!isUuid(recipientId)) return null;
      const [row] = await db
        .select()
        .from(pathwayProgress)
        .where(and(eq(pathwayProgress.pathwayId, ref.pathwayId), eq(pathwayProgress.version, ref.version), eq(pathwayProgress.recipientId, recipientId)));
      return row ?? null;
    },

    /** Held credentials by id (a candidate view's visible credentials). */
    async heldByIds(credentialIds: readonly string[]): Promise<HeldCredentialRow[]> {
      const queryable = queryableIds(credentialIds);
      if (queryable.length === 0) return [];
      return db.select().from(heldCredentials).where(inArray(heldCredentials.credentialId, queryable));
    },

    async isFollowing(pathwayId: string, recipientId: string): Promise<boolean> {
      if (!isUuid(recipientId)) return false;
      const [row] = await db.select({ one: sql`1` }).from(pathwayFollowers).where(and(eq(pathwayFollowers.pathwayId, pathwayId), eq(pathwayFollowers.recipientId, recipientId)));
      return row !== undefined;
    },

    /**
     * Where those not done stopped, in every group: a group counts a recipient who is in it and has not satisfied it
     * (the root always; below it, a group they made progress in, and for a SEQUENCE only the element they are on),
     * at their step there (a SEQUENCE: the element they are on; ALL_OF and N_OF: how many of its children are done).
     * Read from the stored progress trees (`detail`), by one recursive query.
     */
    async groupStopsOf(ref: VersionRef): Promise<{ nodeId: string; step: number; recipients: number }[]> {
      const result = await db.execute(sql`
        with recursive stops(node) as (
          select ${pathwayProgress.detail} -> 'root' from ${pathwayProgress}
          where ${pathwayProgress.pathwayId} = ${ref.pathwayId}::uuid and ${pathwayProgress.version} = ${ref.version} and not ${pathwayProgress.satisfied}
          union all
          select child.value from stops cross join lateral jsonb_array_elements(stops.node -> 'children') with ordinality as child(value, position)
          where (child.value ->> 'satisfied')::boolean is not true
            and (child.value ->> 'fraction')::float8 > 0
            and ((stops.node ->> 'currentStep') is null or child.position - 1 = (stops.node ->> 'currentStep')::int)
        )
        select node ->> 'nodeId' as node_id,
          coalesce((node ->> 'currentStep')::int, (select count(*) from jsonb_array_elements(node -> 'children') done where (done ->> 'satisfied')::boolean))::int as step,
          count(*)::int as recipients
        from stops where jsonb_array_length(node -> 'children') > 0
        group by 1, 2 order by 1, 2`);
      return rowsOf<{ node_id: string; step: number; recipients: number }>(result).map((row) => ({ nodeId: row.node_id, step: Number(row.step), recipients: Number(row.recipients) }));
    },

    /** The issuer's view of one pathway version: who started, follows and completed, and where they stopped. */
    async statsOf(ref: VersionRef): Promise<{ started: number; following: number; completed: number; completionDays: number[]; steps: { step: number; recipients: number }[] }> {
      const ofVersion = and(eq(pathwayProgress.pathwayId, ref.pathwayId), eq(pathwayProgress.version, ref.version));
      const [counts] = await db
        .select({ started: sql<number>`count(*)::int`, completed: sql<number>`(count(*) filter (where ${pathwayProgress.satisfied}))::int` })
        .from(pathwayProgress)
        .where(ofVersion);
      const [following] = await db.select({ value: sql<number>`count(*)::int` }).from(pathwayFollowers).where(eq(pathwayFollowers.pathwayId, ref.pathwayId));
      const durations = await db
        .select({ days: sql<number>`extract(epoch from (${pathwayProgress.completedAt} - ${pathwayProgress.startedAt})) / 86400` })
        .from(pathwayProgress)
        .where(and(ofVersion, eq(pathwayProgress.satisfied, true)));
      const steps = await db
        .select({ step: pathwayProgress.step, recipients: sql<number>`count(*)::int` })
        .from(pathwayProgress)
        .where(and(ofVersion, eq(pathwayProgress.satisfied, false), isNotNull(pathwayProgress.step)))
        .groupBy(pathwayProgress.step)
        .orderBy(asc(pathwayProgress.step));
      return {
        started: counts?.started ?? 0,
        following: following?.value ?? 0,
        completed: counts?.completed ?? 0,
        completionDays: durations.map((row) => Math.max(0, Number(row.days))),
        steps: steps.map((row) => ({ step: row.step!, recipients: row.recipients })),
      };
    },
  };
}

export type ProgressStore = ReturnType<typeof createProgressStore>;
