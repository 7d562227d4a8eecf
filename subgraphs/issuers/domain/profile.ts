/** The profile fields of an issuer, as stored. */
export interface IssuerProfileFields {
  name: string;
  url: string;
  email: string | null;
  description: string | null;
  image: string | null;
  phone: string | null;
  address: Record<string, string> | null;
  official: string | null;
}

/**
 * The OB 3.0 Profile of an issuer, as embedded in its credentials and served at `/issuers/{id}`: the `id` is the
 * issuer's DID (the controller of its signing keys); optional fields are omitted, never null.
 */
export function toObProfile(
  issuer: IssuerProfileFields,
  did: string,
  parent: { profile: IssuerProfileFields; did: string } | null = null,
): Record<string, unknown> {
  return {
    id: did,
    type: ['Profile'],
    name: issuer.name,
    url: issuer.url,
    ...(issuer.email ? { email: issuer.email } : {}),
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(issuer.image ? { image: { id: issuer.image, type: 'Image' } } : {}),
    ...(issuer.phone ? { phone: issuer.phone } : {}),
    ...(issuer.address ? { address: { type: ['Address'], ...issuer.address } } : {}),
    ...(issuer.official ? { official: issuer.official } : {}),
    ...(parent ? { parentOrg: toObProfile(parent.profile, parent.did) } : {}),
  };
}
