import { index, jsonb, pgSchema, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { IdentityType } from '../../../lib/identity.js';

export const recipientsSchema = pgSchema('recipients');

/** A person who holds credentials; known to issuers only through their identities. */
export const recipients = recipientsSchema.table('recipients', {
  id: uuid().primaryKey(),
  name: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The addresses issuers award to. UNIQUE (type, value) over normalised values is what makes
 * "one identity, one recipient" hold even when two writers race.
 */
export const recipientIdentities = recipientsSchema.table(
  'recipient_identities',
  {
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    type: text().$type<IdentityType>().notNull(),
    value: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.recipientId), unique().on(table.type, table.value)],
);

export type CredentialSourceValue = 'ISSUED' | 'IMPORTED';

/** The wallet: every credential a recipient holds, whether a Cairn issuer awarded it or it was imported. */
export const credentials = recipientsSchema.table(
  'credentials',
  {
    /** The credential's own id, assigned by its issuer, so a redelivery lands on the same row. */
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    /** A Cairn issuer; null for credentials imported from elsewhere. */
    issuerId: uuid(),
    achievementId: uuid(),
    name: text().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    validUntil: timestamp({ withTimezone: true }),
    /** The signed credential as issued; its proof covers the content, so it is stored whole and never edited. */
    document: jsonb().$type<Record<string, unknown>>().notNull(),
    source: text().$type<CredentialSourceValue>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // (recipient, id) rather than recipient alone: wallet pages read one recipient's rows in id order.
  (table) => [index().on(table.recipientId, table.id)],
);

export type RecipientRow = typeof recipients.$inferSelect;
export type NewRecipientRow = typeof recipients.$inferInsert;
export type RecipientIdentityRow = typeof recipientIdentities.$inferSelect;
export type CredentialRow = typeof credentials.$inferSelect;
export type NewCredentialRow = typeof credentials.$inferInsert;
