import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import type { IdentityType } from '../../../lib/identity.js';
import { recipientIdentityProjection, type RecipientIdentityProjectionRow } from './recipient-identity-tables.js';

export interface ProjectedIdentity {
  type: IdentityType;
  value: string;
  verified: boolean;
}

/** An identity as a RecipientCreated, RecipientIdentityAdded or RecipientMerged event at `cursor` gives it. */
export interface RecordedIdentity extends ProjectedIdentity {
  recipientId: string;
  cursor: number;
}

/** The projection of recipients' identities (recipient-identity-tables.ts): the only SQL for it. */
export function createRecipientIdentityStore() {
  return {
    /**
     * Each identity belongs to its recipient from its `cursor` on, in one statement for a batch of events. Proof is
     * kept while the identity stays with the same recipient (an operator re-adding a proved address does not unprove
     * it); a replayed event changes nothing. An identity appears at most once per call (PostgreSQL cannot update a row
     * twice in one statement): the caller writes in log order and starts a new call when one repeats.
     */
    async record(tx: Db, identities: readonly RecordedIdentity[]): Promise<void> {
      if (identities.length === 0) return;
      const table = recipientIdentityProjection;
      await tx
        .insert(table)
        .values(identities.map(({ type, value, verified, recipientId, cursor }) => ({ type, value, verified, recipientId, addedCursor: cursor })))
        .onConflictDoUpdate({
          target: [table.type, table.value],
          set: {
            recipientId: sql`excluded.recipient_id`,
            verified: sql`excluded.verified or (${table.verified} and ${table.recipientId} = excluded.recipient_id)`,
            addedCursor: sql`greatest(${table.addedCursor}, excluded.added_cursor)`,
            updatedAt: sql`now()`,
          },
        });
    },

    /** Every identity of a merged-away recipient is now the survivor's. */
    async moveRecipient(tx: Db, mergedRecipientId: string, survivorId: string): Promise<void> {
      await tx
        .update(recipientIdentityProjection)
        .set({ recipientId: survivorId, updatedAt: sql`now()` })
        .where(eq(recipientIdentityProjection.recipientId, mergedRecipientId));
    },

    identitiesOf(tx: Db, recipientId: string): Promise<RecipientIdentityProjectionRow[]> {
      return tx.select().from(recipientIdentityProjection).where(eq(recipientIdentityProjection.recipientId, recipientId.toLowerCase()));
    },
  };
}

export type RecipientIdentityStore = ReturnType<typeof createRecipientIdentityStore>;
