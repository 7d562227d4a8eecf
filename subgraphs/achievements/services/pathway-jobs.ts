import type { Db } from '../../../lib/db/client.js';
import { pathwayStartedEvent } from '../../../lib/events/contracts/pathway-started.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { Logger } from '../../../lib/log.js';
import type { PathwayJobStore } from '../db/pathway-job-store.js';
import type { PathwayStore } from '../db/pathway-store.js';
import type { PathwayProgressService } from './pathway-progress.js';

export interface PathwayJobsDeps {
  db: Db;
  jobs: PathwayJobStore;
  pathways: Pick<PathwayStore, 'findVersion'>;
  progress: Pick<PathwayProgressService, 'backfillChunk'>;
  log: Logger;
}

/**
 * The durable pathway jobs, each step one transaction whose writes, events and checkpoint commit together: a crash
 * loses at most the step in flight, which the next run does again from the checkpoint.
 */
export function createPathwayJobs({ db, jobs, pathways, progress, log }: PathwayJobsDeps) {
  return {
    /**
     * One chunk of the oldest pending back-fill: returns how many holders it took, or null when none is pending.
     * The job row stays locked until the chunk commits, so two workers never take the same chunk.
     */
    async backfillChunk(chunkSize: number, at = new Date()): Promise<number | null> {
      return db.transaction(async (tx) => {
        const job = await jobs.claimPendingBackfill(tx);
        if (!job) return null;
        const ref = { pathwayId: job.pathwayId, version: job.version };
        const pathway = await pathways.findVersion(tx, job.pathwayId, job.version);
        const chunk = pathway ? await progress.backfillChunk(tx, pathway, job.afterRecipientId, chunkSize, at) : { events: [], holders: [] };
        const done = chunk.holders.length < chunkSize;
        await jobs.advanceBackfill(tx, ref, { afterRecipientId: chunk.holders.at(-1) ?? job.afterRecipientId, processed: chunk.holders.length, done });
        await appendEvents(tx, chunk.events);
        if (done) log.info({ ...ref, holders: job.holdersProcessed + chunk.holders.length }, 'pathway back-fill done');
        return chunk.holders.length;
      });
    },

    /** PathwayStarted for progress rows that never had one (written before that event existed); returns how many. */
    async announceStarts(limit: number): Promise<number> {
      return db.transaction(async (tx) => {
        const starts = await jobs.claimUnannouncedStarts(tx, limit);
        await jobs.markStartsAnnounced(tx, starts);
        await appendEvents(
          tx,
          starts.map((start) =>
            pathwayStartedEvent.build({ pathwayId: start.pathwayId, version: start.version, issuerId: start.issuerId, recipientId: start.recipientId, startedAt: start.startedAt.toISOString() }),
          ),
        );
        return starts.length;
      });
    },
  };
}

export type PathwayJobs = ReturnType<typeof createPathwayJobs>;
