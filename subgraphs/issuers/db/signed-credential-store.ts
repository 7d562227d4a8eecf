import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { signedCredentials, type NewSignedCredentialRow, type SignedCredentialRow } from './tables.js';

/** The VC-API's signed credentials with a status entry: recorded at signing, found and locked by their `id` for a status change. */
export function createSignedCredentialStore(db: Db) {
  return {
    async insert(tx: Db, row: NewSignedCredentialRow): Promise<SignedCredentialRow> {
      const [inserted] = await tx.insert(signedCredentials).values(row).returning();
      return inserted!;
    },

    /** The latest credential the issuer signed with this `id` (a caller may reuse an id; the newest is the one it means). */
    async findByUri(issuerId: string, credentialUri: string): Promise<SignedCredentialRow | null> {
      const [row] = await db
        .select()
        .from(signedCredentials)
        .where(and(eq(signedCredentials.issuerId, issuerId), eq(signedCredentials.credentialUri, credentialUri)))
        .orderBy(desc(signedCredentials.issuedAt))
        .limit(1);
      return row ?? null;
    },

    async lock(tx: Db, id: string): Promise<SignedCredentialRow | null> {
      const [row] = await tx.select().from(signedCredentials).where(eq(signedCredentials.id, id)).for('update');
      return row ?? null;
    },

    async updateStatus(tx: Db, id: string, change: { status: SignedCredentialRow['status']; reason: string | null }): Promise<SignedCredentialRow> {
      const [row] = await tx
        .update(signedCredentials)
        .set({ status: change.status, statusReason: change.reason, statusChangedAt: sql`now()` })
        .where(eq(signedCredentials.id, id))
        .returning();
      return row!;
    },
  };
}

export type SignedCredentialStore = ReturnType<typeof createSignedCredentialStore>;
