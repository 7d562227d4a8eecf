import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const verificationSchema = pgSchema('verification');

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

export type KnownIssuerDidRow = typeof knownIssuerDids.$inferSelect;
export type CredentialVerdictRow = typeof credentialVerdicts.$inferSelect;
export type WalletDocumentRow = typeof walletDocuments.$inferSelect;

/*
 * Program metrics (docs/metrics.md). Every projected row carries the `generation` it belongs to: a rebuild from
 * cursor 0 fills generation N+1 while reads keep using N, then one transaction makes N+1 the active one
 * (services/metrics-rebuild.ts), so rebuilding never takes the metrics offline.
 */

/** The one row saying which generation reads use and the live consumer writes; `building` while a rebuild runs. */
export const metricGenerations = verificationSchema.table('metric_generations', {
  singleton: boolean().primaryKey().default(true),
  active: integer().notNull().default(1),
  building: integer(),
  swappedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** One row per credential this hub issued: the per-credential facts the rates need (who, when claimed, shared, verified). */
export const metricCredentials = verificationSchema.table(
  'metric_credentials',
  {
    generation: integer().notNull(),
    credentialId: uuid().notNull(),
    issuerId: uuid().notNull(),
    achievementId: uuid(),
    /** Set on delivery (or an import of the credential); null while it waits for a wallet. */
    recipientId: uuid(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    deliveredAt: timestamp({ withTimezone: true }),
    claimedAt: timestamp({ withTimezone: true }),
    firstSharedAt: timestamp({ withTimezone: true }),
    firstThirdPartyVerifiedAt: timestamp({ withTimezone: true }),
    thirdPartyVerifications: integer().notNull().default(0),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.generation, table.credentialId] }),
    index('metric_credentials_issuer_idx').on(table.generation, table.issuerId, table.issuedAt),
    index('metric_credentials_achievement_idx').on(table.generation, table.achievementId, table.issuedAt),
    index('metric_credentials_recipient_idx').on(table.generation, table.recipientId),
  ],
);

/**
 * Counts per issuer, achievement (the nil UUID when none), UTC day, kind (ISSUED, SHARED, VERIFIED…) and detail
 * (for VERIFIED: `<relying party>:<verdict>`; '' otherwise). Metric queries sum these rows, never raw events.
 */
export const metricDaily = verificationSchema.table(
  'metric_daily',
  {
    generation: integer().notNull(),
    issuerId: uuid().notNull(),
    achievementId: uuid().notNull(),
    day: date({ mode: 'string' }).notNull(),
    kind: text().notNull(),
    detail: text().notNull().default(''),
    count: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.generation, table.issuerId, table.achievementId, table.day, table.kind, table.detail] }),
    index('metric_daily_achievement_idx').on(table.generation, table.achievementId, table.day),
  ],
);

/**
 * `metric_daily` summed over an issuer's achievements, kept by the same statements' batch: an issuer's year by day
 * reads a few thousand rows instead of those of every achievement.
 */
export const metricIssuerDaily = verificationSchema.table(
  'metric_issuer_daily',
  {
    generation: integer().notNull(),
    issuerId: uuid().notNull(),
    day: date({ mode: 'string' }).notNull(),
    kind: text().notNull(),
    detail: text().notNull().default(''),
    count: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.generation, table.issuerId, table.day, table.kind, table.detail] })],
);

/**
 * The cohort behind the share and verification rates, pre-summed per scope (ISSUER or ACHIEVEMENT) in cells
 * (domain/cohort-cells.ts): a cell's weights count for every period [from, to) with from ≤ from_until and
 * to > to_after, so a period's cohort is the sum of the cells in that range, whatever the period.
 */
export const metricCohortCells = verificationSchema.table(
  'metric_cohort_cells',
  {
    generation: integer().notNull(),
    scopeKind: text().notNull(),
    scopeId: uuid().notNull(),
    fromUntil: date({ mode: 'string' }).notNull(),
    toAfter: date({ mode: 'string' }).notNull(),
    standing: integer().notNull().default(0),
    verifiedCredentials: integer().notNull().default(0),
    thirdPartyVerifications: integer().notNull().default(0),
    recipients: integer().notNull().default(0),
    sharingRecipients: integer().notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.generation, table.scopeKind, table.scopeId, table.fromUntil, table.toAfter] })],
);

/** Which credentials each share link shows, so its views are attributed to their issuers and achievements. */
export const metricShares = verificationSchema.table(
  'metric_shares',
  {
    generation: integer().notNull(),
    shareId: uuid().notNull(),
    recipientId: uuid().notNull(),
    credentialIds: jsonb().$type<string[]>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.generation, table.shareId] })],
);

/** Each achievement's issuer, so an achievement's metrics are authorised by its issuer. */
export const metricAchievements = verificationSchema.table(
  'metric_achievements',
  { generation: integer().notNull(), achievementId: uuid().notNull(), issuerId: uuid().notNull() },
  (table) => [primaryKey({ columns: [table.generation, table.achievementId] })],
);

/** Pathway progress per recipient: `startedAt` waits for a pathway-started event (issue 15); completions come from PathwayCompleted. */
export const metricPathwayProgress = verificationSchema.table(
  'metric_pathway_progress',
  {
    generation: integer().notNull(),
    pathwayId: uuid().notNull(),
    issuerId: uuid().notNull(),
    recipientId: uuid().notNull(),
    startedAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.generation, table.pathwayId, table.recipientId] })],
);

/** Steps in recipients' careers, recorded by issuer members or consented employers (recordCareerEvent); owned here, not projected. */
export const careerEvents = verificationSchema.table(
  'career_events',
  {
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    type: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    recordedByKind: text().notNull(),
    recordedById: text().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('career_events_recipient_idx').on(table.recipientId, table.occurredAt)],
);

/** Standing employer consents, projected from ConsentGranted/ConsentRevoked: who may record a recipient's career events. */
export const employerConsents = verificationSchema.table(
  'employer_consents',
  { consentId: uuid().primaryKey(), recipientId: uuid().notNull(), employerOrgId: text().notNull() },
  (table) => [index('employer_consents_recipient_idx').on(table.recipientId, table.employerOrgId)],
);

export type MetricCredentialRow = typeof metricCredentials.$inferSelect;
