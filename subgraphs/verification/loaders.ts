import DataLoader from 'dataloader';
import type { Viewer } from '../../lib/auth/viewer.js';
import type { VerificationStore } from './db/store.js';
import { createVerificationsService, type VerificationsServiceDeps, type WalletCredential } from './services/verifications.js';

/** Per-request loaders for everything this subgraph contributes to other subgraphs' entities. */
export function createVerificationLoaders(store: VerificationStore, verification: VerificationsServiceDeps, viewer: Viewer, pageView = false) {
  const verifications = createVerificationsService(verification);
  return {
    /** One verdict query per request however many credentials an employer's query lists; a page view's re-checks are not counted. */
    verdictByCredential: new DataLoader(
      (credentials: ReadonlyArray<WalletCredential>) => verifications.verdictsFor(viewer, credentials, !pageView),
      { cacheKeyFn: (credential) => credential.id },
    ),
  };
}

export type VerificationLoaders = ReturnType<typeof createVerificationLoaders>;
