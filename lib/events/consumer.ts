import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import type { EventFeed } from './feed.js';
import { appendEvents, readEvents } from './outbox.js';
import { consumerCheckpoints } from './tables.js';
import type { EventType, NewEvent, StoredEvent } from './types.js';

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
  /** @default 100 */
  batchSize?: number;
}

export interface RunningConsumer {
  /** Processes everything committed so far; tests and start-up use it to catch up deterministically. */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Applies one batch of events after the consumer's checkpoint and advances it, all in one transaction.
 * `FOR UPDATE` on the checkpoint row means replicas of the same consumer take turns instead of double-applying.
 * Returns how many events were read.
 */
export async function consumeBatch(db: Db, options: ConsumerOptions): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.insert(consumerCheckpoints).values({ consumer: options.name }).onConflictDoNothing();
    const [checkpoint] = await tx
      .select({ cursor: consumerCheckpoints.cursor })
      .from(consumerCheckpoints)
      .where(eq(consumerCheckpoints.consumer, options.name))
      .for('update');
    const batch = await readEvents(tx, {
      after: checkpoint!.cursor,
      types: options.types,
      limit: options.batchSize ?? 100,
    });
    const caused: NewEvent[] = [];
    for (const event of batch) caused.push(...((await options.handle(tx, event)) ?? []));
    await appendEvents(tx, caused);
    if (batch.length > 0) {
      await tx
        .update(consumerCheckpoints)
        .set({ cursor: batch[batch.length - 1]!.cursor, updatedAt: sql`now()` })
        .where(eq(consumerCheckpoints.consumer, options.name));
    }
    return batch.length;
  });
}

/** Runs a consumer in the background until stopped, waking on each NOTIFY from the feed. */
export function startConsumer(db: Db, feed: EventFeed, options: ConsumerOptions, log: Logger): RunningConsumer {
  const controller = new AbortController();
  const batchSize = options.batchSize ?? 100;
  let running: Promise<void> = Promise.resolve();

  const drain = async () => {
    while ((await consumeBatch(db, options)) === batchSize) {
      if (controller.signal.aborted) return;
    }
  };
  // Serialise drains so catchUp() and the background loop never overlap within one process.
  const catchUp = () => (running = running.then(drain, drain));

  const loop = async () => {
    while (!controller.signal.aborted && !feed.isClosed) {
      const news = feed.waitForNews(controller.signal);
      try {
        await catchUp();
      } catch (error) {
        log.error({ err: error, consumer: options.name }, 'event consumer failed; retrying after the next wake-up');
      }
      await news;
    }
  };
  const done = loop();

  return {
    catchUp,
    async stop() {
      controller.abort();
      await done;
      await running.catch(() => {});
    },
  };
}
