import DataLoader from 'dataloader';
import type { Page, PageRequest } from '../../lib/graphql/pagination.js';
import type { AchievementRow } from './db/tables.js';
import type { AchievementStore } from './db/store.js';

/** One issuer's page of achievements: the same issuer asked for different pages is two different keys. */
export interface IssuerAchievementsKey {
  issuerId: string;
  request: PageRequest;
}

/** `size` follows from `limit`, so these two fields say everything about which rows a request returns. */
const requestKey = (request: PageRequest) => `${request.afterId ?? ''}|${request.limit}`;
const issuerAchievementsKey = (key: IssuerAchievementsKey) => `${key.issuerId}|${requestKey(key.request)}`;

/** Per-request loaders: every entity reference and list-by-parent lookup in this subgraph goes through one. */
export function createAchievementLoaders(store: AchievementStore) {
  return {
    achievementById: new DataLoader<string, AchievementRow | null>(async (ids) => {
      const byId = new Map((await store.findByIds(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),

    // One store call per distinct page request: the gateway usually asks every issuer for the same page,
    // so a whole `_entities` batch of issuers costs one call.
    achievementsByIssuerId: new DataLoader<IssuerAchievementsKey, Page<AchievementRow> | null, string>(
      async (keys) => {
        const groups = new Map<string, { request: PageRequest; issuerIds: string[] }>();
        for (const { issuerId, request } of keys) {
          const group = groups.get(requestKey(request)) ?? { request, issuerIds: [] };
          group.issuerIds.push(issuerId);
          groups.set(requestKey(request), group);
        }
        const pages = new Map<string, Page<AchievementRow>>();
        await Promise.all(
          [...groups.values()].map(async ({ request, issuerIds }) => {
            for (const [issuerId, page] of await store.pagesByIssuer(issuerIds, request)) {
              pages.set(issuerAchievementsKey({ issuerId, request }), page);
            }
          }),
        );
        return keys.map((key) => pages.get(issuerAchievementsKey(key)) ?? null);
      },
      { cacheKeyFn: issuerAchievementsKey },
    ),
  };
}

export type AchievementLoaders = ReturnType<typeof createAchievementLoaders>;
