import { pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

/** What the hub as a whole records about itself, beside the subgraphs' own schemas. */
export const hubSchema = pgSchema('hub');

/**
 * Every public base URL this hub has answered under. Credentials issued under one name its DIDs, status lists and
 * credential URLs for ever, so a start that would drop one of them is refused (lib/hub/public-address.ts).
 */
export const publicAddresses = hubSchema.table('public_addresses', {
  url: text().primaryKey(),
  firstUsedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
