import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { Db } from '../../../lib/db/client.js';
import { newId } from '../../../lib/ids.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import { optionalText } from '../../../lib/validation.js';
import type { SignedCredentialStore } from '../db/signed-credential-store.js';
import type { IssuerRow, SignedCredentialRow } from '../db/tables.js';
import type { StatusAction } from '../domain/status-change.js';
import { changeCredentialStatus } from './credential-status.js';
import type { StatusDetails } from '../domain/vc-issue-options.js';
import type { IssuerSigner } from './keys.js';
import type { StatusListsService } from './status-lists.js';

export interface SignedCredentialsDeps {
  db: Db;
  store: SignedCredentialStore;
  statusLists: StatusListsService;
  documentLoader: DocumentLoader;
}

/**
 * Caller-built credentials the VC-API signs with a Bitstring status entry from the issuer's own lists (the same lists
 * and allocation as GraphQL issuance), recorded so `POST /credentials/status` can revoke or suspend them later.
 */
export function createSignedCredentialsService({ db, store, statusLists, documentLoader }: SignedCredentialsDeps) {
  return {
    /**
     * Signs the credential with a status entry of the purpose asked for (with the optional statusSize, statusMessage
     * and statusReference the caller gave). A credential without an `id` gets
     * `urn:uuid:…`: the status endpoint finds a credential by its id.
     */
    async signWithStatus(
      issuer: IssuerRow,
      signer: IssuerSigner,
      credential: Record<string, unknown>,
      purpose: StatusPurpose,
      details: StatusDetails = {},
    ): Promise<Record<string, unknown>> {
      const id = newId();
      const credentialUri = typeof credential.id === 'string' ? credential.id : `urn:uuid:${id}`;
      const [status] = await statusLists.allocate(db, issuer.id, purpose, 1);
      const unsigned = { ...credential, id: credentialUri, credentialStatus: { ...status!.entry, ...details } };
      const document = await signCredential({ credential: unsigned, signer, documentLoader });
      await db.transaction((tx) =>
        store.insert(tx, { id, issuerId: issuer.id, credentialUri, statusPurpose: purpose, statusListId: status!.listId, statusListIndex: status!.index, document }),
      );
      return document;
    },

    /** The VC-API's signed credential of the viewer's issuer with this id, or null when it signed none (another ledger may have it). */
    async find(viewer: Viewer, credentialUri: string): Promise<SignedCredentialRow | null> {
      if (viewer.kind !== 'ISSUER') return null;
      return store.findByUri(viewer.issuerId, credentialUri);
    },

    /** Sets or clears the credential's bit, records the change and its event in one transaction (the ledger's rules). */
    async changeStatus(viewer: Viewer, existing: SignedCredentialRow, action: StatusAction, reason: string | null): Promise<SignedCredentialRow> {
      assertIssuerAccess(viewer, existing.issuerId, 'ISSUER');
      return changeCredentialStatus({ db, statusLists, records: store }, existing, action, optionalText(reason, 'reason', 1_000));
    },
  };
}

export type SignedCredentialsService = ReturnType<typeof createSignedCredentialsService>;
