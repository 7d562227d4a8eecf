import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { pathwayAwardStandingChangedEvent } from '../../../lib/events/contracts/pathway-award-standing-changed.js';
import { pathwayCompletedEvent } from '../../../lib/events/contracts/pathway-completed.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { PathwayAwardsService } from '../services/pathway-awards.js';

export const PATHWAY_AWARDS_CONSUMER = 'issuers.pathway-awards';

/**
 * Records a request for each PathwayCompleted, and the standing each PathwayAwardStandingChanged decides, in the
 * consumer's transaction; the award worker issues (and suspends or reinstates) them
 * (services/pathway-awards.ts) outside it, because signing must not hold the checkpoint's lock.
 */
export function pathwayAwardsConsumer(awards: Pick<PathwayAwardsService, 'request' | 'recordStanding'>, log: Logger): ConsumerOptions {
  return {
    name: PATHWAY_AWARDS_CONSUMER,
    types: [EventType.PATHWAY_COMPLETED, EventType.PATHWAY_AWARD_STANDING_CHANGED],
    async handle(tx, event) {
      if (event.type === EventType.PATHWAY_AWARD_STANDING_CHANGED) {
        const standing = pathwayAwardStandingChangedEvent.read(event.payload);
        if ('problem' in standing) log.error({ cursor: event.cursor, problem: standing.problem }, 'skipping malformed PathwayAwardStandingChanged event');
        else await awards.recordStanding(tx, standing.payload);
        return;
      }
      const read = pathwayCompletedEvent.read(event.payload);
      if ('problem' in read) {
        log.error({ cursor: event.cursor, problem: read.problem }, 'skipping malformed PathwayCompleted event');
        return;
      }
      await awards.request(tx, read.payload);
    },
  };
}
