import { createByIdLoader } from '../../lib/graphql/loaders.js';
import type { VerificationStore } from './db/store.js';

/** Per-request loaders for everything this subgraph contributes to other subgraphs' entities. */
export function createVerificationLoaders(store: VerificationStore) {
  return {
    metricsByIssuerId: createByIdLoader((issuerIds) => store.metricsByIssuerIds(issuerIds), (row) => row.issuerId),
  };
}

export type VerificationLoaders = ReturnType<typeof createVerificationLoaders>;
