import { getTableColumns, sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';

export const issuersSchema = pgSchema('issuers');

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/** An issuer: the OB 3.0 Profile of an organisation that awards credentials. */
export const issuers = issuersSchema.table('issuers', {
  id: uuid().primaryKey(),
  name: text().notNull(),
  url: text().notNull(),
  email: text(),
  description: text(),
  image: text(),
  phone: text(),
  /** The OB Address, as given (streetAddress, addressLocality, addressRegion, postalCode, addressCountry, …). */
  address: jsonb().$type<Record<string, string>>(),
  /** The name of an authorised official of the organisation (OB `official`). */
  official: text(),
  /** The parent organisation, when it is an issuer on this hub too (OB `parentOrg`). */
  parentIssuerId: uuid(),
  /** `web` (did:web under the hub's public URL, survives key rotation) or `key` (did:key of the active key). */
  didMethod: text().$type<'web' | 'key'>().notNull().default('web'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Ed25519 signing keys. The private half is only ever stored encrypted with the master key. */
export const signingKeys = issuersSchema.table(
  'signing_keys',
  {
    id: uuid().primaryKey(),
    issuerId: uuid().notNull(),
    publicKeyMultibase: text().notNull().unique(),
    encryptedPrivateKey: text().notNull(),
    status: text().$type<'ACTIVE' | 'RETIRED'>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.issuerId, table.id)],
);

/**
 * Published achievement versions, projected from AchievementPublished events: everything issuance needs,
 * without ever reading the achievements subgraph's tables.
 */
export const achievementVersions = issuersSchema.table(
  'achievement_versions',
  {
    achievementId: uuid().notNull(),
    version: integer().notNull(),
    issuerId: uuid().notNull(),
    archived: timestamp({ withTimezone: true }),
    snapshot: jsonb().$type<Record<string, unknown>>().notNull(),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex().on(table.achievementId, table.version)],
);

/**
 * One bitstring per issuer and purpose; `bits` is the raw list, `revision` moves on every change. Indexes are handed
 * out in ranges of a counter, each counter mapped to its index by a keyed permutation (lib/status/index-permutation.ts).
 */
export const statusLists = issuersSchema.table(
  'status_lists',
  {
    id: uuid().primaryKey(),
    issuerId: uuid().notNull(),
    purpose: text().$type<StatusPurpose>().notNull(),
    length: integer().notNull(),
    bits: bytea().notNull(),
    revision: integer().notNull().default(1),
    /** Counters handed out so far: the indexes of counters 0 … allocated - 1 are taken (or were, by a row that failed). */
    allocated: integer().notNull().default(0),
    /** The permutation's secret key (32 bytes, 244 of them random), made by the database for every list; never published. */
    indexKey: bytea()
      .notNull()
      .default(sql`decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex')`),
    /** Opened before indexes came in ranges: it holds random picks that the permutation may reach again, so those are skipped. */
    holdsRandomPicks: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.issuerId, table.purpose)],
);

/**
 * The issuance ledger: every credential this hub signed, with its one status entry and the signed document. The
 * entry's purpose is chosen at issuance (OB 3.0 allows a single `credentialStatus`): a revocation entry can only be
 * revoked; a suspension entry can be suspended and reinstated, and revoking it sets its bit for good.
 */
export const issuedCredentials = issuersSchema.table(
  'issued_credentials',
  {
    id: uuid().primaryKey(),
    issuerId: uuid().notNull(),
    achievementId: uuid().notNull(),
    achievementVersion: integer().notNull(),
    idempotencyKey: text().notNull(),
    /** SHA-256 of the normalised request, so a reused key with a different request is a CONFLICT, not a replay. */
    requestHash: text().notNull(),
    recipientType: text().notNull(),
    recipientHash: text().notNull(),
    status: text().$type<'ACTIVE' | 'SUSPENDED' | 'REVOKED'>().notNull().default('ACTIVE'),
    statusReason: text(),
    statusPurpose: text().$type<StatusPurpose>().notNull(),
    statusListId: uuid().notNull(),
    statusListIndex: integer().notNull(),
    document: jsonb().$type<Record<string, unknown>>().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    validUntil: timestamp({ withTimezone: true }),
    statusChangedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex().on(table.issuerId, table.idempotencyKey),
    uniqueIndex().on(table.statusListId, table.statusListIndex),
    index().on(table.issuerId, table.id),
  ],
);

/**
 * Credentials signed through the VC-API (`POST /credentials/issue`) with a status entry the caller asked for: not
 * Open Badges of an achievement (they are not in the issuance ledger), but revocable or suspendable through
 * `POST /credentials/status` by their own `id`, like the ledger's.
 */
export const signedCredentials = issuersSchema.table(
  'signed_credentials',
  {
    id: uuid().primaryKey(),
    issuerId: uuid().notNull(),
    /** The credential's own `id` (the caller's, or `urn:uuid:<id>` when it had none), by which the VC-API changes its status. */
    credentialUri: text().notNull(),
    status: text().$type<'ACTIVE' | 'SUSPENDED' | 'REVOKED'>().notNull().default('ACTIVE'),
    statusReason: text(),
    statusPurpose: text().$type<StatusPurpose>().notNull(),
    statusListId: uuid().notNull(),
    statusListIndex: integer().notNull(),
    document: jsonb().$type<Record<string, unknown>>().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    statusChangedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex().on(table.statusListId, table.statusListIndex), index().on(table.issuerId, table.credentialUri)],
);

export type SignedCredentialRow = typeof signedCredentials.$inferSelect;
export type NewSignedCredentialRow = typeof signedCredentials.$inferInsert;

export type IssuerRow = typeof issuers.$inferSelect;
export type NewIssuerRow = typeof issuers.$inferInsert;
export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type AchievementVersionRow = typeof achievementVersions.$inferSelect;
export type StatusListRow = typeof statusLists.$inferSelect;
export type IssuedCredentialRow = typeof issuedCredentials.$inferSelect;
/** A ledger row without the signed document: what `Credential.issuance` needs, for fifty credentials at a time. */
export type IssuedCredentialStatusRow = Omit<IssuedCredentialRow, 'document'>;
const { document: _document, ...statusColumns } = getTableColumns(issuedCredentials);
export const issuedCredentialStatusColumns = statusColumns;
export type NewIssuedCredentialRow = typeof issuedCredentials.$inferInsert;

/** A bulk issuance job: rows are validated before it exists, then issued by whichever replica claims them. */
export const issuanceJobs = issuersSchema.table(
  'issuance_jobs',
  {
    id: uuid().primaryKey(),
    issuerId: uuid().notNull(),
    achievementId: uuid().notNull(),
    /** Every row is issued from the version that was current when the job was accepted. */
    achievementVersion: integer().notNull(),
    /** Every row gets a status entry of this purpose, also when the job is resumed by another replica. */
    statusPurpose: text().$type<StatusPurpose>().notNull(),
    status: text().$type<'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED'>().notNull().default('QUEUED'),
    total: integer().notNull(),
    issued: integer().notNull().default(0),
    failed: integer().notNull().default(0),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.issuerId, table.id)],
);

/**
 * One row of a job. A claim expires, so rows a crashed worker held are claimed again; each row's credential is
 * issued under the idempotency key `job:<job id>:<row>`, so a row retried after a crash never yields a second one.
 */
export const issuanceJobRows = issuersSchema.table(
  'issuance_job_rows',
  {
    jobId: uuid().notNull(),
    rowNumber: integer().notNull(),
    request: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text().$type<'PENDING' | 'ISSUED' | 'FAILED'>().notNull().default('PENDING'),
    credentialId: uuid(),
    error: text(),
    claimedUntil: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.rowNumber] }), index().on(table.status, table.jobId)],
);

export type IssuanceJobRow = typeof issuanceJobs.$inferSelect;
export type IssuanceJobRowRow = typeof issuanceJobRows.$inferSelect;

/**
 * RSA keys for RS256 VC-JWTs (1EdTech's required JWT algorithm), made on first use. Their public JWKs are served at
 * `/issuers/{id}/jwks/{keyId}`, the JWT `kid`. Ed25519 keys stay the ones behind Data Integrity proofs.
 */
export const jwtKeys = issuersSchema.table(
  'jwt_keys',
  {
    id: uuid().primaryKey(),
    issuerId: uuid().notNull(),
    algorithm: text().$type<'RS256'>().notNull(),
    publicKeyJwk: jsonb().$type<Record<string, unknown>>().notNull(),
    encryptedPrivateKey: text().notNull(),
    status: text().$type<'ACTIVE' | 'RETIRED'>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.issuerId, table.id)],
);

export type JwtKeyRow = typeof jwtKeys.$inferSelect;

/** The people who act for an issuer, each with a role; their API keys carry that role. */
export const members = issuersSchema.table(
  'members',
  {
    id: uuid().primaryKey(),
    issuerId: uuid().notNull(),
    name: text().notNull(),
    email: text().notNull(),
    role: text().$type<'OWNER' | 'ISSUER' | 'VIEWER'>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex().on(table.issuerId, table.email), index().on(table.issuerId, table.id)],
);

export type MemberRow = typeof members.$inferSelect;

/**
 * Who may read the hosted copy of a credential (`/credentials/{id}`, its baked badges): projected from the holder's
 * wallet (CredentialDelivered: PRIVATE, the wallet's default; CredentialVisibilityChanged; RecipientMerged moves the
 * holder). A credential without a row is in no wallet yet and is served as before.
 */
export const hostedVisibility = issuersSchema.table('hosted_visibility', {
  credentialId: uuid().primaryKey(),
  /** Null from issuance until the credential reaches its holder's wallet: PRIVATE to all but its issuer meanwhile. */
  recipientId: uuid(),
  visibility: text().$type<'PRIVATE' | 'SHARED_ONLY' | 'PUBLIC'>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (table) => [index().on(table.recipientId)]);

export type HostedVisibilityRow = typeof hostedVisibility.$inferSelect;

/**
 * European Digital Credentials the issuing institution sealed with its own eIDAS seal and handed back
 * (`importSealedEdc`): served at the credential's URL with `format=edc` instead of the unsigned export.
 */
export const sealedEdcs = issuersSchema.table('sealed_edcs', {
  credentialId: uuid().primaryKey(),
  issuerId: uuid().notNull(),
  /** The JAdES JWS JSON exactly as handed back: the seal covers its payload's bytes. */
  sealed: text().notNull(),
  /** The seal certificate's subject, as the seal was checked when imported. */
  sealedBy: text().notNull(),
  /** The signing time the seal claims (sigT), when it names one. */
  signingTime: timestamp({ withTimezone: true }),
  importedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type SealedEdcRow = typeof sealedEdcs.$inferSelect;
