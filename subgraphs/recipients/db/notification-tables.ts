import { bigint, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recipientsSchema } from './tables.js';

/**
 * The e-mails sent to pathway followers, one per PathwayProgressed event (by its cursor): a replayed or retried event
 * finds its row and sends nothing again.
 */
export const pathwayProgressMails = recipientsSchema.table('pathway_progress_mails', {
  eventCursor: bigint({ mode: 'number' }).primaryKey(),
  recipientId: uuid().notNull(),
  sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
