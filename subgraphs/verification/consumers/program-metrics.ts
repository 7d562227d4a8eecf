import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import type { StoredEvent } from '../../../lib/events/types.js';
import type { Db } from '../../../lib/db/client.js';
import { activeMetricGeneration, projectMetricFacts } from '../db/metrics-projection.js';
import { METRIC_EVENT_TYPES, metricFactOf } from '../domain/metric-facts.js';

const project = (tx: Db, generation: number, events: readonly StoredEvent[]): Promise<void> =>
  projectMetricFacts(
    tx,
    generation,
    events.flatMap((event) => metricFactOf(event) ?? []),
  );

export const PROGRAM_METRICS_CONSUMER = 'verification.program-metrics';

/**
 * Keeps the program-metric projections in step with the event log. Each step writes the generation active when it
 * runs (read after its checkpoint row is locked, so a rebuild's hand-over falls between two steps, never inside one),
 * and its counts commit with the checkpoint: a replayed or retried batch is counted once.
 */
export const programMetricsConsumer: ConsumerOptions = {
  name: PROGRAM_METRICS_CONSUMER,
  types: METRIC_EVENT_TYPES,
  batchSize: 500,
  handleBatch: async (tx, events) => project(tx, await activeMetricGeneration(tx), events),
  handle: async (tx, event) => project(tx, await activeMetricGeneration(tx), [event]),
};

/** The same projection into one fixed generation, from cursor 0: what `npm run metrics:rebuild` runs. */
export function programMetricsRebuildConsumer(generation: number): ConsumerOptions {
  return {
    name: `${PROGRAM_METRICS_CONSUMER}.rebuild`,
    types: METRIC_EVENT_TYPES,
    batchSize: 1_000,
    // An event that fails is dead-lettered at once (`npm run dead-letters` lists it) instead of holding the rebuild for minutes of backoff.
    retry: { maxAttempts: 1 },
    handleBatch: (tx, events) => project(tx, generation, events),
    handle: (tx, event) => project(tx, generation, [event]),
  };
}
