import { index, jsonb, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { recipientsSchema } from './tables.js';

/**
 * Everything the OAuth 2.0 server (oidc-provider) keeps for the OB 3.0 API: registered clients, grants, login
 * sessions, interactions, authorization codes, access and refresh tokens. One table for every model, as the
 * library's adapter contract is "a document by (model, id)"; in the database rather than in memory, so any
 * recipients replica can continue a flow another replica started and a token outlives a restart.
 */
export const oauthRecords = recipientsSchema.table(
  'oauth_records',
  {
    /** The library's model name: Client, Grant, Session, Interaction, AuthorizationCode, AccessToken, RefreshToken … */
    model: text().notNull(),
    id: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Tokens and codes of one grant are revoked together (refresh token reuse, revocation, a withdrawn consent). */
    grantId: text(),
    /** Sessions are found by their uid (the interaction cookie refers to it). */
    uid: text(),
    userCode: text(),
    /** Null for records that do not expire (dynamically registered clients). */
    expiresAt: timestamp({ withTimezone: true }),
    /** Codes and rotated refresh tokens are consumed once; a second use revokes the grant (the library's rule). */
    consumedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.model, table.id] }),
    index().on(table.grantId),
    index().on(table.uid),
    index().on(table.userCode),
    index().on(table.expiresAt),
  ],
);

export type OAuthRecordRow = typeof oauthRecords.$inferSelect;
