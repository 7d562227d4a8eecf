import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { pathwayBackfills, pathwayProgress, pathwayVersions, type PathwayBackfillRow } from './pathway-tables.js';
import type { VersionRef } from './progress-store.js';

export interface UnannouncedStart {
  recipientId: string;
  pathwayId: string;
  version: number;
  issuerId: string;
  startedAt: Date;
}

/** The durable pathway jobs: back-fills of published versions and progress rows whose start was never announced. */
export function createPathwayJobStore(db: Db) {
  return {
    /** In the publish transaction: the version's back-fill is owed from now on (publishing twice owes it once). */
    async insertBackfill(tx: Db, ref: VersionRef): Promise<void> {
      await tx.insert(pathwayBackfills).values(ref).onConflictDoNothing();
    },

    /** The oldest pending back-fill nobody else is working on, locked until the chunk commits. */
    async claimPendingBackfill(tx: Db): Promise<PathwayBackfillRow | null> {
      const [row] = await tx
        .select()
        .from(pathwayBackfills)
        .where(eq(pathwayBackfills.state, 'PENDING'))
        .orderBy(asc(pathwayBackfills.createdAt))
        .limit(1)
        .for('update', { skipLocked: true });
      return row ?? null;
    },

    /** The checkpoint, committed with the chunk it follows. */
    async advanceBackfill(tx: Db, ref: VersionRef, progress: { afterRecipientId: string | null; processed: number; done: boolean }): Promise<void> {
      await tx
        .update(pathwayBackfills)
        .set({
          afterRecipientId: progress.afterRecipientId,
          holdersProcessed: sql`${pathwayBackfills.holdersProcessed} + ${progress.processed}`,
          ...(progress.done ? { state: 'DONE' as const, finishedAt: sql`now()` } : {}),
        })
        .where(and(eq(pathwayBackfills.pathwayId, ref.pathwayId), eq(pathwayBackfills.version, ref.version)));
    },

    async backfillOf(ref: VersionRef): Promise<PathwayBackfillRow | null> {
      const [row] = await db
        .select()
        .from(pathwayBackfills)
        .where(and(eq(pathwayBackfills.pathwayId, ref.pathwayId), eq(pathwayBackfills.version, ref.version)));
      return row ?? null;
    },

    /** Progress rows whose PathwayStarted is owed, locked (SKIP LOCKED: replicas share them) until their events commit. */
    async claimUnannouncedStarts(tx: Db, limit: number): Promise<UnannouncedStart[]> {
      const rows = await tx
        .select({ recipientId: pathwayProgress.recipientId, pathwayId: pathwayProgress.pathwayId, version: pathwayProgress.version, startedAt: pathwayProgress.startedAt })
        .from(pathwayProgress)
        .where(sql`not ${pathwayProgress.startAnnounced}`)
        .limit(limit)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return [];
      // Read apart from the claim, so FOR UPDATE locks the progress rows alone.
      const issuers = await tx
        .select({ pathwayId: pathwayVersions.pathwayId, version: pathwayVersions.version, issuerId: pathwayVersions.issuerId })
        .from(pathwayVersions)
        .where(inArray(pathwayVersions.pathwayId, [...new Set(rows.map((row) => row.pathwayId))]));
      const issuerOf = new Map(issuers.map((row) => [`${row.pathwayId}|${row.version}`, row.issuerId]));
      return rows.map((row) => ({ ...row, issuerId: issuerOf.get(`${row.pathwayId}|${row.version}`)! }));
    },

    async markStartsAnnounced(tx: Db, starts: readonly UnannouncedStart[]): Promise<void> {
      for (const ref of new Set(starts.map((start) => `${start.pathwayId}|${start.version}`))) {
        const [pathwayId, version] = ref.split('|') as [string, string];
        const recipientIds = starts.filter((start) => start.pathwayId === pathwayId && start.version === Number(version)).map((start) => start.recipientId);
        await tx
          .update(pathwayProgress)
          .set({ startAnnounced: true })
          .where(and(eq(pathwayProgress.pathwayId, pathwayId), eq(pathwayProgress.version, Number(version)), inArray(pathwayProgress.recipientId, recipientIds)));
      }
    },
  };
}

export type PathwayJobStore = ReturnType<typeof createPathwayJobStore>;
