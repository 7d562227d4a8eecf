import { createByIdLoader } from '../../lib/graphql/loaders.js';
import { createPagedByParentLoader } from '../../lib/graphql/paged-loader.js';
import type { WalletStore } from './db/wallet-store.js';

/** Per-request loaders for portfolios, beside the recipient loaders (loaders.ts). */
export function createWalletLoaders(wallet: WalletStore) {
  return {
    portfolioById: createByIdLoader((ids) => wallet.findPortfoliosByIds(ids), (row) => row.id),
    portfoliosByRecipientId: createPagedByParentLoader((recipientIds, request) => wallet.portfolioPagesByRecipientIds(recipientIds, request)),
  };
}

export type WalletLoaders = ReturnType<typeof createWalletLoaders>;
