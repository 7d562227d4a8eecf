import { bigint, boolean, index, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { IdentityType } from '../../../lib/identity.js';
import { issuersSchema } from './tables.js';

/**
 * The recipients subgraph's identities as its events tell them (RecipientCreated v2, RecipientIdentityAdded,
 * RecipientMerged): how this subgraph reaches a recipient it knows only by id, e.g. to award a pathway whose every
 * member credential was imported. One row per identity, as in the recipients subgraph: one identity, one recipient.
 */
export const recipientIdentityProjection = issuersSchema.table(
  'recipient_identities',
  {
    type: text().$type<IdentityType>().notNull(),
    value: text().notNull(),
    recipientId: uuid().notNull(),
    /** The recipient proved it (a code sent to the address), rather than an operator or an issuer naming it. */
    verified: boolean().notNull().default(false),
    /** The cursor of the event that last gave it to this recipient: the most recent identity wins a tie. */
    addedCursor: bigint({ mode: 'number' }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.type, table.value] }), index().on(table.recipientId)],
);

export type RecipientIdentityProjectionRow = typeof recipientIdentityProjection.$inferSelect;
