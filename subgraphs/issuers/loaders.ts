import DataLoader from 'dataloader';
import type { IssuerRow } from './db/tables.js';
import type { IssuerStore } from './db/store.js';

/** Per-request loaders: every entity reference and list-by-parent lookup in this subgraph goes through one. */
export function createIssuerLoaders(store: IssuerStore) {
  return {
    issuerById: new DataLoader<string, IssuerRow | null>(async (ids) => {
      const byId = new Map((await store.findByIds(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type IssuerLoaders = ReturnType<typeof createIssuerLoaders>;
