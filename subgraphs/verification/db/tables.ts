import { integer, pgSchema, timestamp, uuid } from 'drizzle-orm/pg-core';

export const verificationSchema = pgSchema('verification');

/** Per-issuer program figures, projected from the event log by the issuer-metrics consumer. */
export const issuerMetrics = verificationSchema.table('issuer_metrics', {
  issuerId: uuid().primaryKey(),
  achievementsCreated: integer().notNull().default(0),
  credentialsIssued: integer().notNull().default(0),
  credentialsRevoked: integer().notNull().default(0),
  credentialsVerified: integer().notNull().default(0),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type IssuerMetricsRow = typeof issuerMetrics.$inferSelect;
