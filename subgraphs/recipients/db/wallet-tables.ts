import { index, integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recipientsSchema } from './tables.js';

/** A recipient's own collection of wallet credentials, across issuers, e.g. "Data engineering". */
export const portfolios = recipientsSchema.table(
  'portfolios',
  {
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    name: text().notNull(),
    description: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.recipientId, table.id)],
);

/** The credentials of a portfolio, in the order the recipient chose (`position` 0, 1, 2 …). */
export const portfolioCredentials = recipientsSchema.table(
  'portfolio_credentials',
  {
    portfolioId: uuid().notNull(),
    credentialId: uuid().notNull(),
    position: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.portfolioId, table.credentialId] }), index().on(table.portfolioId, table.position)],
);

export type PortfolioRow = typeof portfolios.$inferSelect;
export type NewPortfolioRow = typeof portfolios.$inferInsert;
