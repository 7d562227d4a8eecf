import { index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const achievementsSchema = pgSchema('achievements');

/** An achievement: the OB 3.0 Achievement an issuer awards (what is accomplished and how it is judged). */
export const achievements = achievementsSchema.table(
  'achievements',
  {
    id: uuid().primaryKey(),
    /** Owned by the issuers subgraph, in another schema: no foreign key, so each subgraph can move alone. */
    issuerId: uuid().notNull(),
    name: text().notNull(),
    description: text().notNull(),
    /** OB 3.0 Criteria.narrative (Markdown). */
    criteriaNarrative: text(),
    /** OB 3.0 Criteria.id: a page that describes the criteria. */
    criteriaUrl: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // (issuer, id) serves both the filter and the id order of an issuer's pages.
  (table) => [index().on(table.issuerId, table.id)],
);

export type AchievementRow = typeof achievements.$inferSelect;
export type NewAchievementRow = typeof achievements.$inferInsert;
