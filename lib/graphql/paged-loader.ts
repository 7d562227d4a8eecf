import DataLoader from 'dataloader';
import type { Page, PageRequest } from './pagination.js';

/** One parent's page of children: the same parent asked for different pages is two different keys. */
export interface ParentPageKey {
  parentId: string;
  request: PageRequest;
}

/** `size` follows from `limit`, so these two fields say everything about which rows a request returns. */
const requestKey = (request: PageRequest) => `${request.afterId ?? ''}|${request.limit}`;
const parentPageKey = (key: ParentPageKey) => `${key.parentId.toLowerCase()}|${requestKey(key.request)}`;

/**
 * A list-by-parent DataLoader for Relay connections (e.g. `Issuer.achievements`). Different `first`/`after`
 * arguments cannot share one windowed query, so it makes one `loadPages` call per distinct page request;
 * the gateway usually asks every parent for the same page, so a whole `_entities` batch costs one call.
 * `loadPages` returns pages keyed by lowercased parent id; a parent it does not return gets an empty page.
 */
export function createPagedByParentLoader<Row>(
  loadPages: (parentIds: string[], request: PageRequest) => Promise<Map<string, Page<Row>>>,
): DataLoader<ParentPageKey, Page<Row>, string> {
  return new DataLoader<ParentPageKey, Page<Row>, string>(
    async (keys) => {
      const groups = new Map<string, { request: PageRequest; parentIds: string[] }>();
      for (const { parentId, request } of keys) {
        const group = groups.get(requestKey(request)) ?? { request, parentIds: [] };
        group.parentIds.push(parentId);
        groups.set(requestKey(request), group);
      }
      const pages = new Map<string, Page<Row>>();
      await Promise.all(
        [...groups.values()].map(async ({ request, parentIds }) => {
          for (const [parentId, page] of await loadPages(parentIds, request)) {
            pages.set(parentPageKey({ parentId, request }), page);
          }
        }),
      );
      return keys.map((key) => pages.get(parentPageKey(key)) ?? { rows: [], totalCount: 0 });
    },
    { cacheKeyFn: parentPageKey },
  );
}
