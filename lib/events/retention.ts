import { and, asc, desc, eq, inArray, isNotNull, lt, lte, min, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { consumerCheckpoints, deadLetters, events, logHorizons } from './tables.js';

/** The row of `events.log_horizons` for the one event log. */
const EVENT_LOG = 'events';
/** Any constant; only one replica prunes at a time. */
const RETENTION_LOCK_KEY = 0x0ca1_e7e1;

/** What may be pruned: events older than both windows and already applied by every consumer. */
export interface RetentionPolicy {
  /** Keep every event at least this long. */
  retainDays: number;
  /** The longest a subscriber may be away and still resume with `after`; pruning never reaches into it. */
  resumeWindowDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Prunes the event log under `policy`. The horizon is recorded first, in the same transaction as the first batch,
 * so from that commit on a reader resuming below it is refused (`EVENTS_PRUNED`) rather than served a log with a
 * hole; the rest is deleted in batches of `batchSize` so no transaction holds many rows. A consumer's checkpoint
 * bounds the horizon: nothing a consumer has yet to apply is ever removed (a consumer that has not run yet has no
 * checkpoint and starts from the oldest event kept), and neither is a dead-lettered event awaiting an operator's retry. Returns the horizon and how many events went.
 */
export async function pruneEvents(db: Db, policy: RetentionPolicy, now = new Date(), batchSize = 5_000): Promise<{ prunedThrough: number; deleted: number }> {
  const cutoff = new Date(now.getTime() - Math.max(policy.retainDays, policy.resumeWindowDays) * DAY_MS);
  const horizon = await db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${RETENTION_LOCK_KEY}) as locked`));
    if (!lock?.locked) return null;
    const [slowest] = await tx.select({ cursor: min(consumerCheckpoints.cursor) }).from(consumerCheckpoints);
    // A dead-lettered event waits for an operator's retry: it and everything after it stay.
    const [oldestDead] = await tx.select({ cursor: min(deadLetters.cursor) }).from(deadLetters);
    // An event still waiting for its cursor is never pruned: readers have not seen it yet.
    const conditions = [lt(events.occurredAt, cutoff), isNotNull(events.cursor)];
    if (slowest?.cursor != null) conditions.push(lte(events.cursor, Number(slowest.cursor)));
    if (oldestDead?.cursor != null) conditions.push(lt(events.cursor, Number(oldestDead.cursor)));
    const [newest] = await tx.select({ cursor: events.cursor }).from(events).where(and(...conditions)).orderBy(desc(events.cursor)).limit(1);
    const current = await prunedThrough(tx);
    if (newest?.cursor == null || newest.cursor <= current) return current;
    await tx
      .insert(logHorizons)
      .values({ log: EVENT_LOG, prunedThrough: newest.cursor })
      .onConflictDoUpdate({ target: logHorizons.log, set: { prunedThrough: newest.cursor, prunedAt: sql`now()` } });
    return newest.cursor;
  });
  if (horizon === null) return { prunedThrough: await prunedThrough(db), deleted: 0 };
  let deleted = 0;
  for (;;) {
    const oldest = db.select({ cursor: events.cursor }).from(events).where(lte(events.cursor, horizon)).orderBy(asc(events.cursor)).limit(batchSize);
    const count = (await db.delete(events).where(inArray(events.cursor, oldest)).returning({ cursor: events.cursor })).length;
    deleted += count;
    if (count < batchSize) return { prunedThrough: horizon, deleted };
  }
}

/** The newest cursor that may have been pruned (0 when nothing ever was). */
export async function prunedThrough(db: Db): Promise<number> {
  const [row] = await db.select({ cursor: logHorizons.prunedThrough }).from(logHorizons).where(eq(logHorizons.log, EVENT_LOG));
  return row ? Number(row.cursor) : 0;
}

/** Refuses a resume point the log no longer covers, naming the oldest one it does. */
export async function assertResumable(db: Db, after: number): Promise<void> {
  const horizon = await prunedThrough(db);
  if (after < horizon) {
    throw new AppError('EVENTS_PRUNED', `Events up to cursor ${horizon} have been pruned under the log's retention policy; resume from "${horizon}" or later`, {
      prunedThrough: String(horizon),
    });
  }
}

/**
 * Prunes on a timer (every `intervalMs`) until stopped; failures are logged and retried at the next tick. The first
 * run waits for `ready` (the process's consumers catching up), so a start-up does not find them behind and wait an
 * interval for what they were about to pass.
 */
export function startEventRetention(
  db: Db,
  policy: RetentionPolicy,
  log: Logger,
  options: { intervalMs?: number; ready?: Promise<unknown> } = {},
): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 3_600_000;
  let running: Promise<unknown> = (options.ready ?? Promise.resolve()).catch(() => {});
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = running
      .then(() => (stopped ? { prunedThrough: 0, deleted: 0 } : pruneEvents(db, policy)))
      .then(({ prunedThrough: horizon, deleted }) => {
        if (deleted > 0) log.info({ prunedThrough: horizon, deleted }, 'event log pruned');
      })
      .catch((error: unknown) => log.error({ err: error }, 'event log pruning failed; retrying at the next tick'));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
