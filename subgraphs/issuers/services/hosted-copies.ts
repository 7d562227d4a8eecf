import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import type { HostedVisibilityStore } from '../db/hosted-visibility-store.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuedCredentialRow } from '../db/tables.js';
import { canReadHostedCopy } from '../domain/hosted-copy-access.js';

/**
 * The credentials this hub hosts at `/credentials/{id}` (and baked into their badges), served as their holders
 * chose: a copy the viewer may not read is NOT_FOUND (404), exactly like an unknown id, so a refusal does not
 * confirm that the credential exists. Status lists are not governed here: verifiers holding a copy keep checking it.
 */
export function createHostedCopiesService({ credentials, visibility }: { credentials: IssuanceStore; visibility: HostedVisibilityStore }) {
  return {
    async readable(viewer: Viewer, id: string): Promise<IssuedCredentialRow> {
      const [credential, holder] = await Promise.all([credentials.findCredential(id), visibility.find(id)]);
      if (!credential || !canReadHostedCopy(viewer, { issuerId: credential.issuerId, holder })) throw new NotFoundError('Credential', id);
      return credential;
    },

    /** The wallet's view, as its events tell it (consumers/hosted-visibility.ts), in the consumer's transaction. */
    recordDeliveries: (tx: Db, deliveries: ReadonlyArray<{ credentialId: string; recipientId: string }>) => visibility.recordDeliveries(tx, deliveries),
    recordVisibility: (tx: Db, change: { credentialId: string; recipientId: string; visibility: 'PRIVATE' | 'SHARED_ONLY' | 'PUBLIC' }) =>
      visibility.recordVisibility(tx, change),
    recordMerge: (tx: Db, mergedRecipientId: string, survivorId: string) => visibility.moveHolder(tx, mergedRecipientId, survivorId),
  };
}

export type HostedCopiesService = ReturnType<typeof createHostedCopiesService>;
