import express, { Router } from 'express';
import { assertAuthenticated, assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import { AppError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { issuerOf, type IssuanceDeps } from '../issuance/issue-credential.js';
import { revokeCredential } from '../issuance/revoke-credential.js';

/** The issuer a VC-API caller signs for: its own as an issuer member, or the one it names as an operator. */
async function issuerForCaller(viewer: Viewer, issuance: IssuanceDeps, named: unknown) {
  assertAuthenticated(viewer);
  const issuerId = viewer.kind === 'ISSUER' ? viewer.issuerId : typeof named === 'string' && isUuid(named) ? named : null;
  if (!issuerId) throw new AppError('BAD_USER_INPUT', 'options.issuerId is required for operator keys', { field: 'options.issuerId' });
  assertIssuerAccess(viewer, issuerId, 'ISSUER');
  return issuerOf(issuance, issuerId);
}

/**
 * W3C VC-API issuer endpoints. `POST /credentials/issue` signs a caller-built credential with the issuer's key
 * (a signing service: no achievement rules apply; use GraphQL `issueCredential` for Open Badges issuance with
 * evidence checks, status and wallet delivery). `POST /credentials/status` revokes a credential this hub issued.
 */
export function createVcApiRoutes({ issuance, maxBodyBytes }: { issuance: IssuanceDeps; maxBodyBytes: number }): Router {
  const router = Router();
  router.use('/credentials', express.json({ limit: maxBodyBytes }));

  router.post('/credentials/issue', async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const { credential, options } = (req.body ?? {}) as { credential?: unknown; options?: { issuerId?: unknown } };
    if (!credential || typeof credential !== 'object' || Array.isArray(credential)) {
      throw new AppError('BAD_USER_INPUT', 'body.credential must be a credential object', { field: 'credential' });
    }
    const issuer = await issuerForCaller(viewer, issuance, options?.issuerId);
    const signer = await issuance.keyRing.signerFor(issuer);
    const claimed = (credential as { issuer?: unknown }).issuer;
    const claimedId = typeof claimed === 'string' ? claimed : (claimed as { id?: unknown } | undefined)?.id;
    if (claimedId !== undefined && claimedId !== signer.did) {
      throw new AppError('BAD_USER_INPUT', `credential.issuer must be ${signer.did}, the DID this key signs for`, { field: 'credential.issuer' });
    }
    if ('proof' in credential) throw new AppError('BAD_USER_INPUT', 'credential must not have a proof yet', { field: 'credential.proof' });
    const unsigned = { ...(credential as Record<string, unknown>), issuer: claimed ?? signer.did };
    let verifiableCredential;
    try {
      verifiableCredential = await signCredential({ credential: unsigned, signer, documentLoader: issuance.documentLoader });
    } catch (error) {
      // JSON-LD safe mode: an undefined term or a malformed date is the caller's to fix, named in the message.
      throw new AppError('BAD_USER_INPUT', `the credential cannot be signed: ${(error as Error).message}`, { field: 'credential' });
    }
    res.status(201).type('application/json').json({ verifiableCredential });
  });

  router.post('/credentials/status', async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const { credentialId, credentialStatus } = (req.body ?? {}) as { credentialId?: unknown; credentialStatus?: { status?: unknown }[] };
    if (typeof credentialId !== 'string') throw new AppError('BAD_USER_INPUT', 'credentialId is required', { field: 'credentialId' });
    const statuses = Array.isArray(credentialStatus) ? credentialStatus.map((entry) => entry?.status) : [];
    if (statuses.length !== 1 || statuses[0] !== 'revoked') {
      throw new AppError('BAD_USER_INPUT', 'credentialStatus must be [{ "type": "BitstringStatusListEntry", "status": "revoked" }]', {
        field: 'credentialStatus',
      });
    }
    const id = credentialId.replace(/^urn:uuid:/, '');
    await revokeCredential(issuance, viewer, { credentialId: id, reason: 'Revoked through the VC-API' });
    res.status(200).json({ credentialId, status: 'revoked' });
  });

  return router;
}
