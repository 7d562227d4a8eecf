import DataLoader from 'dataloader';
import { createPagedByParentLoader } from '../../lib/graphql/paged-loader.js';
import type { RecipientStore } from './db/store.js';
import type { CredentialRow, RecipientIdentityRow, RecipientRow } from './db/tables.js';

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

    credentialsByRecipientId: createPagedByParentLoader((recipientIds, request) => store.credentialPagesByRecipientIds(recipientIds, request)),
  };
}

export type RecipientLoaders = ReturnType<typeof createRecipientLoaders>;
