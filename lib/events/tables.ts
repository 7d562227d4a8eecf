import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EventType } from './types.js';

export const eventsSchema = pgSchema('events');

/**
 * The outbox: written in the transaction of the change it describes, without a `cursor`. The sequencer
 * (lib/events/sequencer.ts) numbers committed rows afterwards in the order they became visible, so cursor order is
 * commit order while writers never wait for one another. `seq` is only the row's identity and insertion order.
 */
export const events = eventsSchema.table(
  'events',
  {
    seq: bigserial({ mode: 'number' }).primaryKey(),
    /** Null until sequenced; readers see only sequenced rows. */
    cursor: bigint({ mode: 'number' }).unique(),
    type: text().$type<EventType>().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    issuerId: uuid(),
    recipientId: uuid(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (table) => [
    index().on(table.issuerId, table.cursor),
    index().on(table.type, table.cursor),
    index('events_unsequenced').on(table.seq).where(sql`${table.cursor} is null`),
  ],
);

/** The last cursor the sequencer handed out, per log: cursors are never reused, even after retention prunes the log. */
export const logSequence = eventsSchema.table('log_sequence', {
  log: text().primaryKey(),
  lastCursor: bigint({ mode: 'number' }).notNull(),
});

/**
 * How far each named consumer has got; advanced in the same transaction as the consumer's own writes. While the
 * handler keeps failing on the next event, that event's cursor, its attempts and when to try it again are kept here,
 * so every replica backs off alike and a restart does not reset the count.
 */
export const consumerCheckpoints = eventsSchema.table('consumer_checkpoints', {
  consumer: text().primaryKey(),
  cursor: bigint({ mode: 'number' }).notNull().default(0),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  failingCursor: bigint({ mode: 'number' }),
  attempts: integer().notNull().default(0),
  lastError: text(),
  retryAt: timestamp({ withTimezone: true }),
});

/**
 * How far the log has been pruned (lib/events/retention.ts). One row per log; a reader asked to resume from a cursor
 * at or below `prunedThrough` is refused instead of silently missing what was pruned.
 */
export const logHorizons = eventsSchema.table('log_horizons', {
  log: text().primaryKey(),
  prunedThrough: bigint({ mode: 'number' }).notNull(),
  prunedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Events a consumer gave up on after its last attempt, so later events could go on. Operators list them and ask for
 * a retry (`npm run dead-letters`); the consumer then applies the event once more at its next wake-up.
 */
export const deadLetters = eventsSchema.table(
  'dead_letters',
  {
    consumer: text().notNull(),
    cursor: bigint({ mode: 'number' }).notNull(),
    eventType: text().$type<EventType>().notNull(),
    attempts: integer().notNull(),
    lastError: text().notNull(),
    deadAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    retryRequestedAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.consumer, table.cursor] })],
);
