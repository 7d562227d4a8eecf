import { bigint, boolean, doublePrecision, pgSchema, text } from 'drizzle-orm/pg-core';

export const rateLimitSchema = pgSchema('ratelimit');

/**
 * Token buckets shared by every replica (RATE_LIMIT_STORE=postgres). UNLOGGED (see the migration): a bucket is worth
 * nothing after a crash or on a promoted standby, where the table starts empty, i.e. every bucket full, and skipping
 * the WAL makes the write each rate-limited request costs cheaper. Times are the replicas' clocks in milliseconds.
 */
export const rateLimitBuckets = rateLimitSchema.table('buckets', {
  key: text().primaryKey(),
  tokens: doublePrecision().notNull(),
  updatedAtMs: bigint({ mode: 'number' }).notNull(),
  /** When the bucket will be full again, i.e. the same as no row: the sweep deletes rows past it. */
  fullAtMs: bigint({ mode: 'number' }).notNull(),
  /** Whether the last take was granted: an upsert's RETURNING sees only the new row, not the tokens it started from. */
  lastTakeAllowed: boolean().notNull(),
});
