import type { Db } from '../../../lib/db/client.js';
import { deleteConsumerCheckpoint, handOverCheckpoint, resetConsumerCheckpoint } from '../../../lib/events/checkpoints.js';
import { ConsumerEventFailed, consumeBatch } from '../../../lib/events/consumer.js';
import { assertResumable } from '../../../lib/events/retention.js';
import { activateMetricGeneration, beginMetricRebuild, deleteMetricGeneration } from '../db/metrics-projection.js';
import { PROGRAM_METRICS_CONSUMER, programMetricsRebuildConsumer } from '../consumers/program-metrics.js';

export interface RebuildReport {
  generation: number;
  retired: number;
  events: number;
  handedOverAt: number;
}

/**
 * Rebuilds the program-metric projections from cursor 0 without taking them offline: the log is replayed into a new
 * generation while reads (and the live consumer) keep using the active one; then one transaction makes the new
 * generation active and moves the live consumer's checkpoint to where the rebuild stopped, so the live consumer goes
 * on from there into the new generation (events it had already applied to the old one are applied to the new one
 * once). The retired generation is deleted afterwards. Run one rebuild at a time.
 *
 * Refused (EVENTS_PRUNED) once the log's retention policy has pruned events: a rebuild would silently lose the
 * history that only the current generation still counts.
 */
export async function rebuildProgramMetrics(db: Db, onProgress: (events: number) => void = () => {}): Promise<RebuildReport> {
  await assertResumable(db, 0);
  const generation = await beginMetricRebuild(db);
  const builder = programMetricsRebuildConsumer(generation);
  await resetConsumerCheckpoint(db, builder.name);
  let events = 0;
  for (;;) {
    let consumed: number;
    try {
      consumed = await consumeBatch(db, builder);
    } catch (error) {
      // Dead-lettered (see the rebuild consumer's retry policy): the rebuild goes on past it.
      if (error instanceof ConsumerEventFailed) continue;
      throw error;
    }
    if (consumed === 0) break;
    events += consumed;
    onProgress(events);
  }
  const { retired, handedOverAt } = await db.transaction(async (tx) => {
    const cursor = await handOverCheckpoint(tx, builder.name, PROGRAM_METRICS_CONSUMER);
    await deleteConsumerCheckpoint(tx, builder.name);
    return { handedOverAt: cursor, retired: await activateMetricGeneration(tx, generation) };
  });
  await deleteMetricGeneration(db, retired);
  return { generation, retired, events, handedOverAt };
}
