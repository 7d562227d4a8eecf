import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { liveTokensByRecipientIds } from '../../../lib/auth/recipient-tokens.js';
import type { ApiKeyRow } from '../../../lib/auth/tables.js';
import type { Db } from '../../../lib/db/client.js';
import { jsonRecordset } from '../../../lib/db/json-rows.js';
import { rowsOf } from '../../../lib/db/rows.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { pageOf, pagesByParent } from '../../../lib/db/paging.js';
import { AppError } from '../../../lib/errors.js';
import type { Page, PageRequest } from '../../../lib/graphql/pagination.js';
import { newId, queryableIds } from '../../../lib/ids.js';
import { identityKey, type Identity } from '../../../lib/identity.js';
import {
  credentials,
  recipientIdentities,
  recipients,
  type CredentialRow,
  type NewCredentialRow,
  type NewRecipientRow,
  type RecipientIdentityRow,
  type RecipientRow,
} from './tables.js';
import { pathwayCompletions, type PathwayCompletionRow } from './pathway-completion-tables.js';
import { consents, shares, type ConsentRow, type ShareRow } from './share-tables.js';
import { portfolios, type PortfolioRow } from './wallet-tables.js';


async function findRecipientIdByIdentities(db: Db, identities: readonly Identity[]): Promise<string | null> {
  if (identities.length === 0) return null;
  const [holder] = await db
    .select({ recipientId: recipientIdentities.recipientId })
    .from(recipientIdentities)
    .where(or(...identities.map(({ type, value }) => and(eq(recipientIdentities.type, type), eq(recipientIdentities.value, value)))))
    .limit(1);
  return holder?.recipientId ?? null;
}

async function findHoldersOfIdentities(db: Db, identities: readonly Identity[]): Promise<Map<string, string>> {
  const valuesByType = new Map<string, string[]>();
  for (const { type, value } of identities) valuesByType.set(type, [...(valuesByType.get(type) ?? []), value]);
  if (valuesByType.size === 0) return new Map();
  const holders = await db
    .select({ type: recipientIdentities.type, value: recipientIdentities.value, recipientId: recipientIdentities.recipientId })
    .from(recipientIdentities)
    .where(or(...[...valuesByType].map(([type, values]) => and(eq(recipientIdentities.type, type as Identity['type']), inArray(recipientIdentities.value, values)))));
  return new Map(holders.map((holder) => [identityKey(holder), holder.recipientId]));
}

/**
 * Inserts identities in a savepoint: a unique violation aborts only the savepoint, so the transaction can
 * still name the recipient who holds the identity. Checking first is not enough, because a concurrent
 * writer can commit the same identity between the check and the insert.
 */
async function insertIdentities(tx: Db, recipientId: string, identities: readonly Identity[]): Promise<RecipientIdentityRow[]> {
  try {
    return await tx.transaction((savepoint) =>
      savepoint
        .insert(recipientIdentities)
        .values(identities.map((identity) => ({ id: newId(), recipientId, ...identity })))
        .returning(),
    );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const holder = await findRecipientIdByIdentities(tx, identities);
    throw new AppError('CONFLICT', 'An identity already belongs to another recipient', { recipientId: holder });
  }
}

/**
 * Recipients and their credentials, and every read behind the per-request loaders (`loaders.ts`): portfolios,
 * shares, consents and access tokens by recipient too. Writes take the caller's transaction.
 */
export function createRecipientStore(db: Db) {
  return {
    async findRecipientsByIds(ids: readonly string[]): Promise<RecipientRow[]> {
      const valid = queryableIds(ids);
      if (valid.length === 0) return [];
      return db.select().from(recipients).where(inArray(recipients.id, valid));
    },

    pageRecipients(request: PageRequest): Promise<Page<RecipientRow>> {
      return pageOf(db, { table: recipients, id: recipients.id }, request);
    },

    async findIdentitiesByRecipientIds(recipientIds: readonly string[]): Promise<RecipientIdentityRow[]> {
      const valid = queryableIds(recipientIds);
      if (valid.length === 0) return [];
      return db
        .select()
        .from(recipientIdentities)
        .where(inArray(recipientIdentities.recipientId, valid))
        .orderBy(recipientIdentities.id);
    },

    /** Who holds each of these (normalised) identities, by `identityKey`; an identity nobody holds is absent. */
    findHoldersOfIdentities(tx: Db, identities: readonly Identity[]): Promise<Map<string, string>> {
      return findHoldersOfIdentities(tx, identities);
    },

    /**
     * Holds recipients (FOR SHARE, in id order, the order merges lock in) until the caller's transaction ends, so a
     * merge, which locks both records FOR UPDATE before moving anything, waits for it. Returns those still there: one
     * missing was merged away meanwhile.
     */
    async holdRecipients(tx: Db, recipientIds: readonly string[]): Promise<Set<string>> {
      const valid = queryableIds(recipientIds);
      if (valid.length === 0) return new Set();
      const held = await tx.select({ id: recipients.id }).from(recipients).where(inArray(recipients.id, valid)).orderBy(asc(recipients.id)).for('share');
      return new Set(held.map((row) => row.id));
    },

    /**
     * Creates a recipient for each identity, in two statements, except for identities somebody holds by now (a
     * concurrent createRecipient or delivery committed them first): those are answered with their holder instead.
     */
    async insertRecipientsForIdentities(
      tx: Db,
      wanted: readonly { recipient: NewRecipientRow & { id: string }; identity: Identity }[],
    ): Promise<{ created: Set<string>; heldBy: Map<string, string> }> {
      if (wanted.length === 0) return { created: new Set(), heldBy: new Map() };
      const inserted = await tx
        .insert(recipientIdentities)
        .values(wanted.map(({ recipient, identity }) => ({ id: newId(), recipientId: recipient.id, ...identity })))
        .onConflictDoNothing({ target: [recipientIdentities.type, recipientIdentities.value] })
        .returning({ recipientId: recipientIdentities.recipientId });
      const created = new Set(inserted.map((row) => row.recipientId));
      if (created.size > 0) await tx.insert(recipients).values(wanted.filter(({ recipient }) => created.has(recipient.id)).map(({ recipient }) => recipient));
      const taken = wanted.filter(({ recipient }) => !created.has(recipient.id)).map(({ identity }) => identity);
      return { created, heldBy: await findHoldersOfIdentities(tx, taken) };
    },

    /**
     * Throws CONFLICT (with the holder's `recipientId`) when an identity already belongs to someone.
     * Identities go in first, so a conflict leaves nothing behind and the caller's transaction stays clean.
     */
    async insertRecipient(
      tx: Db,
      row: NewRecipientRow & { id: string },
      identities: readonly Identity[],
    ): Promise<{ recipient: RecipientRow; identities: RecipientIdentityRow[] }> {
      const identityRows = await insertIdentities(tx, row.id, identities);
      const [recipient] = await tx.insert(recipients).values(row).returning();
      return { recipient: recipient!, identities: identityRows };
    },

    async findCredentialsByIds(ids: readonly string[]): Promise<CredentialRow[]> {
      const valid = queryableIds(ids);
      if (valid.length === 0) return [];
      return db.select().from(credentials).where(inArray(credentials.id, valid));
    },

    /** One wallet page for each recipient, in two statements whatever the number of recipients. */
    async credentialPagesByRecipientIds(
      recipientIds: readonly string[],
      request: PageRequest,
    ): Promise<Map<string, Page<CredentialRow>>> {
      return pagesByParent(db, { table: credentials, id: credentials.id, parent: credentials.recipientId }, recipientIds, request);
    },

    /**
     * Many credentials in one statement, idempotent like `insertCredential`: returns the ids of those inserted, without
     * one already in a wallet (a redelivery, or an equal credential the recipient imported first).
     */
    async insertCredentials(tx: Db, rows: readonly NewCredentialRow[]): Promise<Set<string>> {
      if (rows.length === 0) return new Set();
      const { columns, select } = jsonRecordset(credentials, rows);
      const inserted = await tx.execute(sql`insert into ${credentials} (${columns}) ${select} on conflict do nothing returning id`);
      return new Set(rowsOf<{ id: string }>(inserted).map((row) => row.id));
    },

    /**
     * Idempotent: false when the credential was already in a wallet, by its id (a redelivery) or by the OB equality
     * rule (the recipient imported this hub's credential before it was delivered).
     */
    async insertCredential(tx: Db, row: NewCredentialRow): Promise<boolean> {
      const inserted = await tx
        .insert(credentials)
        .values(row)
        .onConflictDoNothing()
        .returning({ id: credentials.id });
      return inserted.length > 0;
    },

    async findPortfoliosByIds(ids: readonly string[]): Promise<PortfolioRow[]> {
      const valid = queryableIds(ids);
      if (valid.length === 0) return [];
      return db.select().from(portfolios).where(inArray(portfolios.id, valid));
    },

    /** One portfolio page per recipient, in two statements whatever the number of recipients. */
    portfolioPagesByRecipientIds(recipientIds: readonly string[], request: PageRequest): Promise<Map<string, Page<PortfolioRow>>> {
      return pagesByParent(db, { table: portfolios, id: portfolios.id, parent: portfolios.recipientId }, recipientIds, request);
    },

    /** Each recipient's shares, newest first: the recipient's own list (`Recipient.shares`). */
    async findSharesByRecipientIds(recipientIds: readonly string[]): Promise<ShareRow[]> {
      const valid = queryableIds(recipientIds);
      if (valid.length === 0) return [];
      return db.select().from(shares).where(inArray(shares.recipientId, valid)).orderBy(sql`${shares.id} desc`);
    },

    /** Each recipient's consents that still stand, oldest first (`Recipient.consents`). */
    async findActiveConsentsByRecipientIds(recipientIds: readonly string[]): Promise<ConsentRow[]> {
      const valid = queryableIds(recipientIds);
      if (valid.length === 0) return [];
      return db.select().from(consents).where(and(inArray(consents.recipientId, valid), isNull(consents.revokedAt))).orderBy(asc(consents.id));
    },

    /** The pathways each recipient completed (projected from PathwayCompleted), for the stacked-skills view. */
    async findPathwayCompletionsByRecipientIds(recipientIds: readonly string[]): Promise<PathwayCompletionRow[]> {
      const valid = queryableIds(recipientIds);
      if (valid.length === 0) return [];
      return db.select().from(pathwayCompletions).where(inArray(pathwayCompletions.recipientId, valid));
    },

    /** Each recipient's sessions and personal tokens that still work, oldest first (`Recipient.accessTokens`). */
    liveTokensByRecipientIds(recipientIds: readonly string[]): Promise<ApiKeyRow[]> {
      return liveTokensByRecipientIds(db, recipientIds);
    },
  };
}

export type RecipientStore = ReturnType<typeof createRecipientStore>;
