import type { Db } from '../../lib/db/client.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import { achievementPublishedPayload } from '../../lib/events/contracts/achievement-published.js';
import type { AchievementDefinition } from '../../lib/ob/achievement.js';

/** A complete achievement definition for tests: a competency that needs one ASSESSMENT. */
export function achievementDefinition(overrides: Partial<AchievementDefinition> = {}): AchievementDefinition {
  return {
    version: 1,
    name: 'SQL Query Fundamentals',
    description: 'Writes correct SELECT queries with joins and grouping.',
    criteria: { narrative: 'Pass a proctored assessment of 20 queries.', url: null },
    image: null,
    achievementType: 'Competency',
    alignments: [],
    skills: [],
    tags: [],
    language: null,
    creditsAvailable: null,
    estimatedLearningHours: null,
    validity: null,
    resultDescriptions: [],
    evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }],
    competencyBased: true,
    ...overrides,
  };
}

/**
 * Appends the AchievementPublished event the achievements subgraph would write, for tests of subgraphs that
 * consume it (they must never reach into the achievements subgraph). Returns the achievement id.
 */
export async function publishAchievementEvent(
  db: Db,
  options: { issuerId: string; publicBaseUrl: string; definition?: AchievementDefinition; achievementId?: string },
): Promise<string> {
  const achievementId = options.achievementId ?? newId();
  const payload = achievementPublishedPayload({
    achievementId,
    issuerId: options.issuerId,
    definition: options.definition ?? achievementDefinition(),
    publicBaseUrl: options.publicBaseUrl,
  });
  await db.transaction((tx) => appendEvents(tx, [{ type: EventType.ACHIEVEMENT_PUBLISHED, issuerId: options.issuerId, payload: { ...payload } }]));
  return achievementId;
}
