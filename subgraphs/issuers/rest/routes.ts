import { Router } from 'express';
import { signCredentialJwt } from '../../../lib/crypto/jwt.js';
import { OB_CREDENTIAL_CONTEXTS } from '../../../lib/crypto/ob-constants.js';
import { bakePng, bakeSvg } from '../../../lib/badges/bake.js';
import { NotFoundError } from '../../../lib/errors.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { IssuerStore } from '../db/store.js';
import type { HostedCopiesService } from '../services/hosted-copies.js';
import type { IssuanceService } from '../services/issuance.js';
import type { KeysService } from '../services/keys.js';
import type { StatusListsService } from '../services/status-lists.js';
import type { BadgeImages } from '../services/badge-images.js';
import type { EuropassService } from '../services/europass.js';

const SVG_SAFETY_HEADERS = { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:", 'x-content-type-options': 'nosniff' };

/** Public standards endpoints of the issuers subgraph (the gateway forwards them from the hub's public origin). */
export function createIssuerRoutes({
  store,
  hostedCopies,
  keyRing,
  issuance,
  statusLists,
  badgeImages,
  europass,
  publicBaseUrl,
}: {
  store: IssuerStore;
  hostedCopies: HostedCopiesService;
  keyRing: KeysService;
  issuance: IssuanceService;
  statusLists: StatusListsService;
  badgeImages: BadgeImages;
  europass: EuropassService;
  publicBaseUrl: string;
}): Router {
  const router = Router();

  const issuerOr404 = (id: string) => issuance.issuerOf(id);
  // A credential its holder keeps PRIVATE is 404 to anyone but them, its issuer and operators (services/hosted-copies.ts).
  const credentialOr404 = (viewer: Viewer, id: string) => hostedCopies.readable(viewer, id);

  router.get('/issuers/:id', async (req, res) => {
    const issuer = await issuerOr404(req.params.id);
    const did = await keyRing.didFor(issuer);
    res.type('application/ld+json').json({ '@context': [...OB_CREDENTIAL_CONTEXTS], ...(await issuance.profileOf(issuer, did)) });
  });

  /**
   * The hand-off to the institution's sealing tool: a zip of unsigned EDCs, one per credential of an achievement or a
   * bulk job, with a manifest of what each lacks (the issuer's members and operators, by API key).
   */
  router.get('/issuers/:id/europass.zip', async (req, res) => {
    const query = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : null);
    const zip = await europass.bulkExport(res.locals.viewer as Viewer, req.params.id, { achievementId: query('achievementId'), jobId: query('jobId') });
    res.type('application/zip').set('content-disposition', `attachment; filename="europass-${query('achievementId') ?? query('jobId')}.zip"`).send(Buffer.from(zip));
  });

  router.get('/issuers/:id/jwks.json', async (req, res) => {
    const issuer = await issuerOr404(req.params.id);
    res.type('application/jwk-set+json').json(await keyRing.jwks(issuer.id));
  });

  router.get('/issuers/:id/jwks/:keyId', async (req, res) => {
    const issuer = await issuerOr404(req.params.id);
    const key = (await keyRing.jwks(issuer.id)).keys.find((jwk) => jwk.kid === keyRing.jwkUrl(issuer.id, req.params.keyId));
    if (!key) throw new NotFoundError('Key', req.params.keyId);
    res.type('application/jwk+json').json(key);
  });

  /** VC-JWT form of a stored credential: EdDSA with the Ed25519 key, or RS256 (1EdTech's required minimum). */
  const credentialJwt = async (credential: { issuerId: string; document: Record<string, unknown> }, alg: 'EdDSA' | 'RS256') => {
    if (alg === 'RS256') {
      const { kid, privateKey } = await keyRing.rsaSignerFor(credential.issuerId);
      return signCredentialJwt({ credential: credential.document, kid, privateKey, alg });
    }
    const signer = await keyRing.signerFor(await issuance.issuerOf(credential.issuerId));
    return signCredentialJwt({ credential: credential.document, kid: signer.verificationMethod, privateKey: signer.privateKey, alg });
  };

  router.get('/issuers/:id/did.json', async (req, res) => {
    const issuer = await issuerOr404(req.params.id);
    // The gateway forwards the Host it was asked on (X-Forwarded-Host).
    const document = await keyRing.didDocument(issuer, keyRing.publicBaseUrlOfHost(req.get('x-forwarded-host')?.split(',')[0]?.trim()));
    if (!document) throw new NotFoundError('DID document', req.params.id);
    res.type('application/did+json').json(document);
  });

  // Credential documents are public by URL unless their holder made them PRIVATE (the uuid is unguessable).
  // `Accept: application/vc+jwt` or `?format=jwt` gives the VC-JWT form (EdDSA, the LD-proofed credential in `vc`);
  // `?format=edc` the European Digital Credential, by the same visibility rule.
  router.get('/credentials/:id', async (req, res) => {
    if (req.query.format === 'edc') {
      const edc = await europass.hostedEdc(res.locals.viewer as Viewer, req.params.id);
      // A sealed EDC is served byte for byte as handed back: its seal covers the payload's bytes.
      return void ('sealed' in edc ? res.type('application/jose+json').send(edc.sealed) : res.type('application/ld+json').json(edc.unsigned));
    }
    const credential = await credentialOr404(res.locals.viewer as Viewer, req.params.id);
    if (req.query.format === 'jwt' || req.accepts(['application/vc+ld+json', 'application/json', 'application/vc+jwt']) === 'application/vc+jwt') {
      return void res.type('application/vc+jwt').send(await credentialJwt(credential, req.query.alg === 'RS256' ? 'RS256' : 'EdDSA'));
    }
    res.type('application/vc+ld+json').json(credential.document);
  });

  /**
   * The issuer's record of a credential's state and the reason it gave, for the credential's page: the status list
   * tells anyone that a credential is revoked, this says why. As public as the document itself.
   */
  router.get('/credentials/:id/status', async (req, res) => {
    const credential = await credentialOr404(res.locals.viewer as Viewer, req.params.id);
    res.json({ status: credential.status, reason: credential.statusReason, changedAt: credential.statusChangedAt });
  });

  // The baked badge: the credential inside its artwork (OB 3.0 baking), as public as the credential itself.
  router.get('/credentials/:id/badge.svg', async (req, res) => {
    const credential = await credentialOr404(res.locals.viewer as Viewer, req.params.id);
    // Artwork from elsewhere is served from this origin: no script in it may ever run here.
    res.set(SVG_SAFETY_HEADERS).type('image/svg+xml').send(bakeSvg(await badgeImages.svg(credential), credential.document));
  });

  router.get('/credentials/:id/badge.png', async (req, res) => {
    const credential = await credentialOr404(res.locals.viewer as Viewer, req.params.id);
    res.type('image/png').send(bakePng(await badgeImages.png(credential), credential.document));
  });

  router.get('/status-lists/:id', async (req, res) => {
    res.type('application/vc+ld+json').set('cache-control', 'public, max-age=60').json(await statusLists.signedList(req.params.id));
  });

  return router;
}
