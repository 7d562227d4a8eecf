import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { queryableIds } from '../../../lib/ids.js';
import { signingKeys, type SigningKeyRow } from './tables.js';

/** Signing-key queries. Private keys come back encrypted; decrypting them is the key ring's job. */
export function createKeyStore(db: Db) {
  return {
    async keysByIssuerIds(issuerIds: readonly string[]): Promise<SigningKeyRow[]> {
      const ids = queryableIds(issuerIds);
      if (ids.length === 0) return [];
      return db.select().from(signingKeys).where(inArray(signingKeys.issuerId, ids)).orderBy(asc(signingKeys.id));
    },

    async activeKey(issuerId: string): Promise<SigningKeyRow | null> {
      const [row] = await db
        .select()
        .from(signingKeys)
        .where(and(eq(signingKeys.issuerId, issuerId), eq(signingKeys.status, 'ACTIVE')))
        .limit(1);
      return row ?? null;
    },

    async findByPublicKey(publicKeyMultibase: string): Promise<SigningKeyRow | null> {
      const [row] = await db.select().from(signingKeys).where(eq(signingKeys.publicKeyMultibase, publicKeyMultibase)).limit(1);
      return row ?? null;
    },

    async insert(tx: Db, row: typeof signingKeys.$inferInsert): Promise<SigningKeyRow> {
      const [inserted] = await tx.insert(signingKeys).values(row).returning();
      return inserted!;
    },

    /** Retires the issuer's active key; the row stays, because old credentials still point at it. */
    async retireActive(tx: Db, issuerId: string): Promise<void> {
      await tx
        .update(signingKeys)
        .set({ status: 'RETIRED', retiredAt: sql`now()` })
        .where(and(eq(signingKeys.issuerId, issuerId), eq(signingKeys.status, 'ACTIVE')));
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
