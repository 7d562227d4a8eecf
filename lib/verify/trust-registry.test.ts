import { expect, it } from 'vitest';
import { parseTrustRegistry } from './trust-registry.js';

it('reads both registry forms and names what is wrong with a bad one', () => {
  expect(parseTrustRegistry(['did:key:z6Mk1', ' https://issuer.example '], 'file.json')).toEqual([
    { id: 'did:key:z6Mk1', name: null, source: 'file.json' },
    { id: 'https://issuer.example', name: null, source: 'file.json' },
  ]);
  expect(parseTrustRegistry({ name: 'Board', issuers: [{ id: 'did:web:a.example', name: 'A' }] }, 'url')).toEqual([{ id: 'did:web:a.example', name: 'A', source: 'Board' }]);
  expect(() => parseTrustRegistry({ issuers: [{ name: 'no id' }] }, 'r.json')).toThrow('Entry 1 of the trust registry r.json has no issuer id');
  expect(() => parseTrustRegistry({ list: [] }, 'r.json')).toThrow(/neither an array of issuer ids nor an object with "issuers"/);
});
