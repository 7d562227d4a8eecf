import { describe, expect, test } from 'vitest';
import { issuerPartsOf } from './issuer-parts.js';

describe('issuerPartsOf', () => {
  test('one part per issuer, in first-seen order, credential order kept; credentials of no issuer make their own part', () => {
    const parts = issuerPartsOf([
      { id: 'c1', issuerId: 'B' },
      { id: 'c2', issuerId: 'A' },
      { id: 'c3', issuerId: null },
      { id: 'c4', issuerId: 'B' },
    ]);
    expect(parts).toEqual([
      { issuerId: 'B', credentialIds: ['c1', 'c4'] },
      { issuerId: 'A', credentialIds: ['c2'] },
      { issuerId: null, credentialIds: ['c3'] },
    ]);
    expect(issuerPartsOf([])).toEqual([]);
  });
});
