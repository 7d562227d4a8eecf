import type { Db } from '../../lib/db/client.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { RecipientStore } from './db/store.js';
import type { IdentityLoaders } from './identity/loaders.js';
import type { IdentityService } from './identity/service.js';
import type { WalletStore } from './db/wallet-store.js';
import type { RecipientLoaders } from './loaders.js';
import type { WalletImporter } from './wallet-import.js';
import type { WalletLoaders } from './wallet-loaders.js';
import type { SharingLoaders } from './sharing/loaders.js';
import type { SharingService } from './sharing/service.js';

export interface RecipientsContext extends RequestContext {
  db: Db;
  store: RecipientStore;
  /** Identities, e-mail proof, sign-in, tokens and merging. */
  identity: IdentityService;
  identityLoaders: IdentityLoaders;
  loaders: RecipientLoaders & WalletLoaders & SharingLoaders;
  wallet: WalletStore;
  importCredential: WalletImporter;
  /** Shares, consents and the employer's views. */
  sharing: SharingService;
  /** The hub's public address, for share links and credential URLs. */
  publicBaseUrl: string;
}
