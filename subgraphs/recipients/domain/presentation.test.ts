import { expect, test } from 'vitest';
import { presentationOf } from './presentation.js';

test('embedded-proof credentials go in as issued, a VC-JWT enveloped, an OB 2.0 assertion beside them', () => {
  const vc = { id: 'urn:uuid:1', proof: [{ type: 'DataIntegrityProof' }] };
  const presentation = presentationOf(
    [
      { document: vc, encoded: null, format: 'VC_2_0' },
      { document: { id: 'urn:uuid:2' }, encoded: 'eyJ.a.b', format: 'VC_JWT' },
      { document: { type: 'Assertion' }, encoded: null, format: 'OB_2_0_HOSTED' },
    ],
    { id: 'https://hub.example/shares/shr_x', holder: 'did:key:z6Mk' },
  );
  expect(presentation).toEqual({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'https://hub.example/shares/shr_x',
    type: ['VerifiablePresentation'],
    holder: 'did:key:z6Mk',
    verifiableCredential: [vc, { '@context': ['https://www.w3.org/ns/credentials/v2'], id: 'data:application/vc+jwt,eyJ.a.b', type: 'EnvelopedVerifiableCredential' }],
    openBadgesV2Assertions: [{ type: 'Assertion' }],
  });
});
