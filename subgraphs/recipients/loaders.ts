import { createByIdLoader, createGroupedLoader } from '../../lib/graphql/loaders.js';
import { createPagedByParentLoader } from '../../lib/graphql/paged-loader.js';
import type { RecipientStore } from './db/store.js';

/** Per-request loaders: every entity reference and list-by-parent lookup in this subgraph goes through one. */
export function createRecipientLoaders(store: RecipientStore) {
  return {
    recipientById: createByIdLoader((ids) => store.findRecipientsByIds(ids), (row) => row.id),
    identitiesByRecipientId: createGroupedLoader((recipientIds) => store.findIdentitiesByRecipientIds(recipientIds), (row) => row.recipientId),
    credentialById: createByIdLoader((ids) => store.findCredentialsByIds(ids), (row) => row.id),

    credentialsByRecipientId: createPagedByParentLoader((recipientIds, request) => store.credentialPagesByRecipientIds(recipientIds, request)),
  };
}

export type RecipientLoaders = ReturnType<typeof createRecipientLoaders>;
