/** The DID and DID document rules for issuers (pure). The did:web naming itself is shared: lib/did-web.ts. */
export { didWebFor, hubDidWebOf, issuerIdOfDidWeb } from '../../../lib/did-web.js';

export interface IssuerKey {
  publicKeyMultibase: string;
  status: 'ACTIVE' | 'RETIRED';
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

/** The node a document loader returns for one verification method of a DID document. */
export function verificationMethodNode(document: Record<string, unknown>, methodId: string): Record<string, unknown> | null {
  const methods = (document.verificationMethod ?? []) as Record<string, unknown>[];
  const method = methods.find((candidate) => candidate.id === methodId);
  return method ? { '@context': 'https://w3id.org/security/multikey/v1', ...method } : null;
}
