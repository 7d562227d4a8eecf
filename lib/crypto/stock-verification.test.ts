import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentLoader } from './document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from './keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential, type SignedCredential } from './sign.js';

// Interoperability: what signCredential emits must verify with the stock @digitalbazaar stack alone,
// with none of Cairn's verification code involved (only our offline document loader).

const documentLoader = createDocumentLoader();
const now = new Date('2024-06-01T08:30:00Z');

function stockVerify(credential: Record<string, unknown>) {
  return vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader, now });
}

/** The first error message of a failed verification, for readable assertions. */
function failureOf(result: vc.VerifyResult): string {
  const error = result.error;
  return [error?.message, ...(error?.errors ?? []).map((e) => e.message)].filter(Boolean).join(' / ');
}

describe('a Cairn-signed OB 3.0 credential under the stock verifier', () => {
  let signed: SignedCredential;

  beforeAll(async () => {
    const key = importSigningKey(generateSigningKey());
    const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
    const credential = buildSampleAchievementCredential({ issuerId: did });
    signed = await signCredential({
      credential,
      signer: { verificationMethod, privateKey: key.privateKey },
      documentLoader,
      now,
    });
  });

  it('verifies with the proof array Cairn emits', async () => {
    expect(Array.isArray(signed.proof)).toBe(true);
    const result = await stockVerify(signed);
    expect(failureOf(result)).toBe('');
    expect(result.verified).toBe(true);
  });

  it('verifies with the proof unwrapped to a single object too', async () => {
    const result = await stockVerify({ ...signed, proof: signed.proof[0] });
    expect(failureOf(result)).toBe('');
    expect(result.verified).toBe(true);
  });

  it('still verifies after a JSON round trip with keys reordered', async () => {
    const reordered = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(signed)) as object).reverse());
    expect((await stockVerify(reordered)).verified).toBe(true);
  });

  it('fails when one byte of the achievement name changes', async () => {
    const tampered = structuredClone(signed) as SignedCredential & {
      credentialSubject: { achievement: { name: string } };
    };
    tampered.credentialSubject.achievement.name = tampered.credentialSubject.achievement.name.replace('C', 'D');
    const result = await stockVerify(tampered);
    expect(result.verified).toBe(false);
    expect(failureOf(result)).toMatch(/Invalid signature/);
  });

  it('fails when validUntil changes', async () => {
    const result = await stockVerify({ ...signed, validUntil: '2099-01-01T00:00:01Z' });
    expect(result.verified).toBe(false);
  });

  it('fails when the issuer is not the controller of the signing key', async () => {
    const other = didKeyFor(importSigningKey(generateSigningKey()).publicKeyMultibase);
    const credential = buildSampleAchievementCredential({ issuerId: other.did });
    const key = importSigningKey(generateSigningKey());
    const mismatched = await signCredential({
      credential,
      signer: { verificationMethod: didKeyFor(key.publicKeyMultibase).verificationMethod, privateKey: key.privateKey },
      documentLoader,
      now,
    });
    const result = await stockVerify(mismatched);
    expect(result.verified).toBe(false);
    expect(failureOf(result)).toMatch(/issuer must match the verification method controller/);
  });
});
