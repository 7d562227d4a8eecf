import { integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recipientsSchema } from './tables.js';

/**
 * Pathways recipients completed, projected from PathwayCompleted (the pathway's own award, not milestones): which
 * achievement the award is and which wallet credentials satisfied it, so stacked skills count a completed pathway once.
 */
export const pathwayCompletions = recipientsSchema.table(
  'pathway_completions',
  {
    recipientId: uuid().notNull(),
    pathwayId: uuid().notNull(),
    version: integer().notNull(),
    pathwayName: text().notNull(),
    awardAchievementId: uuid().notNull(),
    memberCredentialIds: uuid().array().notNull(),
    completedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.recipientId, table.pathwayId, table.version] })],
);

export type PathwayCompletionRow = typeof pathwayCompletions.$inferSelect;
