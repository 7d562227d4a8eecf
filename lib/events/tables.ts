import { bigint, bigserial, index, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EventType } from './types.js';

export const eventsSchema = pgSchema('events');

/** The outbox: written in the transaction of the change it describes. */
export const events = eventsSchema.table(
  'events',
  {
    cursor: bigserial({ mode: 'number' }).primaryKey(),
    type: text().$type<EventType>().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    issuerId: uuid(),
    recipientId: uuid(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (table) => [index().on(table.issuerId, table.cursor), index().on(table.type, table.cursor)],
);

/** How far each named consumer has got; advanced in the same transaction as the consumer's own writes. */
export const consumerCheckpoints = eventsSchema.table('consumer_checkpoints', {
  consumer: text().primaryKey(),
  cursor: bigint({ mode: 'number' }).notNull().default(0),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
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
