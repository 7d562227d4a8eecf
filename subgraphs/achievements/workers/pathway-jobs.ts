import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../lib/log.js';
import type { PathwayJobs } from '../services/pathway-jobs.js';

/** @default 5_000 // how often pending back-fills and unannounced starts are looked for when nothing woke the worker */
const POLL_INTERVAL_MS = 5_000;
/** @default 500 // holders per back-fill transaction: short enough not to hold progress rows long, long enough to amortise */
export const BACKFILL_CHUNK = 500;
/** @default 500 */
const START_BATCH = 500;

/**
 * Runs the durable pathway jobs (services/pathway-jobs.ts) in the background: back-fills of published versions and
 * PathwayStarted owed to old progress rows. Every replica runs one; job rows are claimed with SKIP LOCKED, and a
 * restart resumes from the committed checkpoints.
 */
export function startPathwayJobs(jobs: PathwayJobs, log: Logger, options: { intervalMs?: number; chunkSize?: number; enabled?: boolean } = {}) {
  const { intervalMs = POLL_INTERVAL_MS, chunkSize = BACKFILL_CHUNK, enabled = true } = options;
  const stopping = new AbortController();
  // Off (CAIRN_PATHWAY_JOBS_WORKER=false, an API-only replica): another process's worker does the jobs.
  if (!enabled) stopping.abort();
  let nudge = new AbortController();
  let running: Promise<void> = Promise.resolve();

  const drainOnce = async () => {
    while (!stopping.signal.aborted && (await jobs.backfillChunk(chunkSize)) !== null);
    while (!stopping.signal.aborted && (await jobs.announceStarts(START_BATCH)) === START_BATCH);
  };
  /** Serialised, so the loop and a caller never run two drains in one process at once. */
  const drain = () => (running = running.then(drainOnce, drainOnce));

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await drain();
      } catch (error) {
        log.error({ err: error }, 'pathway jobs failed; retrying at the next interval');
      }
      await sleep(intervalMs, undefined, { signal: AbortSignal.any([stopping.signal, nudge.signal]) }).catch(() => {});
      nudge = new AbortController();
    }
  })();
  return {
    /** Something was queued (a publish committed): start now instead of at the next interval. */
    wake: () => nudge.abort(),
    /** Runs every job to the end (tests, start-up). */
    drain,
    async stop() {
      stopping.abort();
      await loop;
      await running.catch(() => {});
    },
  };
}
