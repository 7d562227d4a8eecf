import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { describe, expect, it } from 'vitest';
import { createCachingCryptosuite, createCanonicalizer, type Canonicalizer } from './canonicalizer.js';
import { createDocumentLoader } from './document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from './keys.js';
import { signCredentialWith } from './sign.js';
import { generateVariedCredential, SHAPE_FAMILIES } from '../../test/fixtures/varied-credentials.js';
import { canonicalOutcome, type CanonicalOutcome } from '../../test/helpers/canonical-outcome.js';
import { conformanceJsonFiles, readConformanceJson, readConformanceText } from '../../test/helpers/conformance-fixtures.js';

// Differential tests: the shape cache must give exactly what eddsaRdfc2022.canonize gives (the stock path that
// DataIntegrityProof runs), byte for byte, or reject exactly when it rejects. Negative and edge cases are in
// canonicalizer-safety.test.ts.

const documentLoader = createDocumentLoader();
/** What DataIntegrityProof passes when it canonicalises a document. */
const PROOF_OPTIONS = { documentLoader, base: null, safe: true };
const ISSUER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

/** Canonicalises `document` both ways and expects the same N-Quads, or the same error. Returns the stock outcome. */
async function expectSameAsStock(canonicalizer: Canonicalizer, document: unknown, label: string): Promise<CanonicalOutcome> {
  const stock = await canonicalOutcome(() => eddsaRdfc2022.canonize(document, PROOF_OPTIONS));
  const fast = await canonicalOutcome(() => canonicalizer.canonize(document, PROOF_OPTIONS));
  expect(fast, label).toEqual(stock);
  return stock;
}

function readJsonFiles(folder: string): [name: string, document: unknown][] {
  return conformanceJsonFiles(folder).map((name) => [`${folder}/${name}`, readConformanceJson(`${folder}/${name}`)]);
}

describe('createCanonicalizer: differential against eddsaRdfc2022.canonize', () => {
  it('gives byte-identical canonical N-Quads for 460 generated, varied OB 3.0 credentials', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const count = 20 * SHAPE_FAMILIES;
    for (let i = 0; i < count; i++) {
      const outcome = await expectSameAsStock(canonicalizer, generateVariedCredential(i, { issuerId: ISSUER }), `credential #${i}`);
      expect('nquads' in outcome, `credential #${i} is valid`).toBe(true);
    }
    const { hits, misses, fallbacks, selfCheckFailures } = canonicalizer.stats;
    expect(hits + misses + fallbacks).toBe(count);
    expect(selfCheckFailures).toBe(0);
    // Most credentials must be served from templates, or this test proves little about them.
    expect(hits).toBeGreaterThan(count / 2);
    expect(misses).toBeGreaterThan(SHAPE_FAMILIES);
  });

  it('gives the same results for documents that share a shape when they are canonicalised concurrently', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const documents = Array.from({ length: 12 }, (_, i) => generateVariedCredential(i * SHAPE_FAMILIES, { issuerId: ISSUER }));
    const fast = await Promise.all(documents.map((document) => canonicalizer.canonize(document, PROOF_OPTIONS)));
    const stock = await Promise.all(documents.map((document) => eddsaRdfc2022.canonize(document, PROOF_OPTIONS)));
    expect(fast).toEqual(stock);
    expect(canonicalizer.stats.selfCheckFailures).toBe(0);
  });

  it.each(['ob-v3p0-eddsa-rdfc-2022', 'clr-v2p0-eddsa-rdfc-2022'])('reproduces the %s test vector document canon', async (name) => {
    const vector = readConformanceJson(`test-vectors/${name}/vector.json`);
    const documentCanon = readConformanceText(`test-vectors/${name}/document-canon.txt`);
    const canonicalizer = createCanonicalizer({ documentLoader });
    // The first sight of a shape goes the stock way, the second builds the template (checked against the stock
    // path), the third fills it.
    for (let run = 0; run < 3; run++) {
      expect(await canonicalizer.canonize(structuredClone(vector.unsignedCredential), PROOF_OPTIONS)).toBe(documentCanon);
    }
    expect(canonicalizer.stats).toMatchObject({ fallbacks: 1, misses: 1, hits: 1, selfCheckFailures: 0 });
    // The same shape with other values: still the stock result.
    const renamed = structuredClone(vector.unsignedCredential);
    renamed.name = 'Ünïcode "renamed"\n credential';
    renamed.id = `${renamed.id}0`; // same IRI class, so the same shape
    await expectSameAsStock(canonicalizer, renamed, `${name} renamed`);
    expect(canonicalizer.stats.hits).toBe(2);
  });

  it.each(['examples/ob-v3p0', 'examples/ob-v2p0', 'vc-data-model-2.0-test-inputs'])(
    'agrees with the stock path on every document in test/fixtures/conformance/%s (results and rejections)',
    async (folder) => {
      const canonicalizer = createCanonicalizer({ documentLoader });
      let canonicalised = 0;
      for (const [name, document] of readJsonFiles(folder)) {
        const outcome = await expectSameAsStock(canonicalizer, document, name);
        await expectSameAsStock(canonicalizer, document, `${name} (again)`);
        if ('nquads' in outcome) canonicalised++;
      }
      expect(canonicalised, 'documents that canonicalise under the bundled contexts').toBeGreaterThan(5);
      expect(canonicalizer.stats.selfCheckFailures).toBe(0);
    },
  );
});

describe('createCachingCryptosuite', () => {
  it('signs and verifies with DataIntegrityProof, byte-identical to the stock cryptosuite', async () => {
    const key = importSigningKey(generateSigningKey());
    const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
    const signer = { verificationMethod, privateKey: key.privateKey };
    const cryptosuite = createCachingCryptosuite(createCanonicalizer({ documentLoader }));
    const now = new Date('2025-06-01T08:00:00Z');
    const verifyAt = new Date('2026-01-01T00:00:00Z');

    for (let i = 0; i < 6; i++) {
      const credential = generateVariedCredential(i * SHAPE_FAMILIES, { issuerId: did });
      const stock = await signCredentialWith(eddsaRdfc2022, { credential, signer, documentLoader, now });
      const cached = await signCredentialWith(cryptosuite, { credential, signer, documentLoader, now });
      expect(cached).toEqual(stock);

      const verified = await vc.verifyCredential({
        credential: cached,
        suite: new DataIntegrityProof({ cryptosuite }),
        documentLoader,
        now: verifyAt,
        checkStatus: async () => ({ verified: true }),
      });
      expect(verified.error?.message ?? '').toBe('');
      expect(verified.verified).toBe(true);

      // A changed value in a cached shape must fail verification through the cache too.
      const tampered = structuredClone(cached) as Record<string, any>;
      tampered.credentialSubject.achievement.name = `${tampered.credentialSubject.achievement.name}!`;
      const rejected = await vc.verifyCredential({
        credential: tampered,
        suite: new DataIntegrityProof({ cryptosuite }),
        documentLoader,
        now: verifyAt,
        checkStatus: async () => ({ verified: true }),
      });
      expect(rejected.verified).toBe(false);
    }
  });
});
