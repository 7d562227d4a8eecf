import { describe, expect, test } from 'vitest';
import { didWebDocument, didWebFor, issuerIdOfDidWeb, verificationMethodId, verificationMethodNode } from './did.js';

describe('issuer DIDs', () => {
  test('did:web follows the hub’s public URL, port encoded, base path as segments', () => {
    expect(didWebFor('https://hub.example', 'abc')).toBe('did:web:hub.example:issuers:abc');
    expect(didWebFor('http://localhost:4000', 'abc')).toBe('did:web:localhost%3A4000:issuers:abc');
    expect(didWebFor('https://example.org/cairn/', 'abc')).toBe('did:web:example.org:cairn:issuers:abc');
  });

  test('a rotated key stays in the document and may still assert, so old credentials verify', () => {
    const did = 'did:web:hub.example:issuers:abc';
    const document = didWebDocument(did, [
      { publicKeyMultibase: 'z6MkOld', status: 'RETIRED' },
      { publicKeyMultibase: 'z6MkNew', status: 'ACTIVE' },
    ]);
    expect(document.assertionMethod).toEqual([verificationMethodId(did, 'z6MkOld'), verificationMethodId(did, 'z6MkNew')]);
    expect(document.authentication).toEqual([`${did}#z6MkNew`]);
    expect(document.verificationMethod).toContainEqual({ id: `${did}#z6MkOld`, type: 'Multikey', controller: did, publicKeyMultibase: 'z6MkOld' });
  });
});

describe('resolving the hub’s own DIDs', () => {
  const id = '0190a0a0-0000-7000-8000-00000000000a';

  test('an own did:web names its issuer; anything else is not ours', () => {
    expect(issuerIdOfDidWeb('https://hub.example', `did:web:hub.example:issuers:${id}`)).toBe(id);
    expect(issuerIdOfDidWeb('https://hub.example', `did:web:other.example:issuers:${id}`)).toBeNull();
    expect(issuerIdOfDidWeb('https://hub.example', 'did:web:hub.example:issuers:../../etc')).toBeNull();
  });

  test('a verification method resolves to its node with the Multikey context', () => {
    const did = `did:web:hub.example:issuers:${id}`;
    const document = didWebDocument(did, [{ publicKeyMultibase: 'z6MkA', status: 'ACTIVE' }]);
    expect(verificationMethodNode(document, `${did}#z6MkA`)).toMatchObject({ '@context': 'https://w3id.org/security/multikey/v1', controller: did });
    expect(verificationMethodNode(document, `${did}#z6MkB`)).toBeNull();
  });
});
