import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { pathwayCompletedEvent } from '../../../lib/events/contracts/pathway-completed.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { PathwayCompletionStore } from '../db/pathway-completion-store.js';

export const PATHWAY_COMPLETIONS_CONSUMER = 'recipients.pathway-completions';

/**
 * Projects the pathways recipients completed (PathwayCompleted, the pathway's own award) into this subgraph, for the
 * stacked-skills view; a projection of its own table, written in the consumer's transaction.
 */
export function pathwayCompletionsConsumer(store: PathwayCompletionStore, log: Logger): ConsumerOptions {
  return {
    name: PATHWAY_COMPLETIONS_CONSUMER,
    types: [EventType.PATHWAY_COMPLETED, EventType.RECIPIENT_MERGED],
    handle: async (tx, event) => {
      if (event.type === EventType.RECIPIENT_MERGED) {
        const read = recipientMergedEvent.read(event.payload);
        if ('problem' in read) return void log.error({ cursor: event.cursor, problem: read.problem }, 'skipping malformed RecipientMerged event');
        return store.repoint(tx, read.payload.mergedRecipientId, read.payload.survivorId);
      }
      const read = pathwayCompletedEvent.read(event.payload);
      // A malformed event fails the same way on every retry; stopping here would block every later one.
      if ('problem' in read) return void log.error({ cursor: event.cursor, problem: read.problem }, 'skipping malformed PathwayCompleted event');
      const { recipientId, pathwayId, version, pathwayName, achievementId, milestoneNodeId, credentialIds, completedAt } = read.payload;
      // A milestone is not the pathway; a version 1 event does not name the award, so nothing in a wallet can be matched to it.
      if (milestoneNodeId || !achievementId || !pathwayName) return;
      await store.record(tx, { recipientId, pathwayId, version, pathwayName, awardAchievementId: achievementId, memberCredentialIds: credentialIds, completedAt: new Date(completedAt) });
    },
  };
}
