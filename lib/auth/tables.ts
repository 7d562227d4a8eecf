import { bigint, index, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { IssuerRole, PrincipalKind } from './viewer.js';

/**
 * KEY: an integration's API key (no expiry unless given). SESSION: a recipient's sign-in, short-lived.
 * PERSONAL_TOKEN: a token a recipient made for their own scripts. One table, so the gateway authenticates all
 * three with one lookup and one revocation rule.
 */
export type ApiKeyKind = 'KEY' | 'SESSION' | 'PERSONAL_TOKEN';

export const authSchema = pgSchema('auth');

/** API keys: only a hash of the secret is kept; the plaintext is shown once, at creation. */
export const apiKeys = authSchema.table(
  'api_keys',
  {
    id: uuid().primaryKey(),
    /** The public half of the key, used to find the row without scanning hashes. */
    lookupId: text().notNull().unique(),
    secretHash: text().notNull(),
    name: text().notNull(),
    kind: text().$type<ApiKeyKind>().notNull().default('KEY'),
    principal: text().$type<PrincipalKind>().notNull(),
    issuerId: uuid(),
    role: text().$type<IssuerRole>(),
    /** The issuer member the key belongs to, when it belongs to a person; its role follows the member's. */
    memberId: uuid(),
    employerId: uuid(),
    recipientId: uuid(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    /** After this the gateway refuses the key (sessions always have one; API keys only when asked). */
    expiresAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.issuerId), index().on(table.memberId), index().on(table.recipientId)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/**
 * A gateway replica's right to answer from its API key cache (lib/auth/api-key-cache.ts), renewed every second or so.
 * Every change to a key is owed an acknowledgement by each lease unexpired at the change; a lease with one unpaid
 * cannot be renewed.
 */
export const keyCacheLeases = authSchema.table('key_cache_leases', {
  id: uuid().primaryKey(),
  /** By the database's clock; the replica stops serving from its cache earlier, by its own clock and a margin. */
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * One row per changed key and lease unexpired at the change, written by the trigger on `auth.api_keys` in the changing
 * transaction (migration key_cache_invalidation); the replica sets `acknowledgedAt` once it has forgotten the key.
 */
export const keyCacheAcks = authSchema.table(
  'key_cache_acks',
  {
    /** The changing transaction (`pg_current_xact_id()`), also in the notification, so an ack answers one change only. */
    xactId: bigint({ mode: 'bigint' }).notNull(),
    leaseId: uuid()
      .notNull()
      .references(() => keyCacheLeases.id, { onDelete: 'cascade' }),
    lookupId: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.xactId, table.leaseId, table.lookupId] }), index().on(table.leaseId, table.acknowledgedAt)],
);
