import { boolean, integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { PathwayCompletedPayload } from '../../../lib/events/contracts/pathway-completed.js';
import type { Identity } from '../../../lib/identity.js';
import { issuersSchema } from './tables.js';

/**
 * Awards to issue for completed pathways and milestones, from PathwayCompleted. The key is the award's idempotency key
 * (pathway version + recipient + milestone), which is also the issuance ledger's idempotency key for the award
 * credential: a replayed event, a crash between signing and recording, or two replicas issue it once.
 */
export const pathwayAwardRequests = issuersSchema.table('pathway_award_requests', {
  idempotencyKey: text().primaryKey(),
  issuerId: uuid().notNull(),
  payload: jsonb().$type<PathwayCompletedPayload>().notNull(),
  /**
   * The identity the award is issued to: the event's `recipient`, or, when every member credential was imported,
   * the one the recipient-identities projection chose when the request was recorded (null only in rows older than it).
   */
  recipient: jsonb().$type<Identity>(),
  /** PENDING until both credentials are issued; FAILED when the award cannot be issued (reason in lastError). */
  status: text().$type<'PENDING' | 'ISSUED' | 'FAILED'>().notNull().default('PENDING'),
  awardCredentialId: uuid(),
  clrCredentialId: uuid(),
  /** The standing the achievements subgraph last decided (PathwayAwardStandingChanged); SUSPENDED suspends the award credential. */
  standing: text().$type<'ACTIVE' | 'FLAGGED' | 'SUSPENDED'>().notNull().default('ACTIVE'),
  /** Whether the award credential is suspended now: the worker brings it in line with `standing`. */
  credentialSuspended: boolean().notNull().default(false),
  attempts: integer().notNull().default(0),
  lastError: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type PathwayAwardRequestRow = typeof pathwayAwardRequests.$inferSelect;
