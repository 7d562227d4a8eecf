import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import { achievementArchivedEvent } from '../../../lib/events/contracts/achievement-archived.js';
import { achievementPublishedEvent } from '../../../lib/events/contracts/achievement-published.js';
import type { IssuanceService } from '../services/issuance.js';

export const ACHIEVEMENT_PROJECTION_CONSUMER = 'issuers.achievement-versions';

/**
 * Keeps `issuers.achievement_versions` in step with AchievementPublished and AchievementArchived events: issuance reads achievements
 * from here, never from the achievements subgraph's tables.
 */
export function achievementProjectionConsumer(
  issuance: Pick<IssuanceService, 'recordAchievementVersion' | 'archiveAchievement'>,
  log: Logger,
): ConsumerOptions {
  return {
    name: ACHIEVEMENT_PROJECTION_CONSUMER,
    types: [EventType.ACHIEVEMENT_PUBLISHED, EventType.ACHIEVEMENT_ARCHIVED],
    async handle(tx, event) {
      if (event.type === EventType.ACHIEVEMENT_ARCHIVED) {
        const archived = achievementArchivedEvent.read(event.payload);
        if ('problem' in archived) log.error({ cursor: event.cursor, problem: archived.problem }, 'skipping malformed AchievementArchived event');
        else await issuance.archiveAchievement(tx, archived.payload.achievementId, event.occurredAt);
        return;
      }
      const read = achievementPublishedEvent.read(event.payload);
      if ('problem' in read) {
        // A malformed event fails the same way on every retry; stopping here would block every later version.
        log.error({ cursor: event.cursor, problem: read.problem }, 'skipping malformed AchievementPublished event');
        return;
      }
      await issuance.recordAchievementVersion(tx, read.payload, event.occurredAt);
    },
  };
}
