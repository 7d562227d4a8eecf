import { getTableColumns, sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { IdentityType } from '../../../lib/identity.js';

export const recipientsSchema = pgSchema('recipients');

/** A person who holds credentials; known to issuers only through their identities. */
export const recipients = recipientsSchema.table('recipients', {
  id: uuid().primaryKey(),
  name: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The addresses issuers award to. UNIQUE (type, value) over normalised values is what makes
 * "one identity, one recipient" hold even when two writers race.
 */
export const recipientIdentities = recipientsSchema.table(
  'recipient_identities',
  {
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    type: text().$type<IdentityType>().notNull(),
    value: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * Whether an event has named this identity to the other subgraphs. Rows added since RecipientCreated v2 are named
     * by the event that added them; the migration marks older rows false, and services/identity-announcements.ts names
     * them once (the issuers subgraph awards pathways to them).
     */
    announced: boolean().notNull().default(true),
  },
  (table) => [index().on(table.recipientId), unique().on(table.type, table.value), index('recipient_identities_unannounced').on(table.id).where(sql`not ${table.announced}`)],
);

export type CredentialSourceValue = 'ISSUED' | 'IMPORTED';
/** Who may read a wallet credential: its holder only, its holder and their shares, or anyone with its id. */
export type CredentialVisibilityValue = 'PRIVATE' | 'SHARED_ONLY' | 'PUBLIC';
/** The form the credential was handed over in (the verifier's names), kept so the stored form is read back right. */
export type CredentialFormatValue = 'VC_2_0' | 'VC_1_1' | 'VC_JWT' | 'OB_2_0_HOSTED' | 'OB_2_0_SIGNED' | 'EDC_JADES' | 'UNKNOWN';

/** The wallet: every credential a recipient holds, whether a Cairn issuer awarded it or it was imported. */
export const credentials = recipientsSchema.table(
  'credentials',
  {
    /** The credential's own id, assigned by its issuer, so a redelivery lands on the same row. */
    id: uuid().primaryKey(),
    recipientId: uuid().notNull(),
    /** A Cairn issuer; null for credentials imported from elsewhere. */
    issuerId: uuid(),
    achievementId: uuid(),
    name: text().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    validUntil: timestamp({ withTimezone: true }),
    /** The signed credential as issued; its proof covers the content, so it is stored whole and never edited. */
    document: jsonb().$type<Record<string, unknown>>().notNull(),
    source: text().$type<CredentialSourceValue>().notNull(),
    /**
     * The compact JWS exactly as handed over (a VC-JWT or a signed OB 2.0 assertion): its signature covers these
     * bytes, so `document` (the decoded JSON) alone could not be verified again. Null for embedded-proof JSON.
     */
    encoded: text(),
    /**
     * What the verifier's copy of this credential must match (`Credential.documentDigest`): SHA-256 of the JWS when
     * there is one, else of the document's jsonb text, computed by the database exactly as the verification subgraph
     * computes it for its copy, so a verdict crosses the gateway as a digest, never as the document.
     */
    documentDigest: text().generatedAlwaysAs(sql`recipients.document_digest(coalesce(encoded, document::text))`),
    /**
     * What stacking skills needs of the document, derived by the database at write time (as `skillsOfDocument` and
     * `strongestEvidenceOf` read it: the achievement's alignments, else a European Digital Credential's learning
     * outcomes (their ESCO skills), else an OB 2.0 badge's alignments; the evidence entries' genres and how many
     * entries there are), so a candidate view of fifty credentials does not load fifty documents.
     */
    skillAlignments: jsonb()
      .$type<unknown[]>()
      .notNull()
      .generatedAlwaysAs(
        sql`case when jsonb_typeof(jsonb_path_query_first(document, 'lax $.credentialSubject[0].achievement', '{}', true)) = 'object' then jsonb_path_query_array(document, 'lax $.credentialSubject[0].achievement.alignment[*]', '{}', true) when jsonb_path_exists(document, 'lax $.credentialSubject.hasClaim', '{}', true) then jsonb_path_query_array(document, 'lax $.credentialSubject.hasClaim.**.learningOutcome', '{}', true) else jsonb_path_query_array(document, 'lax $.badge.alignment[*]', '{}', true) end`,
      ),
    evidenceGenres: jsonb()
      .$type<unknown[]>()
      .notNull()
      .generatedAlwaysAs(sql`jsonb_path_query_array(document, 'lax $.evidence[*].genre', '{}', true)`),
    evidenceCount: integer()
      .notNull()
      .generatedAlwaysAs(sql`jsonb_array_length(jsonb_path_query_array(document, 'lax $.evidence[*].type()', '{}', true))`),
    format: text().$type<CredentialFormatValue>().notNull().default('VC_2_0'),
    /** The OB equality key: issuer id and credential id, percent-unescaped and trimmed (domain/credential-equality.ts). */
    issuerUri: text(),
    credentialUri: text(),
    issuerName: text(),
    achievementUri: text(),
    achievementName: text(),
    /** The credential's validFrom (OB 2.0: issuedOn); the newer one of two equal credentials wins. */
    validFrom: timestamp({ withTimezone: true }),
    visibility: text().$type<CredentialVisibilityValue>().notNull().default('PRIVATE'),
    /** The verifier's verdict when the credential was imported (null for delivered ones, which this hub issued). */
    importStatus: text(),
    importChecks: jsonb().$type<{ name: string; passed: boolean; message: string }[]>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // (recipient, id) rather than recipient alone: wallet pages read one recipient's rows in id order.
    index().on(table.recipientId, table.id),
    // One wallet holds one copy of a credential (OB equality rule); credentials without ids are not comparable.
    uniqueIndex().on(table.recipientId, table.issuerUri, table.credentialUri),
  ],
);

export type RecipientRow = typeof recipients.$inferSelect;
export type NewRecipientRow = typeof recipients.$inferInsert;
export type RecipientIdentityRow = typeof recipientIdentities.$inferSelect;
export type CredentialRow = typeof credentials.$inferSelect;
/**
 * A wallet credential without its document and encoded form: what views of many credentials (shares, candidates)
 * load. `Credential.document` and `encoded` fetch the whole row when a client asks for them.
 */
export type WalletCredentialSummary = Omit<CredentialRow, 'document' | 'encoded'> & Partial<Pick<CredentialRow, 'document' | 'encoded'>>;

const { document: _document, encoded: _encoded, ...summaryColumns } = getTableColumns(credentials);
/** The columns of a `WalletCredentialSummary`. */
export const walletCredentialSummaryColumns = summaryColumns;
export type NewCredentialRow = typeof credentials.$inferInsert;
