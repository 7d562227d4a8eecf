import type { Db } from '../../../lib/db/client.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { identityKey, type Identity } from '../../../lib/identity.js';
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
  /** Opened for the identity an issuer awarded to: known, not proved by the recipient. */
  recipientCreated: (recipientId: string, identity: Identity): NewEvent =>
    recipientCreatedEvent.build({ recipientId, identities: [{ type: identity.type, value: identity.value, verified: false }] }),
  credentialDelivered: (delivery: Delivery, recipientId: string): NewEvent =>
    credentialDeliveredEvent.build({ credentialId: delivery.credentialId, recipientId, issuerId: delivery.issuerId }),
};

/** @default 3 // lookups of an identity's holder when each one found was merged away meanwhile (one merge is the usual case) */
const MAX_LOOKUPS = 3;

/**
 * Puts credentials issued on this hub into their recipients' wallets. It works inside the event consumer's
 * transaction (the one that advances its checkpoint) and returns its events for the consumer to append with the
 * batch, so a crash never delivers half a batch. A batch costs a handful of statements, whatever its size.
 */
export function createWalletDeliveryService(deps: WalletDeliveryServiceDeps) {
  const { store } = deps;

  /**
   * The recipient who holds each delivery's identity, by `identityKey`, or a new one. Holders are held until the
   * delivery commits, so a merge cannot retire a record between this lookup and the insert (it would move only the
   * credentials committed before it and leave these on a deleted recipient). A record merged away while we waited is
   * gone: look again, and the identity now leads to the survivor.
   */
  async function recipientsFor(tx: Db, deliveries: readonly Delivery[]): Promise<Map<string, { id: string; created: boolean }>> {
    // The first delivery to an identity names the recipient it creates.
    const wanted = new Map<string, Delivery>();
    for (const delivery of deliveries) if (!wanted.has(identityKey(delivery.identity))) wanted.set(identityKey(delivery.identity), delivery);
    const found = new Map<string, { id: string; created: boolean }>();
    let looking = [...wanted.keys()];
    for (let attempt = 1; attempt <= MAX_LOOKUPS && looking.length > 0; attempt += 1) {
      const holders = await store.findHoldersOfIdentities(
        tx,
        looking.map((key) => wanted.get(key)!.identity),
      );
      const held = await store.holdRecipients(tx, [...new Set(holders.values())]);
      for (const key of looking) {
        const holder = holders.get(key);
        if (holder && held.has(holder)) found.set(key, { id: holder, created: false });
      }
      looking = looking.filter((key) => holders.has(key) && !found.has(key));
    }
    const unheld = [...wanted].filter(([key]) => !found.has(key));
    const toCreate = unheld.map(([key, delivery]) => ({ key, recipient: { id: newId(), name: delivery.recipientName }, identity: delivery.identity }));
    const { created, heldBy } = await store.insertRecipientsForIdentities(tx, toCreate);
    for (const { key, recipient } of toCreate) if (created.has(recipient.id)) found.set(key, { id: recipient.id, created: true });
    // An identity a concurrent createRecipient or delivery took first belongs to the winner, the right recipient anyway.
    await store.holdRecipients(tx, [...heldBy.values()]);
    for (const [key, holder] of heldBy) found.set(key, { id: holder, created: false });
    return found;
  }

  return {
    /**
     * Delivers credentials, creating each recipient on first sight of the identity, with a few multi-row statements;
     * a redelivery changes nothing. Returns RecipientCreated / CredentialDelivered, in delivery order.
     */
    async deliverIssuedCredentials(tx: Db, deliveries: readonly Delivery[]): Promise<NewEvent[]> {
      if (deliveries.length === 0) return [];
      const recipients = await recipientsFor(tx, deliveries);
      const recipientOf = (delivery: Delivery) => recipients.get(identityKey(delivery.identity))!;
      const inserted = await store.insertCredentials(
        tx,
        deliveries.map((delivery) => {
          // The same normalised view an import computes, so an import of this credential finds its delivered copy.
          const { name: _documentName, validUntil: _documentValidUntil, ...view } = walletViewOf(summarize(delivery.document, 'VC_2_0'));
          return {
            ...view,
            id: delivery.credentialId,
            recipientId: recipientOf(delivery).id,
            issuerId: delivery.issuerId,
            achievementId: delivery.achievementId,
            name: delivery.name,
            issuedAt: delivery.issuedAt,
            validUntil: delivery.validUntil,
            document: delivery.document,
            source: 'ISSUED' as const,
          };
        }),
      );
      const caused: NewEvent[] = [];
      const announced = new Set<string>();
      for (const delivery of deliveries) {
        const recipient = recipientOf(delivery);
        if (recipient.created && !announced.has(recipient.id)) {
          announced.add(recipient.id);
          caused.push(events.recipientCreated(recipient.id, delivery.identity));
        }
        // A redelivered event finds its credential already in the wallet: nothing new happened, so nothing to announce.
        if (inserted.delete(delivery.credentialId)) caused.push(events.credentialDelivered(delivery, recipient.id));
      }
      return caused;
    },
  };
}

export type WalletDeliveryService = ReturnType<typeof createWalletDeliveryService>;
