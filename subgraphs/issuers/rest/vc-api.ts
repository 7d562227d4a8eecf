import express, { Router } from 'express';
import { assertAuthenticated, assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import { AppError, isAppError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { knownDigests } from '../../../lib/crypto/related-resources.js';
import { decodeMultibase } from '../../../lib/crypto/multibase.js';
import { dataModelProblem } from '../domain/vc-data-model.js';
import { issueOptionsOf } from '../domain/vc-issue-options.js';
import type { SignedCredentialsService } from '../services/signed-credentials.js';
import type { StatusAction } from '../domain/status-change.js';
import type { IssuanceService } from '../services/issuance.js';
import type { KeysService } from '../services/keys.js';

/** The issuer a VC-API caller signs for: its own as an issuer member, or the one it names as an operator. */
async function issuerForCaller(viewer: Viewer, issuance: IssuanceService, named: unknown) {
  assertAuthenticated(viewer);
  const issuerId = viewer.kind === 'ISSUER' ? viewer.issuerId : typeof named === 'string' && isUuid(named) ? named : null;
  if (!issuerId) throw new AppError('BAD_USER_INPUT', 'options.issuerId is required for operator keys', { field: 'options.issuerId' });
  assertIssuerAccess(viewer, issuerId, 'ISSUER');
  return issuance.issuerOf(issuerId);
}

const STATUS_REQUEST_SHAPE =
  'give { "credentialStatus": { "type": "BitstringStatusListEntry", "statusPurpose": "revocation" | "suspension" }, "status": true | false } (or the older [{ "status": "revoked" }])';

/**
 * The change a `POST /credentials/status` body asks for. The current VC-API draft sends one `credentialStatus`
 * object naming the purpose and a boolean `status` (true sets the bit); older drafts sent an array with
 * `status: "revoked"`, which is still accepted. Un-revoking does not exist: revocation is permanent.
 */
function requestedStatusAction(credentialStatus: unknown, status: unknown): StatusAction {
  if (Array.isArray(credentialStatus)) {
    if (credentialStatus.length === 1 && (credentialStatus[0] as { status?: unknown } | null)?.status === 'revoked') return 'revoke';
    throw new AppError('BAD_USER_INPUT', `credentialStatus: ${STATUS_REQUEST_SHAPE}`, { field: 'credentialStatus' });
  }
  const purpose = (credentialStatus as { statusPurpose?: unknown } | null | undefined)?.statusPurpose;
  if (purpose !== 'revocation' && purpose !== 'suspension') {
    throw new AppError('BAD_USER_INPUT', `credentialStatus.statusPurpose: ${STATUS_REQUEST_SHAPE}`, { field: 'credentialStatus.statusPurpose' });
  }
  if (typeof status !== 'boolean') throw new AppError('BAD_USER_INPUT', `status must be true or false: ${STATUS_REQUEST_SHAPE}`, { field: 'status' });
  if (purpose === 'suspension') return status ? 'suspend' : 'reinstate';
  if (!status) throw new AppError('BAD_USER_INPUT', 'revocation is permanent: status false is only possible with statusPurpose "suspension"', { field: 'status' });
  return 'revoke';
}

const CHANGE: Record<StatusAction, { run: 'revokeCredential' | 'suspendCredential' | 'reinstateCredential'; reason: string }> = {
  revoke: { run: 'revokeCredential', reason: 'Revoked through the VC-API' },
  suspend: { run: 'suspendCredential', reason: 'Suspended through the VC-API' },
  reinstate: { run: 'reinstateCredential', reason: 'Reinstated through the VC-API' },
};

/**
 * W3C VC-API issuer endpoints. `POST /credentials/issue` signs a caller-built credential with the issuer's key once
 * it keeps the VCDM 2.0 rules an issuer must enforce (domain/vc-data-model.ts), with a Bitstring status entry from
 * the issuer's lists when `options.credentialStatus` asks for one
 * (a signing service: no achievement rules apply; use GraphQL `issueCredential` for
 * Open Badges issuance with evidence checks, a revocation or suspension status entry and wallet delivery).
 * `POST /credentials/status` revokes, suspends or reinstates a credential this hub issued.
 */
export function createVcApiRoutes({
  issuance,
  signedCredentials,
  keyRing,
  documentLoader,
  maxBodyBytes,
}: {
  issuance: IssuanceService;
  signedCredentials: SignedCredentialsService;
  keyRing: KeysService;
  documentLoader: DocumentLoader;
  maxBodyBytes: number;
}): Router {
  const router = Router();
  router.use('/credentials', express.json({ limit: maxBodyBytes }));

  router.post('/credentials/issue', async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const { credential, options = {} } = (req.body ?? {}) as { credential?: unknown; options?: unknown };
    if (!credential || typeof credential !== 'object' || Array.isArray(credential)) {
      throw new AppError('BAD_USER_INPUT', 'body.credential must be a credential object', { field: 'credential' });
    }
    if (!options || typeof options !== 'object' || Array.isArray(options)) throw new AppError('BAD_USER_INPUT', 'body.options must be an object', { field: 'options' });
    const asked = issueOptionsOf(options as Record<string, unknown>);
    const problem = dataModelProblem(credential as Record<string, unknown>, { knownDigests, decodeMultibase });
    if (problem) throw new AppError('BAD_USER_INPUT', problem, { field: 'credential' });
    const issuer = await issuerForCaller(viewer, issuance, asked.issuerId);
    const signer = await keyRing.signerFor(issuer);
    const claimed = (credential as { issuer?: unknown }).issuer;
    const claimedId = typeof claimed === 'string' ? claimed : (claimed as { id?: unknown } | undefined)?.id;
    if (claimedId !== undefined && claimedId !== signer.did) {
      throw new AppError('BAD_USER_INPUT', `credential.issuer must be ${signer.did}, the DID this key signs for`, { field: 'credential.issuer' });
    }
    if ('proof' in credential) throw new AppError('BAD_USER_INPUT', 'credential must not have a proof yet', { field: 'credential.proof' });
    const unsigned = { ...(credential as Record<string, unknown>), issuer: claimed ?? signer.did };
    let verifiableCredential;
    try {
      verifiableCredential = asked.statusPurpose
        ? await signedCredentials.signWithStatus(issuer, signer, unsigned, asked.statusPurpose, asked.statusDetails)
        : await signCredential({ credential: unsigned, signer, documentLoader });
    } catch (error) {
      if (isAppError(error)) throw error;
      // JSON-LD safe mode: an undefined term or a malformed date is the caller's to fix, named in the message.
      throw new AppError('BAD_USER_INPUT', `the credential cannot be signed: ${(error as Error).message}`, { field: 'credential' });
    }
    res.status(201).type('application/json').json({ verifiableCredential });
  });

  router.post('/credentials/status', async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const { credentialId, credentialStatus, status } = (req.body ?? {}) as { credentialId?: unknown; credentialStatus?: unknown; status?: unknown };
    if (typeof credentialId !== 'string') throw new AppError('BAD_USER_INPUT', 'credentialId is required', { field: 'credentialId' });
    const action = requestedStatusAction(credentialStatus, status);
    const change = CHANGE[action];
    // A credential the VC-API signed with a status entry is found by its own id; the others are in the issuance ledger.
    const signed = await signedCredentials.find(viewer, credentialId);
    if (signed) {
      const changed = await signedCredentials.changeStatus(viewer, signed, action, change.reason);
      res.status(200).json({ credentialId, status: changed.status.toLowerCase() });
      return;
    }
    const id = credentialId.replace(/^urn:uuid:/, '');
    const changed = await issuance[change.run](viewer, { credentialId: id, reason: change.reason });
    res.status(200).json({ credentialId, status: changed.status.toLowerCase() });
  });

  return router;
}
