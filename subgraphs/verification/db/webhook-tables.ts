import { bigint, index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { verificationSchema } from './tables.js';

/**
 * An issuer's webhook: events of its issuer, of the types it names, POSTed to its URL one at a time, in log order,
 * at least once. `cursor` is the last event delivered; a failing event blocks the ones after it (order per webhook)
 * and is retried with back-off until `failingSince` is 24 hours old, when the webhook is DISABLED.
 */
export const webhooks = verificationSchema.table('webhooks', {
  id: uuid().primaryKey(),
  issuerId: uuid().notNull(),
  url: text().notNull(),
  /** Event types (`EventType` values) delivered; the others are passed over. */
  types: text().array().notNull(),
  /** The signing secret, sealed with the hub's master key (lib/crypto/private-key-envelope.ts). */
  sealedSecret: text().notNull(),
  status: text().$type<'ACTIVE' | 'DISABLED'>().notNull().default('ACTIVE'),
  disabledReason: text(),
  /** The cursor of the last event delivered (or passed over); starts at the log's head when the webhook is made. */
  cursor: bigint({ mode: 'number' }).notNull(),
  /** Failed attempts at the event after `cursor` in a row, and since when it has been failing. */
  attempts: integer().notNull().default(0),
  failingSince: timestamp({ withTimezone: true }),
  nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /** A dispatcher working on this webhook holds it until then (another replica's dispatcher passes it by). */
  leasedUntil: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (table) => [index('webhooks_issuer_idx').on(table.issuerId), index('webhooks_due_idx').on(table.status, table.nextAttemptAt)]);

/** Every attempt to deliver an event to a webhook, with what the receiver answered: the delivery log. */
export const webhookDeliveries = verificationSchema.table('webhook_deliveries', {
  id: uuid().primaryKey(),
  webhookId: uuid().notNull(),
  eventCursor: bigint({ mode: 'number' }).notNull(),
  eventType: text().notNull(),
  /** A manual redelivery of an event delivered before, out of the webhook's order. */
  redelivery: text().$type<'NO' | 'MANUAL'>().notNull().default('NO'),
  outcome: text().$type<'DELIVERED' | 'FAILED'>().notNull(),
  /** The receiver's HTTP status; null when no answer came (refused URL, connection failure, timeout). */
  responseStatus: integer(),
  /** The start of the receiver's answer, or what went wrong. */
  responseBody: text(),
  durationMs: integer().notNull(),
  attemptedAt: timestamp({ withTimezone: true }).notNull(),
}, (table) => [index('webhook_deliveries_webhook_idx').on(table.webhookId, table.id)]);

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
