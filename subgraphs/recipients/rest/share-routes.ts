import { Router } from 'express';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { IdentityType } from '../../../lib/identity.js';
import type { RecipientStore } from '../db/store.js';
import { presentationOf } from '../domain/presentation.js';
import { shareUrl } from '../domain/share-token.js';
import type { SharingService } from '../services/sharing.js';

/**
 * `GET /shares/{token}` and `GET /shares/{token}/presentation`: the share as a VerifiablePresentation of its
 * credentials (unsigned; each credential carries its issuer's proof). The same rules as GraphQL `share(token)`:
 * no key for PUBLIC shares, the employer's key for EMPLOYER ones, 403 for revoked or expired shares; each download
 * is counted in a ShareViewed event (appended in batches, not on the request).
 */
export function createShareRoutes({ sharing, store, publicBaseUrl }: { sharing: SharingService; store: RecipientStore; publicBaseUrl: string }): Router {
  const router = Router();
  const presentation = async (viewer: Viewer, clientAddress: string | null, token: string) => {
    const opened = await sharing.openShare(viewer, token, 'PRESENTATION', clientAddress);
    // The holder's DID, when the recipient has proven one: the presentation is then about a subject a verifier can match.
    const identities = await store.findIdentitiesByRecipientIds([opened.recipientId]);
    const holder = identities.find((identity) => identity.type === IdentityType.DID)?.value ?? null;
    const documents = new Map((await store.findCredentialsByIds(opened.credentials.map((credential) => credential.id))).map((row) => [row.id, row]));
    return presentationOf(
      opened.credentials.flatMap((credential) => documents.get(credential.id) ?? []),
      { id: shareUrl(publicBaseUrl, token), holder },
    );
  };
  for (const path of ['/shares/:token', '/shares/:token/presentation']) {
    router.get(path, async (req, res) => {
      const body = await presentation(res.locals.viewer as Viewer, res.locals.clientAddress as string | null, String(req.params.token));
      res.status(200).type('application/vp+ld+json').set('cache-control', 'no-store').send(JSON.stringify(body));
    });
  }
  return router;
}
