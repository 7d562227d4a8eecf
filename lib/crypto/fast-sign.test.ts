import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { describe, expect, it } from 'vitest';
import { createDocumentLoader } from './document-loader.js';
import { createFastSigner } from './fast-sign.js';
import { didKeyFor, generateSigningKey, importSigningKey } from './keys.js';
import { signCredential, type CredentialSigner } from './sign.js';
import { generateVariedCredential, SHAPE_FAMILIES } from '../../test/fixtures/varied-credentials.js';

const documentLoader = createDocumentLoader();

/** A varied but valid OB 3.0 credential (see varied-credentials.ts): indexes i and i + SHAPE_FAMILIES share a shape. */
function generateCredential(index: number, issuerId: string): Record<string, unknown> {
  return generateVariedCredential(index, { issuerId });
}

function makeSigner(): { signer: CredentialSigner; did: string } {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  return { did, signer: { verificationMethod, privateKey: key.privateKey } };
}

describe('createFastSigner', () => {
  it('emits proofs byte-identical to signCredential over 345 varied credentials (differential)', async () => {
    const keys = [makeSigner(), makeSigner(), makeSigner()];
    const clocks = [new Date('2025-03-01T10:00:00.400Z'), new Date('2025-03-01T10:00:07Z')];
    // Memos smaller than keys × clocks and than the shapes in play, so eviction and rebuilding are exercised too.
    const fast = createFastSigner({ documentLoader, proofConfigCacheSize: 4, shapeCacheSize: 48 });
    const count = 15 * SHAPE_FAMILIES;
    const samples = [];

    for (let i = 0; i < count; i++) {
      const { did, signer } = keys[i % keys.length]!;
      const now = clocks[Math.floor(i / 7) % clocks.length]!;
      const credential = generateCredential(i, did);
      const stock = await signCredential({ credential, signer, documentLoader, now });
      const memoised = await fast.sign({ credential, signer, now });
      expect(memoised.proof[0]!.proofValue, `credential #${i}`).toBe(stock.proof[0]!.proofValue);
      expect(memoised).toEqual(stock);
      if (i % 69 === 0) samples.push(memoised);
    }

    expect(fast.stats.proofConfigHits + fast.stats.proofConfigMisses).toBe(count);
    expect(fast.stats.proofConfigHits).toBeGreaterThan(100);
    expect(fast.stats.proofConfigMisses).toBeGreaterThan(6); // evictions forced recomputation
    const shapes = fast.shapeCacheStats!;
    expect(shapes.hits + shapes.misses + shapes.fallbacks).toBe(count);
    expect(shapes.hits).toBeGreaterThan(count / 3);
    expect(shapes.selfCheckFailures).toBe(0);
    for (const credential of samples) {
      const result = await vc.verifyCredential({
        credential,
        suite: new DataIntegrityProof({ cryptosuite }),
        documentLoader,
        now: new Date('2026-01-01T00:00:00Z'),
        checkStatus: async () => ({ verified: true }),
      });
      expect(result.error?.message ?? '').toBe('');
      expect(result.verified).toBe(true);
    }
  });

  it('signs the stock way with the shape cache off (shapeCacheSize: 0)', async () => {
    const { did, signer } = makeSigner();
    const fast = createFastSigner({ documentLoader, shapeCacheSize: 0 });
    const now = new Date('2025-03-01T10:00:00Z');
    const credential = generateCredential(3, did);
    expect(await fast.sign({ credential, signer, now })).toEqual(await signCredential({ credential, signer, documentLoader, now }));
    expect(fast.shapeCacheStats).toBeNull();
  });

  it('canonicalises a proof config once per key and second, then reuses it', async () => {
    const { did, signer } = makeSigner();
    const fast = createFastSigner({ documentLoader });
    const now = new Date('2025-01-01T00:00:00Z');
    await Promise.all([0, 1, 2].map((i) => fast.sign({ credential: generateCredential(i, did), signer, now })));
    expect(fast.stats).toEqual({ proofConfigHits: 2, proofConfigMisses: 1 });
    await fast.sign({ credential: generateCredential(3, did), signer, now: new Date('2025-01-01T00:00:01Z') });
    expect(fast.stats.proofConfigMisses).toBe(2);
  });

  it('keeps JSON-LD safe mode: an undefined term is refused, as by signCredential', async () => {
    const { did, signer } = makeSigner();
    const fast = createFastSigner({ documentLoader });
    const credential = { ...generateCredential(0, did), favouriteColour: 'teal' };
    await expect(fast.sign({ credential, signer })).rejects.toThrow(/safe mode/i);
  });

  it('leaves its input untouched', async () => {
    const { did, signer } = makeSigner();
    const credential = generateCredential(5, did);
    const copy = structuredClone(credential);
    await createFastSigner({ documentLoader }).sign({ credential, signer });
    expect(credential).toEqual(copy);
  });

  it('throws TypeError on misuse', async () => {
    const { did, signer } = makeSigner();
    expect(() => createFastSigner({} as never)).toThrow(TypeError);
    expect(() => createFastSigner({ documentLoader, proofConfigCacheSize: 0 })).toThrow(TypeError);
    expect(() => createFastSigner({ documentLoader, shapeCacheSize: -1 })).toThrow(TypeError);
    const fast = createFastSigner({ documentLoader });
    const credential = generateCredential(1, did);
    const signed = await fast.sign({ credential, signer });
    await expect(fast.sign({ credential: signed, signer })).rejects.toThrow(TypeError);
    await expect(fast.sign({ credential, signer, now: new Date('nope') })).rejects.toThrow(TypeError);
    const publicOnly = importSigningKey(generateSigningKey()).publicKey;
    await expect(fast.sign({ credential, signer: { ...signer, privateKey: publicOnly } })).rejects.toThrow(TypeError);
  });
});
