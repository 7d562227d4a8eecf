import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../../lib/db/client.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError } from '../../../lib/errors.js';
import { newId, queryableIds } from '../../../lib/ids.js';
import { IdentityType, type Identity } from '../../../lib/identity.js';
import { emailCodes, recipientMerges, type EmailCodePurpose, type EmailCodeRow } from './identity-tables.js';
import { credentials, recipientIdentities, recipients, type RecipientIdentityRow, type RecipientRow } from './tables.js';
import { portfolioCredentials, portfolios } from './wallet-tables.js';

/** SQL for identities, one-time codes and merges. Every write takes the caller's transaction. */
export function createIdentityStore() {
  return {
    /**
     * Serialises code requests for one address (a transaction-scoped advisory lock on its hash), so two requests
     * at once cannot both pass the rate limit. Different addresses never wait for each other.
     */
    async lockAddress(tx: Db, email: string): Promise<void> {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cairn.email-codes:${email}`}))`);
    },

    async codeTimesSince(tx: Db, email: string, since: Date): Promise<Date[]> {
      const rows = await tx
        .select({ createdAt: emailCodes.createdAt })
        .from(emailCodes)
        .where(and(eq(emailCodes.email, email), gt(emailCodes.createdAt, since)));
      return rows.map((row) => row.createdAt);
    },

    async insertCode(tx: Db, row: Omit<EmailCodeRow, 'attempts' | 'consumedAt' | 'createdAt'> & { createdAt: Date }): Promise<void> {
      await tx.insert(emailCodes).values(row);
    },

    /** The code that counts (the latest), locked so concurrent guesses are decided one after the other. */
    async latestCodeForUpdate(
      tx: Db,
      emails: readonly string[],
      purpose: EmailCodePurpose,
      requestedBy: string | null,
    ): Promise<EmailCodeRow | null> {
      if (emails.length === 0) return null;
      const [row] = await tx
        .select()
        .from(emailCodes)
        .where(
          and(
            inArray(emailCodes.email, [...emails]),
            eq(emailCodes.purpose, purpose),
            requestedBy ? eq(emailCodes.requestedBy, requestedBy) : isNull(emailCodes.requestedBy),
          ),
        )
        .orderBy(desc(emailCodes.id))
        .limit(1)
        .for('update');
      return row ?? null;
    },

    async recordWrongGuess(tx: Db, codeId: string): Promise<void> {
      await tx.update(emailCodes).set({ attempts: sql`${emailCodes.attempts} + 1` }).where(eq(emailCodes.id, codeId));
    },

    async consumeCode(tx: Db, codeId: string): Promise<void> {
      await tx.update(emailCodes).set({ consumedAt: sql`now()` }).where(eq(emailCodes.id, codeId));
    },

    async findHolderOf(tx: Db, identity: Identity): Promise<string | null> {
      const [row] = await tx
        .select({ recipientId: recipientIdentities.recipientId })
        .from(recipientIdentities)
        .where(and(eq(recipientIdentities.type, identity.type), eq(recipientIdentities.value, identity.value)))
        .limit(1);
      return row?.recipientId ?? null;
    },

    async countIdentities(tx: Db, recipientId: string): Promise<number> {
      const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(recipientIdentities).where(eq(recipientIdentities.recipientId, recipientId));
      return row?.count ?? 0;
    },

    /**
     * Inserted in a savepoint: a concurrent claim of the same identity aborts only the savepoint, and the caller
     * learns who won (CONFLICT with `recipientId`) with its transaction still usable.
     */
    async insertIdentity(tx: Db, recipientId: string, identity: Identity): Promise<RecipientIdentityRow> {
      try {
        const [row] = await tx.transaction((savepoint) =>
          savepoint.insert(recipientIdentities).values({ id: newId(), recipientId, ...identity }).returning(),
        );
        return row!;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const holder = await this.findHolderOf(tx, identity);
        throw new AppError('CONFLICT', 'This identity already belongs to another recipient', { recipientId: holder });
      }
    },

    /** Locks the recipients in id order (every merge locks in the same order, so two merges cannot deadlock). */
    async lockRecipients(tx: Db, ids: readonly string[]): Promise<RecipientRow[]> {
      const valid = queryableIds(ids);
      if (valid.length === 0) return [];
      return tx.select().from(recipients).where(inArray(recipients.id, valid)).orderBy(asc(recipients.id)).for('update');
    },

    /** The issuers of this hub whose credentials the recipient holds, in id order (the scopes of its sign-in events). */
    async issuerIdsHeldBy(tx: Db, recipientId: string): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ issuerId: credentials.issuerId })
        .from(credentials)
        .where(and(eq(credentials.recipientId, recipientId), isNotNull(credentials.issuerId)))
        .orderBy(asc(credentials.issuerId));
      return rows.map((row) => row.issuerId!);
    },

    /** Identities no event has named yet (older than RecipientCreated v2), locked for the caller's transaction. */
    async claimUnannouncedIdentities(tx: Db, limit: number): Promise<RecipientIdentityRow[]> {
      return tx.select().from(recipientIdentities).where(eq(recipientIdentities.announced, false)).orderBy(asc(recipientIdentities.id)).limit(limit).for('update', { skipLocked: true });
    },

    async markIdentitiesAnnounced(tx: Db, ids: readonly string[]): Promise<void> {
      if (ids.length > 0) await tx.update(recipientIdentities).set({ announced: true }).where(inArray(recipientIdentities.id, [...ids]));
    },

    async moveIdentities(tx: Db, fromRecipientId: string, toRecipientId: string): Promise<RecipientIdentityRow[]> {
      return tx
        .update(recipientIdentities)
        .set({ recipientId: toRecipientId })
        .where(eq(recipientIdentities.recipientId, fromRecipientId))
        .returning();
    },

    async moveCredentials(tx: Db, fromRecipientId: string, toRecipientId: string): Promise<string[]> {
      const moved = await tx
        .update(credentials)
        .set({ recipientId: toRecipientId })
        .where(eq(credentials.recipientId, fromRecipientId))
        .returning({ id: credentials.id });
      return moved.map((row) => row.id);
    },

    /** Credentials both records hold by the OB equality rule (same issuer id and credential id). */
    async equalCredentialPairs(tx: Db, mergedRecipientId: string, survivorId: string) {
      const survivorCopy = alias(credentials, 'survivor_copy');
      return tx
        .select({
          mergedId: credentials.id,
          mergedValidFrom: credentials.validFrom,
          survivorId: survivorCopy.id,
          survivorValidFrom: survivorCopy.validFrom,
        })
        .from(credentials)
        .innerJoin(
          survivorCopy,
          and(
            eq(survivorCopy.recipientId, survivorId),
            eq(survivorCopy.issuerUri, credentials.issuerUri),
            eq(survivorCopy.credentialUri, credentials.credentialUri),
          ),
        )
        .where(and(eq(credentials.recipientId, mergedRecipientId), isNotNull(credentials.issuerUri), isNotNull(credentials.credentialUri)));
    },

    /** Drops one of two equal copies; portfolio entries of the dropped copy point at the kept one instead. */
    async replaceCredential(tx: Db, droppedId: string, keptId: string): Promise<void> {
      const alreadyListed = tx.select({ portfolioId: portfolioCredentials.portfolioId }).from(portfolioCredentials).where(eq(portfolioCredentials.credentialId, keptId));
      await tx
        .update(portfolioCredentials)
        .set({ credentialId: keptId })
        .where(and(eq(portfolioCredentials.credentialId, droppedId), sql`${portfolioCredentials.portfolioId} not in (${alreadyListed})`));
      await tx.delete(portfolioCredentials).where(eq(portfolioCredentials.credentialId, droppedId));
      await tx.delete(credentials).where(eq(credentials.id, droppedId));
    },

    /** Portfolios follow their credentials; their entries point at credential ids, which a merge keeps. */
    async movePortfolios(tx: Db, fromRecipientId: string, toRecipientId: string): Promise<number> {
      const moved = await tx.update(portfolios).set({ recipientId: toRecipientId }).where(eq(portfolios.recipientId, fromRecipientId)).returning({ id: portfolios.id });
      return moved.length;
    },

    async renameRecipient(tx: Db, recipientId: string, name: string | null): Promise<void> {
      await tx.update(recipients).set({ name, updatedAt: sql`now()` }).where(eq(recipients.id, recipientId));
    },

    /** Deletes the merged record and remembers where it went; its pending codes die with it. */
    async retireMergedRecipient(
      tx: Db,
      merge: { mergedRecipientId: string; survivorId: string; mergedBy: string | null; reason: 'EMAIL_PROOF' | 'ADMIN' },
    ): Promise<void> {
      await tx.delete(emailCodes).where(eq(emailCodes.requestedBy, merge.mergedRecipientId));
      await tx.delete(recipients).where(eq(recipients.id, merge.mergedRecipientId));
      await tx.insert(recipientMerges).values(merge);
      // Earlier merges into the retired record now point at the survivor, so every old id leads to one live record.
      await tx.update(recipientMerges).set({ survivorId: merge.survivorId }).where(eq(recipientMerges.survivorId, merge.mergedRecipientId));
    },

    async emailsOf(tx: Db, recipientId: string): Promise<string[]> {
      if (queryableIds([recipientId]).length === 0) return [];
      const rows = await tx
        .select({ value: recipientIdentities.value })
        .from(recipientIdentities)
        .where(and(eq(recipientIdentities.recipientId, recipientId), eq(recipientIdentities.type, IdentityType.EMAIL)));
      return rows.map((row) => row.value);
    },

    async findMerge(tx: Db, mergedRecipientId: string) {
      const [row] = await tx.select().from(recipientMerges).where(eq(recipientMerges.mergedRecipientId, mergedRecipientId)).limit(1);
      return row ?? null;
    },
  };
}

export type IdentityStore = ReturnType<typeof createIdentityStore>;
