import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { isConnectionLost } from '../db/errors.js';
import type { Logger } from '../log.js';
import { deadLetterEvent, describeError, recordRetriedDeadLetter, takeRequestedRetry } from './dead-letters.js';
import type { EventFeed } from './feed.js';
import { appendEvents, readEvents } from './outbox.js';
import { sequenceCommittedEvents } from './sequencer.js';
import { consumerCheckpoints, deadLetters, logSequence } from './tables.js';
import type { EventType, NewEvent, StoredEvent } from './types.js';

export interface ConsumerRetryPolicy {
  /** Attempts at one event before it is dead-lettered and later events go on. */
  maxAttempts: number;
  /** The wait after the first failure; it doubles after each further one, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** About 4 minutes of retries (1 s, 2 s, … 128 s) before an event is set aside. */
export const DEFAULT_RETRY_POLICY: Readonly<ConsumerRetryPolicy> = Object.freeze({ maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 300_000 });

export interface ConsumerOptions {
  /** Unique and stable: the checkpoint row is keyed by it. */
  name: string;
  types: readonly EventType[];
  /**
   * Runs inside the transaction that advances the checkpoint: its writes and the checkpoint commit together.
   * Events it causes are returned, not appended: the batch appends them once, at the end, so the append lock
   * (see appendEvents) is held only for the last moment of the transaction, as for any other writer.
   */
  handle(tx: Db, event: StoredEvent): Promise<NewEvent[] | void>;
  /**
   * Applies a step's events with one call instead of `handle` for each, for a consumer that can apply many with a
   * few multi-row statements. If it throws, its writes are rolled back (a savepoint) and the step applies the events
   * one by one with `handle`, so the event that fails is the one retried and dead-lettered, as without it.
   */
  handleBatch?(tx: Db, events: StoredEvent[]): Promise<NewEvent[] | void>;
  /** @default 100 */
  batchSize?: number;
  /** @default DEFAULT_RETRY_POLICY */
  retry?: Partial<ConsumerRetryPolicy>;
}

export interface RunningConsumer {
  /** Processes everything committed so far that is not waiting out a backoff; tests and start-up use it to catch up. */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/** A handler failed on one event; the failure is recorded and the event will be retried, or was dead-lettered. */
export class ConsumerEventFailed extends Error {
  constructor(
    readonly consumer: string,
    readonly event: StoredEvent,
    readonly attempts: number,
    /** Null once the event was dead-lettered (or was a dead letter retried on demand). */
    readonly retryInMs: number | null,
    cause: unknown,
  ) {
    super(`consumer ${consumer} failed on event ${event.cursor} (${event.type}), attempt ${attempts}`, { cause });
    this.name = 'ConsumerEventFailed';
  }
}

/** Exponential backoff with "equal jitter": half the capped exponential delay, plus a random part of the other half. */
export function backoffDelay(attempt: number, policy: ConsumerRetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

interface Step {
  consumed: number;
  /** Events of the consumer's types wait beyond this step's batch: the drain takes another step at once. */
  more: boolean;
  /** When the event that keeps failing is due again; null when nothing waits. */
  retryInMs: number | null;
}

class HandlerFailed extends Error {
  constructor(
    readonly event: StoredEvent,
    readonly error: unknown,
    readonly deadLetterRetry: boolean,
  ) {
    super('handler failed');
  }
}

/**
 * One step of a consumer, in one transaction with its checkpoint row locked (`FOR UPDATE`: replicas of the same
 * consumer take turns instead of double-applying): a dead letter an operator asked to retry, else the events before
 * one that keeps failing, else that event alone once its backoff is over, else the next batch.
 * A handler failure rolls the step back and is then recorded (attempts, backoff, dead letter after the last attempt).
 */
async function step(db: Db, options: ConsumerOptions, policy: ConsumerRetryPolicy): Promise<Step> {
  try {
    return await db.transaction(async (tx) => {
      const checkpoint = await lockCheckpoint(tx, options.name);
      const requested = checkpoint.retryRequested ? await takeRequestedRetry(tx, options.name) : null;
      if (requested) {
        await handleAll(tx, options, [requested], true);
        return { consumed: 1, more: true, retryInMs: null };
      }
      const limit = options.batchSize ?? 100;
      const { head } = checkpoint;
      // One event past the batch tells whether another step has work, so a batch that fills up exactly (a bulk
      // chunk of `limit` credentials) is not followed by a step that finds nothing.
      const read = await readEvents(tx, { after: checkpoint.cursor, through: head, types: options.types, limit: limit + 1 });
      let more = read.length > limit;
      let batch = more ? read.slice(0, limit) : read;
      const failingCursor = checkpoint.failingCursor;
      const retryInMs = checkpoint.retryInMs === null ? null : Number(checkpoint.retryInMs);
      if (failingCursor !== null) {
        const before = batch.filter((event) => event.cursor < failingCursor);
        if (before.length > 0) [batch, more] = [before, true];
        else if (batch[0]?.cursor === failingCursor && retryInMs !== null && retryInMs > 0) return { consumed: 0, more: false, retryInMs };
        else [batch, more] = [batch.slice(0, 1), read.length > 1];
      }
      await handleAll(tx, options, batch, false);
      // A consumer of rare types still moves past the log's other events, or retention could never prune them.
      const passedHead = failingCursor === null && !more && head > checkpoint.cursor;
      if (batch.length > 0 || passedHead) {
        const last = passedHead ? head : batch[batch.length - 1]!.cursor;
        const passedFailing = failingCursor !== null && last >= failingCursor;
        await tx
          .update(consumerCheckpoints)
          .set({
            cursor: last,
            updatedAt: sql`now()`,
            ...(passedFailing || failingCursor === null ? { failingCursor: null, attempts: 0, lastError: null, retryAt: null } : {}),
          })
          .where(eq(consumerCheckpoints.consumer, options.name));
      }
      return { consumed: batch.length, more, retryInMs: null };
    });
  } catch (error) {
    if (!(error instanceof HandlerFailed) || isConnectionLost(error.error)) throw error instanceof HandlerFailed ? error.error : error;
    if (error.deadLetterRetry) {
      const attempts = await recordRetriedDeadLetter(db, options.name, error.event, error.error);
      throw new ConsumerEventFailed(options.name, error.event, attempts, null, error.error);
    }
    const { attempts, retryInMs } = await recordFailure(db, options.name, error.event, error.error, policy);
    throw new ConsumerEventFailed(options.name, error.event, attempts, retryInMs, error.error);
  }
}

/**
 * The consumer's checkpoint row, locked (`FOR UPDATE`), created on the consumer's first step. In the same statement:
 * whether an operator asked for a dead letter's retry, and the log's head, read before the step reads its batch, so
 * every event numbered up to the head is visible to that read (a short batch then means the consumer has passed all
 * of them, including the ones of types it does not take). A head read before waiting for the lock is older, never
 * wrong: the step passes less.
 */
async function lockCheckpoint(tx: Db, consumer: string) {
  const select = () =>
    tx
      .select({
        cursor: consumerCheckpoints.cursor,
        failingCursor: consumerCheckpoints.failingCursor,
        retryInMs: sql<number | null>`greatest(0, extract(epoch from (${consumerCheckpoints.retryAt} - now())) * 1000)::float8`,
        retryRequested: sql<boolean>`exists (select 1 from ${deadLetters} where ${deadLetters.consumer} = ${consumer} and ${deadLetters.retryRequestedAt} is not null)`,
        head: sql<number>`coalesce((select ${logSequence.lastCursor} from ${logSequence} where ${logSequence.log} = 'events'), 0)`.mapWith(Number),
      })
      .from(consumerCheckpoints)
      .where(eq(consumerCheckpoints.consumer, consumer))
      .for('update');
  const [existing] = await select();
  if (existing) return existing;
  await tx.insert(consumerCheckpoints).values({ consumer }).onConflictDoNothing();
  const [created] = await select();
  return created!;
}

async function handleAll(tx: Db, options: ConsumerOptions, batch: StoredEvent[], deadLetterRetry: boolean): Promise<void> {
  const { handleBatch } = options;
  if (handleBatch && batch.length > 1) {
    try {
      await tx.transaction(async (savepoint) => appendEvents(savepoint, (await handleBatch(savepoint, batch)) ?? []));
      return;
    } catch (error) {
      if (isConnectionLost(error)) throw error;
      // Rolled back to the savepoint: the events go one by one below, to find the one that fails.
    }
  }
  const caused: NewEvent[] = [];
  for (const event of batch) {
    try {
      caused.push(...((await options.handle(tx, event)) ?? []));
    } catch (error) {
      throw new HandlerFailed(event, error, deadLetterRetry);
    }
  }
  await appendEvents(tx, caused);
}

/**
 * Counts a failed attempt at `event` on the checkpoint row and sets when to try again; after the last attempt the
 * event becomes a dead letter and the checkpoint moves past it, in the same transaction.
 */
async function recordFailure(
  db: Db,
  consumer: string,
  event: StoredEvent,
  error: unknown,
  policy: ConsumerRetryPolicy,
): Promise<{ attempts: number; retryInMs: number | null }> {
  return db.transaction(async (tx) => {
    // The failed step's own insert of a first checkpoint rolled back with it.
    await tx.insert(consumerCheckpoints).values({ consumer }).onConflictDoNothing();
    const [checkpoint] = await tx
      .select({ cursor: consumerCheckpoints.cursor, failingCursor: consumerCheckpoints.failingCursor, attempts: consumerCheckpoints.attempts })
      .from(consumerCheckpoints)
      .where(eq(consumerCheckpoints.consumer, consumer))
      .for('update');
    // Another replica moved past this event meanwhile: nothing left to record.
    if (!checkpoint || checkpoint.cursor >= event.cursor) return { attempts: 0, retryInMs: null };
    const attempts = checkpoint.failingCursor === event.cursor ? checkpoint.attempts + 1 : 1;
    const lastError = describeError(error);
    if (attempts >= policy.maxAttempts) {
      await deadLetterEvent(tx, { consumer, event, attempts, lastError });
      // Only events before this one can lie between the checkpoint and it, and they were handled already or are not
      // this consumer's types: jump to it.
      await tx
        .update(consumerCheckpoints)
        .set({ cursor: event.cursor, updatedAt: sql`now()`, failingCursor: null, attempts: 0, lastError: null, retryAt: null })
        .where(eq(consumerCheckpoints.consumer, consumer));
      return { attempts, retryInMs: null };
    }
    const retryInMs = backoffDelay(attempts, policy);
    await tx
      .update(consumerCheckpoints)
      .set({ failingCursor: event.cursor, attempts, lastError, retryAt: sql`now() + ${retryInMs} * interval '1 millisecond'` })
      .where(eq(consumerCheckpoints.consumer, consumer));
    return { attempts, retryInMs };
  });
}

/**
 * One step of the consumer (see `step`); returns how many events it consumed. A handler failure is recorded and
 * thrown as ConsumerEventFailed; the next call goes on with what may proceed.
 */
export async function consumeBatch(db: Db, options: ConsumerOptions): Promise<number> {
  await sequenceCommittedEvents(db);
  return (await step(db, options, { ...DEFAULT_RETRY_POLICY, ...options.retry })).consumed;
}

/** Runs a consumer in the background until stopped, waking on each NOTIFY from the feed, a poll, or a retry falling due. */
export function startConsumer(db: Db, feed: EventFeed, options: ConsumerOptions, log: Logger): RunningConsumer {
  const controller = new AbortController();
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  let running: Promise<number | null> = Promise.resolve(null);

  /** Drains what is due; returns when the event that keeps failing is due again (null: nothing waits). */
  const drain = async (): Promise<number | null> => {
    for (;;) {
      if (controller.signal.aborted) return null;
      let result: Step;
      try {
        result = await step(db, options, policy);
      } catch (error) {
        if (!(error instanceof ConsumerEventFailed)) throw error;
        const { event, attempts, retryInMs } = error;
        log.error(
          { err: error.cause, consumer: options.name, cursor: event.cursor, type: event.type, attempts, retryInMs },
          retryInMs === null ? 'event handler failed; the event is dead-lettered, later events go on' : 'event handler failed; retrying with backoff',
        );
        continue;
      }
      if (!result.more) return result.retryInMs;
    }
  };
  // Serialise drains so catchUp() and the background loop never overlap within one process. A caller arriving while a
  // drain is queued but not yet started joins it: that drain starts after the caller arrived, so it covers everything
  // committed before the call, and a burst of callers costs two drains, not one each.
  let queued: Promise<number | null> | null = null;
  const catchUp = () => {
    if (queued) return queued;
    const start = () => {
      queued = null;
      return drain();
    };
    queued = running = running.then(start, start);
    return queued;
  };

  const loop = async () => {
    let outages = 0;
    while (!controller.signal.aborted && !feed.isClosed) {
      let waitMs: number | null;
      const news = feed.waitForNews(controller.signal, options.types);
      try {
        waitMs = await catchUp();
        outages = 0;
      } catch (error) {
        // The database is unreachable or failed outside any handler: back off, for every event alike.
        outages += 1;
        waitMs = backoffDelay(outages, policy);
        log.error({ err: error, consumer: options.name, retryInMs: waitMs }, 'event consumer failed; retrying with backoff');
      }
      if (waitMs === null) {
        await news;
        continue;
      }
      // Until the retry falls due, or news (a wake-up may carry a dead-letter retry), whichever comes first.
      const pause = sleep(waitMs, controller.signal);
      await Promise.race([news, pause.over]);
      pause.cancel();
    }
  };
  const done = loop();

  return {
    // Events committed just before the call may still wait for their cursors: number them, then drain.
    catchUp: async () => {
      await feed.sequence();
      await catchUp();
    },
    async stop() {
      controller.abort();
      await done;
      await running.catch(() => {});
    },
  };
}

/** A wait that ends after `ms`, on abort, or when cancelled (releasing its timer and listener). */
function sleep(ms: number, signal: AbortSignal): { over: Promise<void>; cancel: () => void } {
  let cancel!: () => void;
  const over = new Promise<void>((resolve) => {
    cancel = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', cancel);
      resolve();
    };
    const timer = setTimeout(cancel, ms);
    signal.addEventListener('abort', cancel, { once: true });
  });
  return { over, cancel };
}
