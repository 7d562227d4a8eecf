import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { pathwayCompletedEvent } from '../../../lib/events/contracts/pathway-completed.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { PathwayAwardsService } from '../services/pathway-awards.js';

export const PATHWAY_AWARDS_CONSUMER = 'issuers.pathway-awards';

/**
 * Records a request for each PathwayCompleted, in the consumer's transaction; the award worker issues it
 * (services/pathway-awards.ts) outside it, because signing must not hold the checkpoint's lock.
 */
export function pathwayAwardsConsumer(awards: Pick<PathwayAwardsService, 'request'>, log: Logger): ConsumerOptions {
  return {
    name: PATHWAY_AWARDS_CONSUMER,
    types: [EventType.PATHWAY_COMPLETED],
    async handle(tx, event) {
      const read = pathwayCompletedEvent.read(event.payload);
      if ('problem' in read) {
        log.error({ cursor: event.cursor, problem: read.problem }, 'skipping malformed PathwayCompleted event');
        return;
      }
      await awards.request(tx, read.payload);
    },
  };
}
