import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { credentialDeliveredEvent } from '../../../lib/events/contracts/credential-delivered.js';
import { credentialImportedEvent } from '../../../lib/events/contracts/credential-imported.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import { readCredentialStatusChange } from '../../../lib/events/contracts/credential-status-changed.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { EventType, type NewEvent, type StoredEvent } from '../../../lib/events/types.js';
import type { Db } from '../../../lib/db/client.js';
import type { Logger } from '../../../lib/log.js';
import type { HoldingStatus } from '../domain/pathway-progress.js';
import type { PathwayProgressService } from '../services/pathway-progress.js';

export const PATHWAY_PROGRESS_CONSUMER = 'achievements.pathway-progress';

const STATUS_AFTER: Partial<Record<EventType, HoldingStatus>> = {
  [EventType.CREDENTIAL_REVOKED]: 'REVOKED',
  [EventType.CREDENTIAL_SUSPENDED]: 'SUSPENDED',
  [EventType.CREDENTIAL_REINSTATED]: 'ACTIVE',
};

/**
 * Recipients' progress on pathways, from the events that change what they hold. Checkpointed and run in the
 * transaction that advances the checkpoint (replicas take turns on the checkpoint row), so an event is applied once;
 * a replay re-applies idempotent writes and finds every award already made.
 */
export function pathwayProgressConsumer(progress: PathwayProgressService, log: Logger): ConsumerOptions {
  // A malformed payload fails the same way on every retry: skip it loudly rather than stall every later event.
  const skip = (event: StoredEvent, problem: string): NewEvent[] => {
    log.error({ cursor: event.cursor, type: event.type, problem, consumer: PATHWAY_PROGRESS_CONSUMER }, 'skipping malformed event');
    return [];
  };

  async function handle(tx: Db, event: StoredEvent): Promise<NewEvent[]> {
    const at = event.occurredAt;
    switch (event.type) {
      case EventType.CREDENTIAL_ISSUED: {
        const read = credentialIssuedEvent.read(event.payload);
        if ('problem' in read) return skip(event, read.problem);
        const { credentialId, issuerId, achievementId, issuedAt, validUntil, recipient, document } = read.payload;
        await progress.recordIssued(tx, {
          credentialId,
          issuerId,
          achievementId: achievementId ?? null,
          issuedAt: new Date(issuedAt),
          validUntil: validUntil ? new Date(validUntil) : null,
          recipient: { type: recipient.type, value: recipient.value },
          document,
        });
        return [];
      }
      case EventType.CREDENTIAL_DELIVERED: {
        const read = credentialDeliveredEvent.read(event.payload);
        if ('problem' in read) return skip(event, read.problem);
        return progress.recordDelivered(tx, read.payload.credentialId, read.payload.recipientId, at);
      }
      case EventType.CREDENTIAL_IMPORTED: {
        const read = credentialImportedEvent.read(event.payload);
        if ('problem' in read) return skip(event, read.problem);
        // A version 1 import carries no document: nothing to match a leaf against.
        if (!read.payload.document) return [];
        const { credentialId, recipientId, status, document, issuerTrusted } = read.payload;
        // Before version 3 the trust decision did not travel: only this hub's own issuers (the event's scope) count as trusted.
        const trusted = issuerTrusted ?? event.issuerId !== null;
        return progress.recordImported(tx, { credentialId, recipientId, issuerId: event.issuerId, verified: status === 'VALID', trusted, document }, at);
      }
      case EventType.RECIPIENT_MERGED: {
        const read = recipientMergedEvent.read(event.payload);
        if ('problem' in read) return skip(event, read.problem);
        return progress.recordMerged(tx, read.payload.survivorId, read.payload.mergedRecipientId, at);
      }
      default: {
        const status = STATUS_AFTER[event.type];
        if (!status) return [];
        const read = readCredentialStatusChange(event.payload);
        if ('problem' in read) return skip(event, read.problem);
        return progress.recordStatus(tx, read.payload.credentialId, status, at);
      }
    }
  }

  return {
    name: PATHWAY_PROGRESS_CONSUMER,
    types: [
      EventType.CREDENTIAL_ISSUED,
      EventType.CREDENTIAL_DELIVERED,
      EventType.CREDENTIAL_IMPORTED,
      EventType.CREDENTIAL_REVOKED,
      EventType.CREDENTIAL_SUSPENDED,
      EventType.CREDENTIAL_REINSTATED,
      EventType.RECIPIENT_MERGED,
    ],
    handle,
  };
}
