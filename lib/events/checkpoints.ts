import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { consumerCheckpoints } from './tables.js';

/** Sends a consumer back to the start of the log (a projection rebuilt from cursor 0), forgetting any failing event. */
export async function resetConsumerCheckpoint(db: Db, consumer: string): Promise<void> {
  await db
    .insert(consumerCheckpoints)
    .values({ consumer })
    .onConflictDoUpdate({ target: consumerCheckpoints.consumer, set: { cursor: 0, failingCursor: null, attempts: 0, lastError: null, retryAt: null, updatedAt: sql`now()` } });
}

/**
 * Inside the caller's transaction, moves consumer `to` to where consumer `from` stands, holding both rows locked
 * (`FOR UPDATE`): a running step of `to` finishes before, or starts after, the hand-over, never across it.
 * Returns the cursor handed over. Used when a rebuilt projection takes over from the live one.
 */
export async function handOverCheckpoint(tx: Db, from: string, to: string): Promise<number> {
  await tx.insert(consumerCheckpoints).values({ consumer: to }).onConflictDoNothing();
  await tx.select({ cursor: consumerCheckpoints.cursor }).from(consumerCheckpoints).where(eq(consumerCheckpoints.consumer, to)).for('update');
  const [source] = await tx.select({ cursor: consumerCheckpoints.cursor }).from(consumerCheckpoints).where(eq(consumerCheckpoints.consumer, from)).for('update');
  const cursor = source?.cursor ?? 0;
  await tx
    .update(consumerCheckpoints)
    .set({ cursor, failingCursor: null, attempts: 0, lastError: null, retryAt: null, updatedAt: sql`now()` })
    .where(eq(consumerCheckpoints.consumer, to));
  return cursor;
}

/**
 * Forgets a consumer that will not run again (a finished rebuild's), in the caller's transaction: retention never
 * prunes past the slowest checkpoint, so a stale row would keep the whole log from then on.
 */
export async function deleteConsumerCheckpoint(tx: Db, consumer: string): Promise<void> {
  await tx.delete(consumerCheckpoints).where(eq(consumerCheckpoints.consumer, consumer));
}
