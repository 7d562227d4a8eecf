import { eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { isUuid } from '../../../lib/ids.js';
import { hostedVisibility, type HostedVisibilityRow } from './tables.js';

/** The projection of holders' visibility choices over the credentials this service hosts: the only SQL for it. */
export function createHostedVisibilityStore(db: Db) {
  return {
    async find(credentialId: string): Promise<HostedVisibilityRow | null> {
      if (!isUuid(credentialId)) return null;
      const [row] = await db.select().from(hostedVisibility).where(eq(hostedVisibility.credentialId, credentialId)).limit(1);
      return row ?? null;
    },

    /**
     * Credentials reached their holders' wallets: the holder is known from now on, the visibility stays what it is
     * (PRIVATE since issuance, as every wallet entry starts); a redelivery changes nothing.
     */
    async recordDeliveries(tx: Db, deliveries: ReadonlyArray<{ credentialId: string; recipientId: string }>): Promise<void> {
      if (deliveries.length === 0) return;
      await tx
        .insert(hostedVisibility)
        .values(deliveries.map(({ credentialId, recipientId }) => ({ credentialId, recipientId, visibility: 'PRIVATE' as const })))
        .onConflictDoUpdate({
          target: hostedVisibility.credentialId,
          set: { recipientId: sql`excluded.recipient_id`, updatedAt: sql`now()` },
          setWhere: isNull(hostedVisibility.recipientId),
        });
    },

    async recordVisibility(tx: Db, row: Pick<HostedVisibilityRow, 'credentialId' | 'recipientId' | 'visibility'>): Promise<void> {
      await tx
        .insert(hostedVisibility)
        .values(row)
        .onConflictDoUpdate({ target: hostedVisibility.credentialId, set: { recipientId: row.recipientId, visibility: row.visibility, updatedAt: sql`now()` } });
    },

    /** Every credential of a merged-away recipient is now held by the survivor. */
    async moveHolder(tx: Db, fromRecipientId: string, toRecipientId: string): Promise<void> {
      await tx.update(hostedVisibility).set({ recipientId: toRecipientId, updatedAt: sql`now()` }).where(eq(hostedVisibility.recipientId, fromRecipientId));
    },
  };
}

export type HostedVisibilityStore = ReturnType<typeof createHostedVisibilityStore>;
