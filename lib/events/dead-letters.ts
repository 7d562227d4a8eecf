import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { STORED_EVENT_COLUMNS } from './outbox.js';
import { deadLetters, events } from './tables.js';
import { EVENTS_CHANNEL, type StoredEvent } from './types.js';

export type DeadLetter = typeof deadLetters.$inferSelect;

/** What is kept of a handler's error: enough for an operator to recognise it, bounded in size. */
export function describeError(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2_000);
}

/** Sets an event aside for a consumer that gave up on it (inside the transaction that moves its checkpoint past it). */
export async function deadLetterEvent(
  tx: Db,
  letter: { consumer: string; event: StoredEvent; attempts: number; lastError: string },
): Promise<void> {
  await tx
    .insert(deadLetters)
    .values({ consumer: letter.consumer, cursor: letter.event.cursor, eventType: letter.event.type, attempts: letter.attempts, lastError: letter.lastError })
    .onConflictDoUpdate({
      target: [deadLetters.consumer, deadLetters.cursor],
      set: { attempts: letter.attempts, lastError: letter.lastError, deadAt: sql`now()`, retryRequestedAt: null },
    });
}

/** Dead letters, oldest first; of one consumer when named. */
export async function listDeadLetters(db: Db, consumer?: string): Promise<DeadLetter[]> {
  return db
    .select()
    .from(deadLetters)
    .where(consumer ? eq(deadLetters.consumer, consumer) : undefined)
    .orderBy(asc(deadLetters.consumer), asc(deadLetters.cursor));
}

/**
 * Asks for dead letters to be applied again (all, one consumer's, or one event of one consumer) and wakes the
 * consumers: each running consumer takes its requested letters at its next step. Returns how many were requested.
 */
export async function requestDeadLetterRetry(db: Db, which: { consumer?: string; cursor?: number } = {}): Promise<number> {
  const requested = await db
    .update(deadLetters)
    .set({ retryRequestedAt: sql`now()` })
    .where(
      and(
        which.consumer ? eq(deadLetters.consumer, which.consumer) : undefined,
        which.cursor !== undefined ? eq(deadLetters.cursor, which.cursor) : undefined,
      ),
    )
    .returning({ cursor: deadLetters.cursor });
  if (requested.length > 0) await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, '0')`);
  return requested.length;
}

/**
 * Claims one dead letter of this consumer whose retry was requested, removing it: if applying it fails, the
 * transaction rolls back and recordRetriedDeadLetter keeps it dead. Returns its event, or null.
 */
export async function takeRequestedRetry(tx: Db, consumer: string): Promise<StoredEvent | null> {
  const [letter] = await tx
    .select({ cursor: deadLetters.cursor })
    .from(deadLetters)
    .where(and(eq(deadLetters.consumer, consumer), isNotNull(deadLetters.retryRequestedAt)))
    .orderBy(asc(deadLetters.cursor))
    .limit(1)
    .for('update', { skipLocked: true });
  if (!letter) return null;
  await tx.delete(deadLetters).where(and(eq(deadLetters.consumer, consumer), eq(deadLetters.cursor, letter.cursor)));
  const [event] = await tx.select(STORED_EVENT_COLUMNS).from(events).where(eq(events.cursor, letter.cursor));
  return (event as StoredEvent | undefined) ?? null;
}

/** A retried dead letter failed again: it stays dead, one attempt more, until an operator asks again. */
export async function recordRetriedDeadLetter(db: Db, consumer: string, event: StoredEvent, error: unknown): Promise<number> {
  const [letter] = await db
    .update(deadLetters)
    .set({ attempts: sql`${deadLetters.attempts} + 1`, lastError: describeError(error), retryRequestedAt: null })
    .where(and(eq(deadLetters.consumer, consumer), eq(deadLetters.cursor, event.cursor)))
    .returning({ attempts: deadLetters.attempts });
  return letter?.attempts ?? 0;
}
