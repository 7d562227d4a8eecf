/** The DID and DID document rules for issuers (pure). */

export interface IssuerKey {
  publicKeyMultibase: string;
  status: 'ACTIVE' | 'RETIRED';
}

/**
 * did:web for an issuer under the hub's public URL: `https://hub.example/issuers/{id}/did.json` is
 * `did:web:hub.example:issuers:{id}`; a port is percent-encoded (`localhost%3A4000`), a base path adds segments.
 */
export function didWebFor(publicBaseUrl: string, issuerId: string): string {
  const url = new URL(publicBaseUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...path, 'issuers', issuerId].join(':');
}

/** A key's verification method id: the DID with the key itself as fragment, stable across rotations. */
export function verificationMethodId(did: string, publicKeyMultibase: string): string {
  return `${did}#${publicKeyMultibase}`;
}

/**
 * The did:web document: every key the issuer ever signed with stays listed (and authorised for assertions),
 * so credentials signed before a rotation keep verifying; only the active key signs new ones.
 */
export function didWebDocument(did: string, keys: readonly IssuerKey[]): Record<string, unknown> {
  const methods = keys.map((key) => ({
    id: verificationMethodId(did, key.publicKeyMultibase),
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: key.publicKeyMultibase,
  }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((method) => method.id),
    authentication: methods.filter((_, index) => keys[index]!.status === 'ACTIVE').map((method) => method.id),
  };
}

/** The issuer id inside one of this hub's did:web DIDs, or null for any other DID. */
export function issuerIdOfDidWeb(publicBaseUrl: string, did: string): string | null {
  const prefix = didWebFor(publicBaseUrl, '');
  if (!did.startsWith(prefix)) return null;
  const id = did.slice(prefix.length);
  return /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

/** The node a document loader returns for one verification method of a DID document. */
export function verificationMethodNode(document: Record<string, unknown>, methodId: string): Record<string, unknown> | null {
  const methods = (document.verificationMethod ?? []) as Record<string, unknown>[];
  const method = methods.find((candidate) => candidate.id === methodId);
  return method ? { '@context': 'https://w3id.org/security/multikey/v1', ...method } : null;
}
