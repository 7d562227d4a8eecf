import DataLoader from 'dataloader';
import { createPagedByParentLoader } from '../../lib/graphql/paged-loader.js';
import type { AchievementRow } from './db/tables.js';
import type { AchievementStore } from './db/store.js';

/** Per-request loaders: every entity reference and list-by-parent lookup in this subgraph goes through one. */
export function createAchievementLoaders(store: AchievementStore) {
  return {
    achievementById: new DataLoader<string, AchievementRow | null>(async (ids) => {
      const byId = new Map((await store.findByIds(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),

    achievementsByIssuerId: createPagedByParentLoader((issuerIds, request) => store.pagesByIssuer(issuerIds, request)),
  };
}

export type AchievementLoaders = ReturnType<typeof createAchievementLoaders>;
