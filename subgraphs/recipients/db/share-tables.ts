import { index, integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ConsentScopeValue, ShareAudienceValue } from '../domain/share-rules.js';
import { recipientsSchema } from './tables.js';

export type { ConsentScopeValue, ShareAudienceValue };

/**
 * A link a recipient hands out: a selection of their credentials, frozen when the share is made (a share made from
 * a portfolio keeps the portfolio's credentials of that moment). Only a SHA-256 of the token is kept.
 */
export const shares = recipientsSchema.table(
  'shares',
  {
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    tokenHash: text().notNull().unique(),
    audience: text().$type<ShareAudienceValue>().notNull(),
    /** The employer organisation an EMPLOYER share is for; null for PUBLIC shares. */
    employerOrgId: uuid(),
    /** The portfolio the selection was taken from, if any (informational: later portfolio edits do not follow). */
    portfolioId: uuid(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.recipientId, table.id)],
);

/** The credentials of a share, in the order the recipient chose. */
export const shareCredentials = recipientsSchema.table(
  'share_credentials',
  {
    shareId: uuid().notNull(),
    credentialId: uuid().notNull(),
    position: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.shareId, table.credentialId] }), index().on(table.shareId, table.position)],
);

/** A standing permission for one employer organisation to read a candidate, until the recipient revokes it. */
export const consents = recipientsSchema.table(
  'consents',
  {
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    employerOrgId: uuid().notNull(),
    scope: text().$type<ConsentScopeValue>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  // (employer, recipient): the candidate query looks up one employer's consent for one recipient.
  (table) => [index().on(table.employerOrgId, table.recipientId), index().on(table.recipientId)],
);

export type ShareRow = typeof shares.$inferSelect;
export type NewShareRow = typeof shares.$inferInsert;
export type ConsentRow = typeof consents.$inferSelect;

/**
 * The share-view batches already appended to the event log, by batch id: a flush retried after an error that hid its
 * commit (a lost connection) finds its id here and appends nothing twice. Retries come within seconds, so rows older
 * than a day are pruned.
 */
export const shareViewBatches = recipientsSchema.table(
  'share_view_batches',
  {
    id: uuid().primaryKey(),
    appendedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.appendedAt)],
);
