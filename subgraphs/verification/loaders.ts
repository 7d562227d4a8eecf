import DataLoader from 'dataloader';
import type { IssuerMetricsRow } from './db/tables.js';
import type { VerificationStore } from './db/store.js';

/** Per-request loaders for everything this subgraph contributes to other subgraphs' entities. */
export function createVerificationLoaders(store: VerificationStore) {
  return {
    metricsByIssuerId: new DataLoader<string, IssuerMetricsRow | null>(async (issuerIds) => {
      const byId = new Map((await store.metricsByIssuerIds(issuerIds)).map((row) => [row.issuerId, row]));
      return issuerIds.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type VerificationLoaders = ReturnType<typeof createVerificationLoaders>;
