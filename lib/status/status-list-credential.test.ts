import { describe, expect, test } from 'vitest';
import { Bitstring, decodeList, encodeList, statusListCredential, statusListEntry } from './bitstring.js';

const LIST_URL = 'https://hub.example/status/3f2a/revocation';

describe('BitstringStatusListCredential', () => {
  test('has the VC 2.0 shape the spec and the W3C status suite expect', () => {
    const encodedList = encodeList(Bitstring.create());
    const credential = statusListCredential({
      id: LIST_URL,
      issuer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      purpose: 'revocation',
      encodedList,
      validFrom: new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: LIST_URL,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      validFrom: '2026-01-02T03:04:05Z',
      credentialSubject: { id: `${LIST_URL}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
    });
    expect(decodeList(credential.credentialSubject.encodedList).length).toBe(131_072);
  });

  test('validUntil is kept when given and may not precede validFrom', () => {
    const base = { id: LIST_URL, issuer: 'https://hub.example/issuers/1', purpose: 'suspension' as const, encodedList: encodeList(Bitstring.create()) };
    const credential = statusListCredential({ ...base, validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-01-02T00:00:00+01:00' });
    expect(credential.validUntil).toBe('2026-01-02T00:00:00+01:00');
    expect(credential.credentialSubject.statusPurpose).toBe('suspension');
    expect(() => statusListCredential({ ...base, validFrom: '2026-01-02T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' })).toThrow(TypeError);
  });

  test('misuse is a TypeError: relative id, fragment, date without timezone, legacy list, unknown purpose', () => {
    const good = { id: LIST_URL, issuer: 'https://hub.example/i', purpose: 'revocation' as const, encodedList: encodeList(Bitstring.create()), validFrom: '2026-01-01T00:00:00Z' };
    expect(() => statusListCredential({ ...good, id: '/status/1' })).toThrow(TypeError);
    expect(() => statusListCredential({ ...good, id: `${LIST_URL}#x` })).toThrow(TypeError);
    expect(() => statusListCredential({ ...good, validFrom: '2026-01-01T00:00:00' })).toThrow(TypeError);
    expect(() => statusListCredential({ ...good, encodedList: good.encodedList.slice(1) })).toThrow(TypeError);
    expect(() => statusListCredential({ ...good, purpose: 'message' as never })).toThrow(TypeError);
    expect(() => statusListCredential({ ...good, issuer: 'not a uri' })).toThrow(TypeError);
  });
});

describe('BitstringStatusListEntry', () => {
  test('carries an id distinct from the list URL (OB schema) and a base-10 string index (spec)', () => {
    expect(statusListEntry({ listCredentialUrl: LIST_URL, index: 94_567, purpose: 'revocation' })).toEqual({
      id: `${LIST_URL}#94567`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: LIST_URL,
    });
  });

  test('negative or fractional indexes and list URLs with a fragment are programmer errors', () => {
    expect(() => statusListEntry({ listCredentialUrl: LIST_URL, index: -1, purpose: 'revocation' })).toThrow(TypeError);
    expect(() => statusListEntry({ listCredentialUrl: LIST_URL, index: 0.5, purpose: 'revocation' })).toThrow(TypeError);
    expect(() => statusListEntry({ listCredentialUrl: `${LIST_URL}#list`, index: 1, purpose: 'revocation' })).toThrow(TypeError);
  });
});
