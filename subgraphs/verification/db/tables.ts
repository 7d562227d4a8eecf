import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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

/**
 * This hub's issuers as the verifier knows them, projected from IssuerKeysChanged events: every DID an issuer signs
 * or signed with, and the DID document of its did:web DIDs, so Cairn's own credentials verify without HTTP.
 */
export const knownIssuerDids = verificationSchema.table('known_issuer_dids', {
  did: text().primaryKey(),
  issuerId: uuid().notNull(),
  issuerName: text().notNull(),
  /** The did:web document (public keys only); null for did:key DIDs, which resolve themselves. */
  document: jsonb().$type<Record<string, unknown>>(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (table) => [index('known_issuer_dids_issuer_idx').on(table.issuerId)]);

/** One row per verification asked for (GraphQL, VC-API or an inline Credential.verification re-check). */
export const verifications = verificationSchema.table('verifications', {
  id: uuid().primaryKey(),
  /** The credential's own id (`urn:uuid:…` or URL), when it has one. */
  credentialId: text(),
  /** The issuer id the credential names (a DID or URL). */
  issuerRef: text(),
  /** This hub's issuer, when the credential is one of its own. */
  hubIssuerId: uuid(),
  status: text().notNull(),
  verified: boolean().notNull(),
  format: text().notNull(),
  /** ANONYMOUS, EMPLOYER, ISSUER, RECIPIENT or ADMIN. */
  verifierKind: text().notNull(),
  /** The employer org (or issuer, recipient) that asked; null when anonymous. */
  verifierId: text(),
  checkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (table) => [index('verifications_hub_issuer_idx').on(table.hubIssuerId, table.checkedAt)]);

/**
 * The last verdict on each wallet credential (the federated `Credential.verification`), reused until the document
 * changes or `recheckAfter` passes (a status list TTL, the end of the validity window), or a status event for it
 * (keyed by the same id: a credential issued here has the ledger id as its wallet id) clears it.
 */
export const credentialVerdicts = verificationSchema.table('credential_verdicts', {
  credentialKey: text().primaryKey(),
  documentHash: text().notNull(),
  result: jsonb().$type<Record<string, unknown>>().notNull(),
  recheckAfter: timestamp({ withTimezone: true }),
  checkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The verifier's copy of every wallet credential, projected from CredentialIssued (this hub's credentials, delivered
 * under the same id) and CredentialImported (version 2 carries the document), so `Credential.verification` needs only
 * the id and the digest from the recipients subgraph. The digest is computed by the database the way recipients
 * computes its own (`recipients.credentials.document_digest`): equal digests, same credential.
 */
export const walletDocuments = verificationSchema.table('wallet_documents', {
  credentialId: uuid().primaryKey(),
  document: jsonb().$type<Record<string, unknown>>().notNull(),
  encoded: text(),
  digest: text()
    .notNull()
    .generatedAlwaysAs(sql`verification.document_digest(coalesce(encoded, document::text))`),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type IssuerMetricsRow = typeof issuerMetrics.$inferSelect;
export type KnownIssuerDidRow = typeof knownIssuerDids.$inferSelect;
export type CredentialVerdictRow = typeof credentialVerdicts.$inferSelect;
export type WalletDocumentRow = typeof walletDocuments.$inferSelect;
