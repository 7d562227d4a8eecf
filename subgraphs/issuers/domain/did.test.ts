import { describe, expect, test } from 'vitest';
import { didWebDocument, didWebFor, verificationMethodId } from './did.js';

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
