import { z } from 'zod';
import type { Db } from '../../../lib/db/client.js';
import { isAppError } from '../../../lib/errors.js';
import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { EventType, type NewEvent, type StoredEvent } from '../../../lib/events/types.js';
import { isUuid, newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { RecipientStore } from '../db/store.js';
import { IdentityType, normaliseIdentity, type Identity } from '../../../lib/identity.js';
import { normaliseRecipientName } from '../domain/recipient.js';
import { walletViewOf } from '../domain/wallet-view.js';
import { summarize } from '../../../lib/verify/credential-checks.js';

export const WALLET_DELIVERY_CONSUMER = 'recipients.wallet-delivery';

const uuid = z.string().refine(isUuid, 'not a UUID');
const isoDateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** The CredentialIssued payload the issuers subgraph publishes (the contract this consumer relies on). */
const credentialIssuedPayload = z.object({
  credentialId: uuid,
  issuerId: uuid,
  achievementId: uuid.nullish(),
  name: z.string().trim().min(1),
  issuedAt: isoDateTime,
  validUntil: isoDateTime.nullish(),
  recipient: z.object({ type: z.enum(IdentityType), value: z.string(), name: z.string().nullish() }),
  document: z.record(z.string(), z.unknown()),
});

interface Delivery {
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

type Parsed = { delivery: Delivery } | { problem: string };

function parseDelivery(payload: Record<string, unknown>): Parsed {
  const parsed = credentialIssuedPayload.safeParse(payload);
  if (!parsed.success) return { problem: z.prettifyError(parsed.error) };
  const { recipient, ...credential } = parsed.data;
  let identity: Identity;
  try {
    identity = normaliseIdentity({ type: recipient.type, value: recipient.value }, 'recipient.value');
  } catch (error) {
    if (isAppError(error)) return { problem: error.message };
    throw error;
  }
  let recipientName: string | null;
  try {
    recipientName = normaliseRecipientName(recipient.name);
  } catch {
    // The name is only a label; an unusable one must not cost the recipient their credential.
    recipientName = null;
  }
  return {
    delivery: {
      ...credential,
      achievementId: credential.achievementId ?? null,
      validUntil: credential.validUntil ?? null,
      identity,
      recipientName,
    },
  };
}

/**
 * The recipient who holds the identity, or a new one. The insert can still lose a race with `createRecipient`;
 * the store then reports CONFLICT naming the winner, who is the right recipient anyway.
 */
async function findOrCreateRecipient(tx: Db, store: RecipientStore, delivery: Delivery): Promise<{ id: string; created: boolean }> {
  const existing = await store.findRecipientIdByIdentities(tx, [delivery.identity]);
  if (existing) return { id: existing, created: false };
  try {
    const { recipient } = await store.insertRecipient(tx, { id: newId(), name: delivery.recipientName }, [delivery.identity]);
    return { id: recipient.id, created: true };
  } catch (error) {
    const holder = isAppError(error) && error.code === 'CONFLICT' ? error.details.recipientId : null;
    if (typeof holder !== 'string') throw error;
    return { id: holder, created: false };
  }
}

async function deliver(tx: Db, store: RecipientStore, log: Logger, event: StoredEvent): Promise<NewEvent[]> {
  const parsed = parseDelivery(event.payload);
  if ('problem' in parsed) {
    // Events are applied in cursor order and a malformed payload fails the same way on every retry, so throwing
    // would stop every later delivery for good. Skip it loudly instead; the event stays in the log for repair.
    log.error(
      { cursor: event.cursor, consumer: WALLET_DELIVERY_CONSUMER, problem: parsed.problem },
      'skipping malformed CredentialIssued event',
    );
    return [];
  }
  const { delivery } = parsed;
  const recipient = await findOrCreateRecipient(tx, store, delivery);
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
  const newEvents: NewEvent[] = [];
  if (recipient.created) {
    newEvents.push({ type: EventType.RECIPIENT_CREATED, recipientId: recipient.id, payload: { recipientId: recipient.id } });
  }
  // A redelivered event finds its credential already in the wallet: nothing new happened, so nothing to announce.
  if (inserted) {
    newEvents.push({
      type: EventType.CREDENTIAL_DELIVERED,
      issuerId: delivery.issuerId,
      recipientId: recipient.id,
      payload: { credentialId: delivery.credentialId, recipientId: recipient.id, issuerId: delivery.issuerId },
    });
  }
  return newEvents;
}

/**
 * Delivers every CredentialIssued event to the recipient's wallet, creating the recipient on first sight of the
 * identity. Runs in the transaction that advances the checkpoint, so a crash never delivers half an event.
 */
export function walletDeliveryConsumer(store: RecipientStore, log: Logger): ConsumerOptions {
  return {
    name: WALLET_DELIVERY_CONSUMER,
    types: [EventType.CREDENTIAL_ISSUED],
    handle: (tx, event) => deliver(tx, store, log, event),
  };
}
