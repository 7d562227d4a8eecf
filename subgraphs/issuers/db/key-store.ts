import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { queryableIds } from '../../../lib/ids.js';
import { jwtKeys, signingKeys, type JwtKeyRow, type SigningKeyRow } from './tables.js';

/** Signing-key queries. Private keys come back encrypted; decrypting them is the key ring's job. */
export function createKeyStore(db: Db) {
  return {
    /** `tx` to see keys its transaction just made (the IssuerKeysChanged event is built inside it). */
    async keysByIssuerIds(issuerIds: readonly string[], tx: Db = db): Promise<SigningKeyRow[]> {
      const ids = queryableIds(issuerIds);
      if (ids.length === 0) return [];
      return tx.select().from(signingKeys).where(inArray(signingKeys.issuerId, ids)).orderBy(asc(signingKeys.id));
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

    /** Retires the issuer's active keys (both kinds); the rows stay, because old credentials still point at them. */
    async retireActive(tx: Db, issuerId: string): Promise<void> {
      await tx
        .update(signingKeys)
        .set({ status: 'RETIRED', retiredAt: sql`now()` })
        .where(and(eq(signingKeys.issuerId, issuerId), eq(signingKeys.status, 'ACTIVE')));
      await tx
        .update(jwtKeys)
        .set({ status: 'RETIRED', retiredAt: sql`now()` })
        .where(and(eq(jwtKeys.issuerId, issuerId), eq(jwtKeys.status, 'ACTIVE')));
    },

    async jwtKeysOf(issuerId: string): Promise<JwtKeyRow[]> {
      return db.select().from(jwtKeys).where(eq(jwtKeys.issuerId, issuerId)).orderBy(asc(jwtKeys.id));
    },

    async insertJwtKey(row: typeof jwtKeys.$inferInsert): Promise<JwtKeyRow> {
      const [inserted] = await db.insert(jwtKeys).values(row).returning();
      return inserted!;
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
