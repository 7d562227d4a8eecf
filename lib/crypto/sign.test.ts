import { createHash, createPrivateKey, verify as ed25519Verify } from 'node:crypto';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDocumentLoader } from './document-loader.js';
import { importSigningKey, type ImportedSigningKey } from './keys.js';
import { base58btcDecode } from './multibase.js';
import { signCredential } from './sign.js';
import { readConformanceText } from '../../test/helpers/conformance-fixtures.js';

interface TestVector {
  keyPair: { publicKeyHex: string; privateKeyHex: string; publicKeyMultibase: string; id: string };
  unsignedCredential: Record<string, unknown>;
  proofOptions: { created: string; verificationMethod: string };
  expected: { documentHashHex: string; proofHashHex: string; signatureHex: string; proofValue: string };
  signedCredential: Record<string, unknown> & { proof: Record<string, unknown> | Record<string, unknown>[] };
}

/** A 1EdTech test vector, committed verbatim under test/fixtures/conformance/ (its SOURCES.md names the spec page). */
function readVector(name: string) {
  const read = (file: string) => readConformanceText(`test-vectors/${name}/${file}`);
  return {
    vector: JSON.parse(read('vector.json')) as TestVector,
    documentCanon: read('document-canon.txt'),
    proofCanon: read('proof-canon.txt'),
  };
}

/** The vector's key as PKCS#8, imported the way Cairn imports stored keys. */
function importVectorKey(vector: TestVector): ImportedSigningKey {
  const seed = Buffer.from(vector.keyPair.privateKeyHex.slice(0, 64), 'hex');
  const publicKey = Buffer.from(vector.keyPair.publicKeyHex, 'hex');
  const keyObject = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  return importSigningKey({
    privateKeyPkcs8: keyObject.export({ format: 'der', type: 'pkcs8' }),
    publicKeyMultibase: vector.keyPair.publicKeyMultibase,
  });
}

/** Records every canonical N-Quads string the cryptosuite produces while signing. */
function captureCanonicalForms(): string[] {
  const canonicalForms: string[] = [];
  const canonize = eddsaRdfc2022.canonize;
  vi.spyOn(eddsaRdfc2022, 'canonize').mockImplementation(async (input, options) => {
    const nquads = await canonize.call(eddsaRdfc2022, input, options);
    canonicalForms.push(nquads);
    return nquads;
  });
  return canonicalForms;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const documentLoader = createDocumentLoader();

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(['ob-v3p0-eddsa-rdfc-2022', 'clr-v2p0-eddsa-rdfc-2022'])('test vector %s', (name) => {
  const { vector, documentCanon, proofCanon } = readVector(name);

  it('reproduces the canonical N-Quads, the hashes and the proofValue byte for byte', async () => {
    const key = importVectorKey(vector);
    const canonicalForms = captureCanonicalForms();

    const signed = await signCredential({
      credential: vector.unsignedCredential,
      signer: { verificationMethod: vector.proofOptions.verificationMethod, privateKey: key.privateKey },
      documentLoader,
      now: new Date(vector.proofOptions.created),
    });

    expect(canonicalForms).toHaveLength(2);
    expect(canonicalForms).toContain(documentCanon);
    expect(canonicalForms).toContain(proofCanon);
    expect(sha256Hex(documentCanon)).toBe(vector.expected.documentHashHex);
    expect(sha256Hex(proofCanon)).toBe(vector.expected.proofHashHex);

    // The OB vector shows the proof as an object, the CLR one as an array: we always emit the array.
    expect(signed.proof).toEqual([vector.signedCredential.proof].flat());
    const [proof] = signed.proof;
    expect(proof?.proofValue).toBe(vector.expected.proofValue);
    expect(Buffer.from(base58btcDecode(proof!.proofValue.slice(1))).toString('hex')).toBe(vector.expected.signatureHex);
    const { proof: _expectedProof, ...expectedBody } = vector.signedCredential;
    const { proof: _proof, ...body } = signed;
    expect(body).toEqual(expectedBody);
  });

  it('signs exactly SHA-256(proof canon) ‖ SHA-256(document canon)', () => {
    const key = importVectorKey(vector);
    const data = Buffer.concat([
      createHash('sha256').update(proofCanon, 'utf8').digest(),
      createHash('sha256').update(documentCanon, 'utf8').digest(),
    ]);
    const signature = Buffer.from(vector.expected.signatureHex, 'hex');
    expect(ed25519Verify(null, data, key.publicKey, signature)).toBe(true);
  });
});

describe('signCredential', () => {
  const { vector } = readVector('ob-v3p0-eddsa-rdfc-2022');
  const key = importVectorKey(vector);
  const signer = { verificationMethod: vector.proofOptions.verificationMethod, privateKey: key.privateKey };
  const now = new Date('2024-05-01T12:00:00.750Z');

  it('returns a new object and leaves the input untouched', async () => {
    const credential = structuredClone(vector.unsignedCredential);
    const signed = await signCredential({ credential, signer, documentLoader, now });
    expect(credential).toEqual(vector.unsignedCredential);
    expect(credential).not.toHaveProperty('proof');
    expect(signed).not.toBe(credential);
    expect(signed.credentialSubject).not.toBe(credential.credentialSubject);
  });

  it('stamps `created` from the injected clock, to the second', async () => {
    const signed = await signCredential({ credential: vector.unsignedCredential, signer, documentLoader, now });
    expect(signed.proof).toHaveLength(1);
    expect(signed.proof[0]).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      verificationMethod: signer.verificationMethod,
      created: '2024-05-01T12:00:00Z',
    });
  });

  it('is deterministic for the same credential, key and clock', async () => {
    const first = await signCredential({ credential: vector.unsignedCredential, signer, documentLoader, now });
    const second = await signCredential({ credential: vector.unsignedCredential, signer, documentLoader, now });
    expect(second).toEqual(first);
  });

  it('refuses to sign a term no context defines (JSON-LD safe mode)', async () => {
    const credential = { ...vector.unsignedCredential, favouriteColour: 'teal' };
    await expect(signCredential({ credential, signer, documentLoader, now })).rejects.toThrow(/safe mode/i);
  });

  it('refuses the VC 1.1 issuanceDate under the VC 2.0 context', async () => {
    const credential = { ...vector.unsignedCredential, issuanceDate: '2010-01-01T00:00:00Z' };
    await expect(signCredential({ credential, signer, documentLoader, now })).rejects.toThrow();
  });

  it('throws TypeError on misuse', async () => {
    const signed = await signCredential({ credential: vector.unsignedCredential, signer, documentLoader, now });
    await expect(signCredential({ credential: signed, signer, documentLoader, now })).rejects.toThrow(TypeError);
    await expect(
      signCredential({ credential: vector.unsignedCredential, signer: { ...signer, privateKey: key.publicKey }, documentLoader }),
    ).rejects.toThrow(/Ed25519 private KeyObject/);
    await expect(
      signCredential({ credential: vector.unsignedCredential, signer, documentLoader, now: new Date('nope') }),
    ).rejects.toThrow(TypeError);
  });
});
