import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { incrementIssuerCounter } from '../db/store.js';
import { COUNTED_EVENT_TYPES, COUNTER_FOR_EVENT } from '../domain/issuer-counters.js';

/**
 * Keeps `verification.issuer_metrics` in step with the event log. Each counter moves in the same transaction
 * that advances the checkpoint, so a crash or a second replica never counts an event twice.
 */
export const issuerMetricsConsumer: ConsumerOptions = {
  name: 'verification.issuer-metrics',
  types: COUNTED_EVENT_TYPES,
  async handle(tx, event) {
    const counter = COUNTER_FOR_EVENT[event.type];
    if (counter && event.issuerId) await incrementIssuerCounter(tx, event.issuerId, counter);
  },
};
