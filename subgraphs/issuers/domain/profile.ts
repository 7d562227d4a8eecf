import type { IssuerRow } from '../db/tables.js';

/**
 * The OB 3.0 Profile of an issuer, as embedded in its credentials and served at `/issuers/{id}`: the `id` is the
 * issuer's DID (the controller of its signing keys); optional fields are omitted, never null.
 */
export function toObProfile(issuer: Pick<IssuerRow, 'name' | 'url' | 'email' | 'description' | 'image'>, did: string): Record<string, unknown> {
  return {
    id: did,
    type: ['Profile'],
    name: issuer.name,
    url: issuer.url,
    ...(issuer.email ? { email: issuer.email } : {}),
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(issuer.image ? { image: { id: issuer.image, type: 'Image' } } : {}),
  };
}
