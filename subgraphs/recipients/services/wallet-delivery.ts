import type { Db } from '../../../lib/db/client.js';
import { isAppError } from '../../../lib/errors.js';
import type { NewEvent } from '../../../lib/events/types.js';
import type { Identity } from '../../../lib/identity.js';
import { newId } from '../../../lib/ids.js';
import { summarize } from '../../../lib/verify/credential-checks.js';
import type { RecipientStore } from '../db/store.js';
import { walletViewOf } from '../domain/wallet-view.js';
import { credentialDeliveredEvent } from '../../../lib/events/contracts/credential-delivered.js';
import { recipientCreatedEvent } from '../../../lib/events/contracts/recipient-created.js';

/** A credential this hub issued, on its way to the wallet of whoever holds `identity`. */
export interface Delivery {
  credentialId: string;
  issuerId: string;
  achievementId: string | null;
  name: string;
  issuedAt: Date;
  validUntil: Date | null;
  identity: Identity;
  recipientName: string | null;
  document: Record<string, unknown>;
}

export interface WalletDeliveryServiceDeps {
  store: RecipientStore;
}

/** The events of a delivery, each payload built here and nowhere else in this service. */
const events = {
  recipientCreated: (recipientId: string): NewEvent => recipientCreatedEvent.build({ recipientId }),
  credentialDelivered: (delivery: Delivery, recipientId: string): NewEvent =>
    credentialDeliveredEvent.build({ credentialId: delivery.credentialId, recipientId, issuerId: delivery.issuerId }),
};

/**
 * Puts credentials issued on this hub into their recipients' wallets. It works inside the event consumer's
 * transaction (the one that advances its checkpoint) and returns its events for the consumer to append with the
 * batch, so a crash never delivers half an event.
 */
/** @default 3 // lookups of an identity's holder when each one found was merged away meanwhile (one merge is the usual case) */
const MAX_LOOKUPS = 3;

export function createWalletDeliveryService(deps: WalletDeliveryServiceDeps) {
  const { store } = deps;

  /**
   * The recipient who holds the identity, or a new one. The insert can still lose a race with `createRecipient`;
   * the store then reports CONFLICT naming the winner, who is the right recipient anyway.
   */
  async function findOrCreateRecipient(tx: Db, delivery: Delivery): Promise<{ id: string; created: boolean }> {
    // Held until the delivery commits, so a merge cannot retire the record between this lookup and the insert (it
    // would move only the credentials committed before it and leave this one on a deleted recipient). A record merged
    // away while we waited is gone: look again, and the identity now leads to the survivor.
    for (let attempt = 1; attempt <= MAX_LOOKUPS; attempt += 1) {
      const existing = await store.findRecipientIdByIdentities(tx, [delivery.identity]);
      if (!existing) break;
      if (await store.holdRecipient(tx, existing)) return { id: existing, created: false };
    }
    try {
      const { recipient } = await store.insertRecipient(tx, { id: newId(), name: delivery.recipientName }, [delivery.identity]);
      return { id: recipient.id, created: true };
    } catch (error) {
      const holder = isAppError(error) && error.code === 'CONFLICT' ? error.details.recipientId : null;
      if (typeof holder !== 'string') throw error;
      await store.holdRecipient(tx, holder);
      return { id: holder, created: false };
    }
  }

  return {
    /** Delivers one credential, creating the recipient on first sight of the identity; a redelivery changes nothing. */
    async deliverIssuedCredential(tx: Db, delivery: Delivery): Promise<NewEvent[]> {
      const recipient = await findOrCreateRecipient(tx, delivery);
      // The same normalised view an import computes, so an import of this credential finds its delivered copy.
      const { name: _documentName, validUntil: _documentValidUntil, ...view } = walletViewOf(summarize(delivery.document, 'VC_2_0'));
      const inserted = await store.insertCredential(tx, {
        ...view,
        id: delivery.credentialId,
        recipientId: recipient.id,
        issuerId: delivery.issuerId,
        achievementId: delivery.achievementId,
        name: delivery.name,
        issuedAt: delivery.issuedAt,
        validUntil: delivery.validUntil,
        document: delivery.document,
        source: 'ISSUED',
      });
      const caused: NewEvent[] = [];
      if (recipient.created) caused.push(events.recipientCreated(recipient.id));
      // A redelivered event finds its credential already in the wallet: nothing new happened, so nothing to announce.
      if (inserted) caused.push(events.credentialDelivered(delivery, recipient.id));
      return caused;
    },
  };
}

export type WalletDeliveryService = ReturnType<typeof createWalletDeliveryService>;
