import { and, asc, count, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import type { Page, PageRequest } from '../../../lib/graphql/pagination.js';
import { queryableIds } from '../../../lib/ids.js';
import { credentials, type CredentialRow, type CredentialVisibilityValue, type NewCredentialRow } from './tables.js';
import { portfolioCredentials, portfolios, type NewPortfolioRow, type PortfolioRow } from './wallet-tables.js';

/** The parts of a wallet row an import writes, also when a newer copy replaces an older one. */
export type ImportedCredentialFields = Omit<NewCredentialRow, 'id' | 'recipientId' | 'source' | 'createdAt' | 'updatedAt' | 'visibility'>;

/** The wallet's imports, visibility and portfolios: the only SQL for them. Writes take the caller's transaction. */
export function createWalletStore(db: Db) {
  return {
    /**
     * Serialises imports into one wallet until the transaction ends, so two concurrent imports of the same
     * credential cannot both find "nothing equal held" and both insert (the loser would hit the unique index).
     */
    async lockWallet(tx: Db, recipientId: string): Promise<void> {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`recipients.wallet:${recipientId}`}, 0))`);
    },

    /** The held credential equal to this one by the OB equality rule, if any. */
    async findEqualCredential(tx: Db, recipientId: string, issuerUri: string, credentialUri: string): Promise<CredentialRow | null> {
      const [row] = await tx
        .select()
        .from(credentials)
        .where(and(eq(credentials.recipientId, recipientId), eq(credentials.issuerUri, issuerUri), eq(credentials.credentialUri, credentialUri)))
        .limit(1);
      return row ?? null;
    },

    async insertImported(tx: Db, row: ImportedCredentialFields & { id: string; recipientId: string }): Promise<CredentialRow> {
      const [inserted] = await tx
        .insert(credentials)
        .values({ ...row, source: 'IMPORTED' })
        .returning();
      return inserted!;
    },

    /** A newer copy replaces the document and its view; the wallet id, visibility and portfolio places stay. */
    async replaceImported(tx: Db, id: string, fields: ImportedCredentialFields): Promise<CredentialRow> {
      const [updated] = await tx
        .update(credentials)
        .set({ ...fields, updatedAt: new Date() })
        .where(eq(credentials.id, id))
        .returning();
      return updated!;
    },

    async setVisibility(tx: Db, id: string, visibility: CredentialVisibilityValue): Promise<CredentialRow> {
      const [updated] = await tx.update(credentials).set({ visibility, updatedAt: new Date() }).where(eq(credentials.id, id)).returning();
      return updated!;
    },

    /** Which of these credential ids are in this recipient's wallet, each with its issuer here (null: none). */
    async findHeldCredentialIds(tx: Db, recipientId: string, ids: readonly string[]): Promise<Map<string, string | null>> {
      const valid = queryableIds(ids);
      if (valid.length === 0) return new Map();
      const rows = await tx
        .select({ id: credentials.id, issuerId: credentials.issuerId })
        .from(credentials)
        .where(and(eq(credentials.recipientId, recipientId), inArray(credentials.id, valid)));
      return new Map(rows.map((row) => [row.id, row.issuerId]));
    },

    /**
     * A page of a portfolio's credentials in the recipient's order. The cursor is a credential id (the Relay cursor
     * of its edge), so the page continues after that credential's position.
     */
    async pagePortfolioCredentials(portfolioId: string, request: PageRequest): Promise<Page<CredentialRow>> {
      const afterPosition = request.afterId
        ? sql`(select ${portfolioCredentials.position} from ${portfolioCredentials}
               where ${portfolioCredentials.portfolioId} = ${portfolioId} and ${portfolioCredentials.credentialId} = ${request.afterId})`
        : null;
      const rows = await db
        .select({ credential: credentials })
        .from(portfolioCredentials)
        .innerJoin(credentials, eq(credentials.id, portfolioCredentials.credentialId))
        .where(and(eq(portfolioCredentials.portfolioId, portfolioId), afterPosition ? gt(portfolioCredentials.position, afterPosition) : undefined))
        .orderBy(asc(portfolioCredentials.position))
        .limit(request.limit);
      const [total] = await db.select({ value: count() }).from(portfolioCredentials).where(eq(portfolioCredentials.portfolioId, portfolioId));
      return { rows: rows.map((row) => row.credential), totalCount: total?.value ?? 0 };
    },

    async insertPortfolio(tx: Db, row: NewPortfolioRow & { id: string }, credentialIds: readonly string[]): Promise<PortfolioRow> {
      const [inserted] = await tx.insert(portfolios).values(row).returning();
      await writePortfolioOrder(tx, row.id, credentialIds);
      return inserted!;
    },

    /** Changes what is given: `credentialIds` replaces the whole ordered list (adds, removes and re-orders at once). */
    async updatePortfolio(
      tx: Db,
      id: string,
      patch: { name?: string; description?: string | null },
      credentialIds: readonly string[] | null,
    ): Promise<PortfolioRow> {
      const [updated] = await tx
        .update(portfolios)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(portfolios.id, id))
        .returning();
      if (credentialIds) {
        await tx.delete(portfolioCredentials).where(eq(portfolioCredentials.portfolioId, id));
        await writePortfolioOrder(tx, id, credentialIds);
      }
      return updated!;
    },

    async deletePortfolio(tx: Db, id: string): Promise<void> {
      await tx.delete(portfolioCredentials).where(eq(portfolioCredentials.portfolioId, id));
      await tx.delete(portfolios).where(eq(portfolios.id, id));
    },

    /** The portfolio row locked for the rest of the transaction, so two edits of one portfolio apply one after the other. */
    async lockPortfolio(tx: Db, id: string): Promise<PortfolioRow | null> {
      const valid = queryableIds([id]);
      if (valid.length === 0) return null;
      const [row] = await tx.select().from(portfolios).where(eq(portfolios.id, valid[0]!)).for('update');
      return row ?? null;
    },
  };
}

async function writePortfolioOrder(tx: Db, portfolioId: string, credentialIds: readonly string[]): Promise<void> {
  if (credentialIds.length === 0) return;
  await tx.insert(portfolioCredentials).values(credentialIds.map((credentialId, position) => ({ portfolioId, credentialId, position })));
}

export type WalletStore = ReturnType<typeof createWalletStore>;
