import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { queryableIds } from '../../../lib/ids.js';
import { credentials, walletCredentialSummaryColumns, type CredentialVisibilityValue, type WalletCredentialSummary } from './tables.js';
import { consents, shareCredentials, shares, shareViewBatches, type ConsentRow, type ConsentScopeValue, type NewShareRow, type ShareRow } from './share-tables.js';
import { portfolioCredentials } from './wallet-tables.js';

/** Which wallet visibilities each consent scope opens to the employer. */
const VISIBILITIES_BY_SCOPE: Record<ConsentScopeValue, CredentialVisibilityValue[]> = {
  PUBLIC_AND_SHARED: ['PUBLIC', 'SHARED_ONLY'],
  ALL: ['PUBLIC', 'SHARED_ONLY', 'PRIVATE'],
};

/** Shares and consents: the only SQL for them. Writes take the caller's transaction. */
export function createShareStore(db: Db) {
  return {
    async insertShare(tx: Db, row: NewShareRow & { id: string }, credentialIds: readonly string[]): Promise<ShareRow> {
      const [inserted] = await tx.insert(shares).values(row).returning();
      if (credentialIds.length > 0) {
        await tx.insert(shareCredentials).values(credentialIds.map((credentialId, position) => ({ shareId: row.id, credentialId, position })));
      }
      return inserted!;
    },

    async findShareByTokenHash(tokenHash: string): Promise<ShareRow | null> {
      const [row] = await db.select().from(shares).where(eq(shares.tokenHash, tokenHash)).limit(1);
      return row ?? null;
    },

    async findSharesByIds(ids: readonly string[]): Promise<ShareRow[]> {
      const valid = queryableIds(ids);
      if (valid.length === 0) return [];
      return db.select().from(shares).where(inArray(shares.id, valid));
    },

    /** The share row locked for the rest of the transaction, so a revocation is decided on what it really is. */
    async lockShare(tx: Db, id: string): Promise<ShareRow | null> {
      const valid = queryableIds([id]);
      if (valid.length === 0) return null;
      const [row] = await tx.select().from(shares).where(eq(shares.id, valid[0]!)).for('update');
      return row ?? null;
    },

    /** Idempotent: a revoked share keeps its first revocation time. */
    async revokeShare(tx: Db, id: string): Promise<ShareRow> {
      await tx.update(shares).set({ revokedAt: sql`now()` }).where(and(eq(shares.id, id), isNull(shares.revokedAt)));
      const [row] = await tx.select().from(shares).where(eq(shares.id, id));
      return row!;
    },

    /** The shared wallet credentials of each share, in the recipient's order: one statement for any number of shares. */
    async credentialsOfShares(shareIds: readonly string[]): Promise<Array<WalletCredentialSummary & { shareId: string }>> {
      const valid = queryableIds(shareIds);
      if (valid.length === 0) return [];
      const rows = await db
        .select({ shareId: shareCredentials.shareId, credential: walletCredentialSummaryColumns })
        .from(shareCredentials)
        .innerJoin(credentials, eq(credentials.id, shareCredentials.credentialId))
        .where(inArray(shareCredentials.shareId, valid))
        .orderBy(asc(shareCredentials.shareId), asc(shareCredentials.position));
      return rows.map((row) => ({ ...row.credential, shareId: row.shareId }));
    },

    /** A portfolio's credential ids in the owner's order (to freeze a share made from it). */
    async portfolioCredentialIds(tx: Db, portfolioId: string): Promise<string[]> {
      const rows = await tx
        .select({ credentialId: portfolioCredentials.credentialId })
        .from(portfolioCredentials)
        .where(eq(portfolioCredentials.portfolioId, portfolioId))
        .orderBy(asc(portfolioCredentials.position));
      return rows.map((row) => row.credentialId);
    },

    /** Ends every standing consent of this recipient for this employer (granting again replaces the old one). */
    async revokeConsents(tx: Db, recipientId: string, employerOrgId: string): Promise<ConsentRow[]> {
      return tx
        .update(consents)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(consents.recipientId, recipientId), eq(consents.employerOrgId, employerOrgId), isNull(consents.revokedAt)))
        .returning();
    },

    async insertConsent(tx: Db, row: { id: string; recipientId: string; employerOrgId: string; scope: ConsentScopeValue }): Promise<ConsentRow> {
      const [inserted] = await tx.insert(consents).values(row).returning();
      return inserted!;
    },

    /** The consent this employer holds for this recipient now, if any. */
    async findActiveConsent(recipientId: string, employerOrgId: string): Promise<ConsentRow | null> {
      const valid = queryableIds([recipientId, employerOrgId]);
      if (valid.length < 2) return null;
      const [row] = await db
        .select()
        .from(consents)
        .where(and(eq(consents.recipientId, valid[0]!), eq(consents.employerOrgId, valid[1]!), isNull(consents.revokedAt)))
        .limit(1);
      return row ?? null;
    },

    /** Every wallet credential a consent of this scope opens, in wallet order: one statement however many there are. */
    async credentialsUnderConsent(recipientId: string, scope: ConsentScopeValue): Promise<WalletCredentialSummary[]> {
      return db
        .select(walletCredentialSummaryColumns)
        .from(credentials)
        .where(and(eq(credentials.recipientId, recipientId), inArray(credentials.visibility, VISIBILITIES_BY_SCOPE[scope])))
        .orderBy(asc(credentials.id));
    },

    /**
     * Records that a batch of share-view counts is being appended in this transaction; false when it already was (a
     * retry whose earlier attempt did commit), so the caller appends nothing. A batch still in flight elsewhere makes
     * this wait for its outcome (the primary key), so two attempts never both append.
     */
    async claimViewBatch(tx: Db, batchId: string): Promise<boolean> {
      const claimed = await tx.insert(shareViewBatches).values({ id: batchId }).onConflictDoNothing().returning({ id: shareViewBatches.id });
      return claimed.length > 0;
    },

    async pruneViewBatches(tx: Db, appendedBefore: Date): Promise<void> {
      await tx.delete(shareViewBatches).where(lt(shareViewBatches.appendedAt, appendedBefore));
    },

    /** A merge moves the merged record's shares and consents to the survivor (same person, same permissions). */
    async moveToSurvivor(
      tx: Db,
      merge: { survivorId: string; mergedRecipientId: string; replacedCredentials: ReadonlyArray<{ droppedId: string; keptId: string }> },
    ): Promise<void> {
      await tx.update(shares).set({ recipientId: merge.survivorId }).where(eq(shares.recipientId, merge.mergedRecipientId));
      await tx.update(consents).set({ recipientId: merge.survivorId }).where(eq(consents.recipientId, merge.mergedRecipientId));
      // A share listing a copy the merge dropped shows the kept copy in its place (or just once, if it lists both).
      for (const { droppedId, keptId } of merge.replacedCredentials) {
        const listingKept = tx.select({ shareId: shareCredentials.shareId }).from(shareCredentials).where(eq(shareCredentials.credentialId, keptId));
        await tx
          .update(shareCredentials)
          .set({ credentialId: keptId })
          .where(and(eq(shareCredentials.credentialId, droppedId), sql`${shareCredentials.shareId} not in (${listingKept})`));
        await tx.delete(shareCredentials).where(eq(shareCredentials.credentialId, droppedId));
      }
    },
  };
}

export type ShareStore = ReturnType<typeof createShareStore>;
