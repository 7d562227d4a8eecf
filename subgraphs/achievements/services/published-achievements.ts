import type { Db } from '../../../lib/db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { achievementUri, toObAchievement, type ObAchievement } from '../../../lib/ob/achievement.js';
import { publishedDefinition } from '../db/definition-rows.js';
import type { AchievementStore } from '../db/store.js';

/**
 * The public face of achievements: a version that was ever published, as the OB 3.0 Achievement a credential embeds,
 * at the URL that is its id. A draft that never was published does not exist for the public (404, like an unknown id).
 */
export function createPublishedAchievements({ db, store, publicBaseUrl }: { db: Db; store: AchievementStore; publicBaseUrl: string }) {
  return {
    async obAchievement(achievementId: string, version: number): Promise<ObAchievement> {
      const found = isUuid(achievementId) && Number.isSafeInteger(version) && version > 0 ? await store.readVersion(db, { achievementId, version }) : null;
      if (!found || found.row.publishedAt === null) throw new NotFoundError('Achievement', `${achievementId} version ${version}`);
      return toObAchievement(publishedDefinition(found.row, found.children), { id: achievementUri(publicBaseUrl, achievementId, version) });
    },
  };
}

export type PublishedAchievements = ReturnType<typeof createPublishedAchievements>;
