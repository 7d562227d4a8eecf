import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import type { Db } from '../../../lib/db/client.js';
import type { StoredEvent } from '../../../lib/events/types.js';
import { incrementIssuerCounter } from '../db/store.js';
import { COUNTED_EVENT_TYPES, counterSteps } from '../domain/issuer-counters.js';

/** One upsert per issuer and counter a batch moves (a bulk job's hundred CredentialIssued events are one). */
async function count(tx: Db, events: StoredEvent[]): Promise<void> {
  for (const { issuerId, counter, by } of counterSteps(events)) await incrementIssuerCounter(tx, issuerId, counter, by);
}

/**
 * Keeps `verification.issuer_metrics` in step with the event log. Each counter moves in the same transaction
 * that advances the checkpoint, so a crash or a second replica never counts an event twice.
 */
export const issuerMetricsConsumer: ConsumerOptions = {
  name: 'verification.issuer-metrics',
  types: COUNTED_EVENT_TYPES,
  handleBatch: count,
  handle: (tx, event) => count(tx, [event]),
};
