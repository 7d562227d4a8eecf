import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { credentialDeliveredEvent } from '../../../lib/events/contracts/credential-delivered.js';
import { credentialVisibilityChangedEvent } from '../../../lib/events/contracts/credential-visibility-changed.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import type { Db } from '../../../lib/db/client.js';
import type { Logger } from '../../../lib/log.js';
import type { HostedCopiesService } from '../services/hosted-copies.js';

export const HOSTED_VISIBILITY_CONSUMER = 'issuers.hosted-visibility';

/**
 * Keeps `issuers.hosted_visibility` in step with the holders' wallets, so `/credentials/{id}` follows what the
 * holder chose without reading the recipients service's tables.
 */
export function hostedVisibilityConsumer(hostedCopies: Pick<HostedCopiesService, 'recordDeliveries' | 'recordVisibility' | 'recordMerge'>, log: Logger): ConsumerOptions {
  const malformed = (cursor: number, type: EventType, problem: unknown) =>
    // A malformed event fails the same way on every retry; stopping here would block every later one.
    log.error({ cursor, problem }, `skipping malformed ${type} event`);
  /** In log order; a run of deliveries (a bulk job's chunk) is one statement. */
  async function apply(tx: Db, events: readonly StoredEvent[]): Promise<void> {
    let deliveries: { credentialId: string; recipientId: string }[] = [];
    const flush = async () => {
      await hostedCopies.recordDeliveries(tx, deliveries);
      deliveries = [];
    };
    for (const event of events) {
      if (event.type === EventType.CREDENTIAL_DELIVERED) {
        const read = credentialDeliveredEvent.read(event.payload);
        if ('problem' in read) malformed(event.cursor, event.type, read.problem);
        else deliveries.push({ credentialId: read.payload.credentialId, recipientId: read.payload.recipientId });
        continue;
      }
      await flush();
      if (event.type === EventType.CREDENTIAL_VISIBILITY_CHANGED) {
        const read = credentialVisibilityChangedEvent.read(event.payload);
        if ('problem' in read) malformed(event.cursor, event.type, read.problem);
        else await hostedCopies.recordVisibility(tx, read.payload);
        continue;
      }
      const read = recipientMergedEvent.read(event.payload);
      if ('problem' in read) malformed(event.cursor, event.type, read.problem);
      else await hostedCopies.recordMerge(tx, read.payload.mergedRecipientId, read.payload.survivorId);
    }
    await flush();
  }
  return {
    name: HOSTED_VISIBILITY_CONSUMER,
    types: [EventType.CREDENTIAL_DELIVERED, EventType.CREDENTIAL_VISIBILITY_CHANGED, EventType.RECIPIENT_MERGED],
    // A bulk job's deliveries arrive hundreds at a time and are written in one statement: fewer, larger steps.
    batchSize: 500,
    handleBatch: (tx, events) => apply(tx, events),
    handle: (tx, event) => apply(tx, [event]),
  };
}
