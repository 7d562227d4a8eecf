import { Router } from 'express';
import { NotFoundError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { IssuerStore } from '../db/store.js';
import type { KeyRing } from '../issuance/key-ring.js';
import { toObProfile } from '../domain/profile.js';

/** Public standards endpoints of the issuers subgraph (the gateway forwards them from the hub's public origin). */
export function createIssuerRoutes({ store, keyRing }: { store: IssuerStore; keyRing: KeyRing }): Router {
  const router = Router();

  const issuerOr404 = async (id: string) => {
    const [issuer] = isUuid(id) ? await store.findByIds([id]) : [];
    if (!issuer) throw new NotFoundError('Issuer', id);
    return issuer;
  };

  router.get('/issuers/:id', async (req, res) => {
    const issuer = await issuerOr404(req.params.id);
    const did = await keyRing.didFor(issuer);
    res.type('application/ld+json').json({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      ...toObProfile(issuer, did),
    });
  });

  router.get('/issuers/:id/did.json', async (req, res) => {
    const issuer = await issuerOr404(req.params.id);
    const document = await keyRing.didDocument(issuer);
    if (!document) throw new NotFoundError('DID document', req.params.id);
    res.type('application/did+json').json(document);
  });

  return router;
}
