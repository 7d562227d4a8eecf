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

    portfolioById: createByIdLoader((ids) => store.findPortfoliosByIds(ids), (row) => row.id),
    portfoliosByRecipientId: createPagedByParentLoader((recipientIds, request) => store.portfolioPagesByRecipientIds(recipientIds, request)),

    sharesByRecipientId: createGroupedLoader((recipientIds) => store.findSharesByRecipientIds(recipientIds), (row) => row.recipientId),
    consentsByRecipientId: createGroupedLoader((recipientIds) => store.findActiveConsentsByRecipientIds(recipientIds), (row) => row.recipientId),

    pathwayCompletionsByRecipientId: createGroupedLoader((recipientIds) => store.findPathwayCompletionsByRecipientIds(recipientIds), (row) => row.recipientId),

    accessTokensByRecipientId: createGroupedLoader((recipientIds) => store.liveTokensByRecipientIds(recipientIds), (row) => row.recipientId!),
  };
}

export type RecipientLoaders = ReturnType<typeof createRecipientLoaders>;
