import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { recipientCreatedEvent } from '../../../lib/events/contracts/recipient-created.js';
import { recipientIdentityAddedEvent } from '../../../lib/events/contracts/recipient-identity-added.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { RecipientIdentitiesService } from '../services/recipient-identities.js';

export const RECIPIENT_IDENTITIES_CONSUMER = 'issuers.recipient-identities';

/**
 * Keeps `issuers.recipient_identities` in step with the recipients subgraph: identities a record was opened with
 * (RecipientCreated version 2; version 1 names none), added later, and moved by a merge. Every write is an upsert
 * or a re-pointing, so a replay changes nothing.
 */
export function recipientIdentitiesConsumer(identities: Pick<RecipientIdentitiesService, 'recordIdentities' | 'recordMerge'>, log: Logger): ConsumerOptions {
  return {
    name: RECIPIENT_IDENTITIES_CONSUMER,
    types: [EventType.RECIPIENT_CREATED, EventType.RECIPIENT_IDENTITY_ADDED, EventType.RECIPIENT_MERGED],
    async handle(tx, event) {
      // A malformed event fails the same way on every retry; stopping here would block every later one.
      const malformed = (problem: string) => log.error({ cursor: event.cursor, problem }, `skipping malformed ${event.type} event`);
      if (event.type === EventType.RECIPIENT_CREATED) {
        const read = recipientCreatedEvent.read(event.payload);
        if ('problem' in read) malformed(read.problem);
        else await identities.recordIdentities(tx, read.payload.recipientId, read.payload.identities ?? [], event.cursor);
      } else if (event.type === EventType.RECIPIENT_IDENTITY_ADDED) {
        const read = recipientIdentityAddedEvent.read(event.payload);
        if ('problem' in read) malformed(read.problem);
        else await identities.recordIdentities(tx, read.payload.recipientId, [{ ...read.payload.identity, verified: read.payload.verified ?? false }], event.cursor);
      } else {
        const read = recipientMergedEvent.read(event.payload);
        if ('problem' in read) malformed(read.problem);
        else await identities.recordMerge(tx, read.payload, event.cursor);
      }
    },
  };
}
