import DataLoader from 'dataloader';
import type { Page, PageRequest } from '../../lib/graphql/pagination.js';
import type { RecipientStore } from './db/store.js';
import type { CredentialRow, RecipientIdentityRow, RecipientRow } from './db/tables.js';

/** One recipient's wallet page: the same page request for many recipients is answered by one query. */
export interface WalletPageKey {
  recipientId: string;
  request: PageRequest;
}

const pageRequestKey = (request: PageRequest) => `${request.afterId ?? ''}:${request.size}:${request.limit}`;
const walletPageKey = (key: WalletPageKey) => `${key.recipientId}|${pageRequestKey(key.request)}`;
const emptyPage = (): Page<CredentialRow> => ({ rows: [], totalCount: 0 });

function byKey<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T> {
  return new Map(rows.map((row) => [keyOf(row), row]));
}

function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) group.push(row);
    else groups.set(keyOf(row), [row]);
  }
  return groups;
}

/** Per-request loaders: every entity reference and list-by-parent lookup in this subgraph goes through one. */
export function createRecipientLoaders(store: RecipientStore) {
  return {
    recipientById: new DataLoader<string, RecipientRow | null>(async (ids) => {
      const found = byKey(await store.findRecipientsByIds(ids), (row) => row.id);
      return ids.map((id) => found.get(id) ?? null);
    }),

    identitiesByRecipientId: new DataLoader<string, RecipientIdentityRow[]>(async (recipientIds) => {
      const grouped = groupBy(await store.findIdentitiesByRecipientIds(recipientIds), (row) => row.recipientId);
      return recipientIds.map((id) => grouped.get(id) ?? []);
    }),

    credentialById: new DataLoader<string, CredentialRow | null>(async (ids) => {
      const found = byKey(await store.findCredentialsByIds(ids), (row) => row.id);
      return ids.map((id) => found.get(id) ?? null);
    }),

    credentialsByRecipientId: new DataLoader<WalletPageKey, Page<CredentialRow>, string>(
      async (keys) => {
        // Different `first`/`after` arguments cannot share a window query, so batch per distinct page request.
        const requests = groupBy(keys, (key) => pageRequestKey(key.request));
        const pages = new Map<string, Page<CredentialRow>>();
        for (const group of requests.values()) {
          const request = group[0]!.request;
          const byRecipient = await store.credentialPagesByRecipientIds(
            group.map((key) => key.recipientId),
            request,
          );
          for (const [recipientId, page] of byRecipient) pages.set(walletPageKey({ recipientId, request }), page);
        }
        return keys.map((key) => pages.get(walletPageKey(key)) ?? emptyPage());
      },
      { cacheKeyFn: walletPageKey },
    ),
  };
}

export type RecipientLoaders = ReturnType<typeof createRecipientLoaders>;
