import { describe, expect, test } from 'vitest';
import { didWebFor, hubDidWebOf, rebaseDidDocument } from './did-web.js';

const ISSUER = '0190f3b2-aaaa-7bbb-8ccc-123456789abc';

describe("the hub's did:web DIDs under its addresses", () => {
  test('hubDidWebOf finds the issuer under the public base URL or any alias, and nothing else', () => {
    const addresses = ['https://badges.example', 'http://localhost:4000'];
    expect(hubDidWebOf(addresses, `did:web:badges.example:issuers:${ISSUER}`)).toEqual({ issuerId: ISSUER, publicBaseUrl: 'https://badges.example' });
    expect(hubDidWebOf(addresses, `did:web:localhost%3A4000:issuers:${ISSUER}`)).toEqual({ issuerId: ISSUER, publicBaseUrl: 'http://localhost:4000' });
    expect(hubDidWebOf(addresses, `did:web:localhost%3A4100:issuers:${ISSUER}`)).toBeNull();
    expect(hubDidWebOf(addresses, 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK')).toBeNull();
  });

  test('rebaseDidDocument names the other DID everywhere the first one was named, keys unchanged', () => {
    const from = didWebFor('https://badges.example', ISSUER);
    const to = didWebFor('http://localhost:4000', ISSUER);
    const method = { id: `${from}#z6Mk1`, type: 'Multikey', controller: from, publicKeyMultibase: 'z6Mk1' };
    const document = { id: from, verificationMethod: [method], assertionMethod: [method.id] };
    expect(rebaseDidDocument(document, from, to)).toEqual({
      id: to,
      verificationMethod: [{ id: `${to}#z6Mk1`, type: 'Multikey', controller: to, publicKeyMultibase: 'z6Mk1' }],
      assertionMethod: [`${to}#z6Mk1`],
    });
    expect(rebaseDidDocument(document, from, from)).toBe(document);
  });
});
