import { pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const issuersSchema = pgSchema('issuers');

/** An issuer: the OB 3.0 Profile of an organisation that awards credentials. */
export const issuers = issuersSchema.table('issuers', {
  id: uuid().primaryKey(),
  name: text().notNull(),
  url: text().notNull(),
  email: text(),
  description: text(),
  image: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type IssuerRow = typeof issuers.$inferSelect;
export type NewIssuerRow = typeof issuers.$inferInsert;
