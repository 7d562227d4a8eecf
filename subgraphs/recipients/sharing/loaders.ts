import { createGroupedLoader } from '../../../lib/graphql/loaders.js';
import type { ShareStore } from '../db/share-store.js';

/** Per-request loaders for a recipient's own shares and consents. */
export function createSharingLoaders(shares: ShareStore) {
  return {
    sharesByRecipientId: createGroupedLoader((recipientIds) => shares.findSharesByRecipientIds(recipientIds), (row) => row.recipientId),
    consentsByRecipientId: createGroupedLoader((recipientIds) => shares.findActiveConsentsByRecipientIds(recipientIds), (row) => row.recipientId),
  };
}

export type SharingLoaders = ReturnType<typeof createSharingLoaders>;
