import { index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recipientsSchema } from './tables.js';

export type EmailCodePurpose = 'SIGN_IN' | 'VERIFY_EMAIL';

/**
 * One-time codes sent by mail, to sign in or to prove an address. Only an HMAC of the code is kept; the latest code
 * for an (address, purpose, requester) is the only one that counts, so asking again supersedes the previous mail.
 */
export const emailCodes = recipientsSchema.table(
  'email_codes',
  {
    id: uuid().primaryKey(),
    /** Normalised (lowercased) address the code was sent to. */
    email: text().notNull(),
    purpose: text().$type<EmailCodePurpose>().notNull(),
    /** VERIFY_EMAIL: the signed-in recipient who asked, so nobody else can use their code. Null for SIGN_IN. */
    requestedBy: uuid(),
    codeHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Wrong guesses so far; the code dies at the limit. */
    attempts: integer().notNull().default(0),
    consumedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // (email, created_at): the rate limit counts one address's recent codes; lookups take its latest.
  (table) => [index().on(table.email, table.createdAt)],
);

/**
 * Where merged recipient ids went. The merged record is deleted; this row lets support (and a late reference to
 * the old id) find the survivor, and records who merged and why.
 */
export const recipientMerges = recipientsSchema.table(
  'recipient_merges',
  {
    mergedRecipientId: uuid().primaryKey(),
    survivorId: uuid().notNull(),
    /** The API key (session, token or operator key) that asked for the merge. */
    mergedBy: uuid(),
    /** EMAIL_PROOF: the survivor proved an address of the merged record. ADMIN: an operator merged them. */
    reason: text().$type<'EMAIL_PROOF' | 'ADMIN'>().notNull(),
    mergedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.survivorId)],
);

export type EmailCodeRow = typeof emailCodes.$inferSelect;
