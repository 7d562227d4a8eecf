import type { Db } from '../../../lib/db/client.js';
import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { recipientCreatedEvent } from '../../../lib/events/contracts/recipient-created.js';
import { recipientIdentityAddedEvent } from '../../../lib/events/contracts/recipient-identity-added.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { ProjectedIdentity, RecordedIdentity } from '../db/recipient-identity-store.js';
import type { RecipientIdentitiesService } from '../services/recipient-identities.js';

export const RECIPIENT_IDENTITIES_CONSUMER = 'issuers.recipient-identities';

/**
 * Keeps `issuers.recipient_identities` in step with the recipients subgraph: identities a record was opened with
 * (RecipientCreated version 2; version 1 names none), added later, and moved by a merge. Every write is an upsert
 * or a re-pointing, so a replay changes nothing. A batch's identities go in one statement (a bulk job opens a record
 * per new recipient: thousands of events), split only where an identity repeats or a merge must apply in between.
 */
export function recipientIdentitiesConsumer(identities: Pick<RecipientIdentitiesService, 'recordIdentities' | 'recordMerge'>, log: Logger): ConsumerOptions {
  async function apply(tx: Db, events: StoredEvent[]): Promise<void> {
    let pending: RecordedIdentity[] = [];
    const pendingKeys = new Set<string>();
    const flush = async () => {
      await identities.recordIdentities(tx, pending);
      pending = [];
      pendingKeys.clear();
    };
    const add = async (recipientId: string, given: readonly ProjectedIdentity[], cursor: number) => {
      for (const identity of given) {
        const key = `${identity.type}\u0000${identity.value}`;
        if (pendingKeys.has(key)) await flush();
        pendingKeys.add(key);
        pending.push({ ...identity, recipientId, cursor });
      }
    };
    for (const event of events) {
      // A malformed event fails the same way on every retry; stopping here would block every later one.
      const malformed = (problem: string) => log.error({ cursor: event.cursor, problem }, `skipping malformed ${event.type} event`);
      if (event.type === EventType.RECIPIENT_CREATED) {
        const read = recipientCreatedEvent.read(event.payload);
        if ('problem' in read) malformed(read.problem);
        else await add(read.payload.recipientId, read.payload.identities ?? [], event.cursor);
      } else if (event.type === EventType.RECIPIENT_IDENTITY_ADDED) {
        const read = recipientIdentityAddedEvent.read(event.payload);
        if ('problem' in read) malformed(read.problem);
        else await add(read.payload.recipientId, [{ ...read.payload.identity, verified: read.payload.verified ?? false }], event.cursor);
      } else {
        const read = recipientMergedEvent.read(event.payload);
        if ('problem' in read) malformed(read.problem);
        else {
          await flush();
          await identities.recordMerge(tx, read.payload, event.cursor);
        }
      }
    }
    await flush();
  }
  return {
    name: RECIPIENT_IDENTITIES_CONSUMER,
    types: [EventType.RECIPIENT_CREATED, EventType.RECIPIENT_IDENTITY_ADDED, EventType.RECIPIENT_MERGED],
    // A bulk job's chunks bring hundreds of new records at a time: fewer, larger steps.
    batchSize: 500,
    handleBatch: (tx, events) => apply(tx, events),
    handle: (tx, event) => apply(tx, [event]),
  };
}
