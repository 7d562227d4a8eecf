import { isAppError } from '../../../lib/errors.js';
import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { RecipientStore } from '../db/store.js';
import { normaliseIdentity, type Identity } from '../../../lib/identity.js';
import { normaliseRecipientName } from '../domain/recipient.js';
import { createWalletDeliveryService, type Delivery } from '../services/wallet-delivery.js';

export const WALLET_DELIVERY_CONSUMER = 'recipients.wallet-delivery';

/**
 * @default 250 // events a delivery step applies at once: its dozen statements and round trips are paid per step,
 * so a step that takes a bulk chunk or two keeps delivery up with issuance
 */
const DELIVERY_BATCH_SIZE = 250;

type Parsed = { delivery: Delivery } | { problem: string };

function parseDelivery(payload: Record<string, unknown>): Parsed {
  const read = credentialIssuedEvent.read(payload);
  if ('problem' in read) return read;
  const { recipient, achievementVersion: _version, ...credential } = read.payload;
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
      issuedAt: new Date(credential.issuedAt),
      validUntil: credential.validUntil ? new Date(credential.validUntil) : null,
      identity,
      recipientName,
    },
  };
}

/** The deliveries of these events; a malformed one is logged and left out. */
function deliveriesOf(events: readonly StoredEvent[], log: Logger): Delivery[] {
  const deliveries: Delivery[] = [];
  for (const event of events) {
    const parsed = parseDelivery(event.payload);
    // Events are applied in cursor order and a malformed payload fails the same way on every retry, so throwing
    // would stop every later delivery for good. Skip it loudly instead; the event stays in the log for repair.
    if ('problem' in parsed) log.error({ cursor: event.cursor, consumer: WALLET_DELIVERY_CONSUMER, problem: parsed.problem }, 'skipping malformed CredentialIssued event');
    else deliveries.push(parsed.delivery);
  }
  return deliveries;
}

/**
 * Delivers every CredentialIssued event to the recipient's wallet, creating the recipient on first sight of the
 * identity, a whole batch of events at once. Runs in the transaction that advances the checkpoint, so a crash never
 * delivers half a batch.
 */
export function walletDeliveryConsumer(store: RecipientStore, log: Logger): ConsumerOptions {
  const delivery = createWalletDeliveryService({ store });
  return {
    name: WALLET_DELIVERY_CONSUMER,
    types: [EventType.CREDENTIAL_ISSUED],
    batchSize: DELIVERY_BATCH_SIZE,
    handleBatch: (tx, events) => delivery.deliverIssuedCredentials(tx, deliveriesOf(events, log)),
    handle: (tx, event) => delivery.deliverIssuedCredentials(tx, deliveriesOf([event], log)),
  };
}
