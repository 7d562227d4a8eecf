import { liveTokensByRecipientIds } from '../../../lib/auth/recipient-tokens.js';
import type { Db } from '../../../lib/db/client.js';
import { createGroupedLoader } from '../../../lib/graphql/loaders.js';

/** Per-request loaders for sign-in data (kept apart from the wallet's loaders). */
export function createIdentityLoaders(db: Db) {
  return {
    accessTokensByRecipientId: createGroupedLoader((recipientIds) => liveTokensByRecipientIds(db, recipientIds), (row) => row.recipientId!),
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;
