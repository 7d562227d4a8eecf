import type { Db } from '../../../lib/db/client.js';
import type { Identity } from '../../../lib/identity.js';
import type { ProjectedIdentity, RecipientIdentityStore, RecordedIdentity } from '../db/recipient-identity-store.js';
import { chooseAwardIdentity } from '../domain/award-recipient.js';

/**
 * The recipients' identities as this subgraph knows them from the recipients subgraph's events, and the one an
 * award goes to when the completion named none (domain/award-recipient.ts). Every write runs in the consumer's
 * transaction, with its checkpoint.
 */
export function createRecipientIdentitiesService({ store }: { store: RecipientIdentityStore }) {
  return {
    /** Identities in log order, each at most once (see the store's `record`). */
    recordIdentities: (tx: Db, identities: readonly RecordedIdentity[]) => store.record(tx, identities),

    /** The merged record's identities move to the survivor, with those the event names (known or not before). */
    async recordMerge(tx: Db, merge: { survivorId: string; mergedRecipientId: string; identities: readonly Omit<ProjectedIdentity, 'verified'>[] }, cursor: number): Promise<void> {
      await store.moveRecipient(tx, merge.mergedRecipientId, merge.survivorId);
      await store.record(tx, merge.identities.map((identity) => ({ ...identity, verified: false, recipientId: merge.survivorId, cursor })));
    },

    async awardIdentityOf(tx: Db, recipientId: string): Promise<Identity | null> {
      return chooseAwardIdentity(await store.identitiesOf(tx, recipientId));
    },
  };
}

export type RecipientIdentitiesService = ReturnType<typeof createRecipientIdentitiesService>;
