import type { RequestContext } from '../../lib/server/types.js';
import type { RecipientStore } from './db/store.js';
import type { WalletStore } from './db/wallet-store.js';
import type { RecipientLoaders } from './loaders.js';
import type { IdentityService } from './services/identity.js';
import type { PortfoliosService } from './services/portfolios.js';
import type { SharingService } from './services/sharing.js';
import type { WalletService } from './services/wallet.js';

export interface RecipientsContext extends RequestContext {
  store: RecipientStore;
  /** Reads of a portfolio's credentials in their owner's order. */
  walletStore: WalletStore;
  loaders: RecipientLoaders;
  /** Recipient records, identities, e-mail proof, sign-in, tokens and merging. */
  identity: IdentityService;
  /** Imports and visibility of wallet credentials. */
  wallet: WalletService;
  portfolios: PortfoliosService;
  /** Shares, consents and the employer's views. */
  sharing: SharingService;
  /** The hub's public address, for share links and credential URLs. */
  publicBaseUrl: string;
}
