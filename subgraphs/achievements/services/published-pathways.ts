import { NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { achievementUri } from '../../../lib/ob/achievement.js';
import type { PathwayStore } from '../db/pathway-store.js';
import type { AchievementStore } from '../db/store.js';
import { toCtdlPathway } from '../domain/pathway-ctdl.js';
import { achievementIdsOf } from '../domain/pathway-requirement.js';

/** The public face of pathways: a pathway ever published, as CTDL JSON-LD at its URL; drafts do not exist for the public. */
export function createPublishedPathways({ pathways, achievements, publicBaseUrl }: { pathways: PathwayStore; achievements: AchievementStore; publicBaseUrl: string }) {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    async ctdl(pathwayId: string): Promise<Record<string, unknown>> {
      const [pathway] = isUuid(pathwayId) ? await pathways.findCurrentByIds([pathwayId]) : [];
      if (!pathway || pathway.publishedAt === null) throw new NotFoundError('Pathway', pathwayId);
      const named = await achievements.findCurrentByIds([...achievementIdsOf(pathway.requirement), pathway.awardAchievementId]);
      const byId = new Map(named.filter((row) => row.publishedAt !== null).map((row) => [row.id, { name: row.name, url: achievementUri(base, row.id, row.version) }]));
      return toCtdlPathway({
        url: `${base}/pathways/${pathway.id}`,
        name: pathway.name,
        description: pathway.description,
        issuerUrl: `${base}/issuers/${pathway.issuerId}`,
        language: 'en',
        requirement: pathway.requirement,
        award: byId.get(pathway.awardAchievementId) ?? { name: 'Award', url: `${base}/achievements/${pathway.awardAchievementId}` },
        achievements: byId,
      });
    },
  };
}

export type PublishedPathways = ReturnType<typeof createPublishedPathways>;
