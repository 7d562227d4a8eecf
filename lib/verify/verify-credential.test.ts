import { beforeAll, describe, expect, it } from 'vitest';
import { bakePng, bakeSvg } from '../badges/bake.js';
import { defaultBadgeSvg } from '../badges/default-image.js';
import { renderPng } from '../badges/render.js';
import { createDocumentLoader } from '../crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential, type CredentialSigner } from '../crypto/sign.js';
import { Bitstring, encodeList, statusListCredential, statusListEntry } from '../status/bitstring.js';
import { gzipSync } from 'node:zlib';
import type { SafeFetch } from '../net/types.js';
import { readConformanceJson } from '../../test/helpers/conformance-fixtures.js';
import type { VerificationResult } from './types.js';
import { createCredentialVerifier, type CredentialVerifierOptions } from './verify-credential.js';

// The verifier's core against credentials signed here (did:key, so no network may be touched at all) and the
// spec's own test vector; every negative case is built from a good credential by changing one thing.

const documentLoader = createDocumentLoader();
const LIST_URL = 'https://hub.example/status-lists/revocation-1';
const SUSPENSION_LIST_URL = 'https://hub.example/status-lists/suspension-1';
const now = new Date('2026-06-01T00:00:00Z');

interface TestIssuer {
  did: string;
  signer: CredentialSigner;
}

function newIssuer(): TestIssuer {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  return { did, signer: { verificationMethod, privateKey: key.privateKey } };
}

const networkForbidden: SafeFetch = async (url) => {
  throw new Error(`the verifier tried to fetch ${url}`);
};

describe('verifying credentials', () => {
  const issuer = newIssuer();
  const stranger = newIssuer();
  const lists = new Map<string, Record<string, unknown>>();
  let listLoads = 0;

  async function sign(credential: Record<string, unknown>, by: TestIssuer = issuer) {
    return signCredential({ credential, signer: by.signer, documentLoader, now: new Date('2026-01-01T00:00:00Z') });
  }

  async function publishList(url: string, purpose: 'revocation' | 'suspension', setBits: number[], options: { bits?: number; by?: TestIssuer } = {}) {
    const bits = Bitstring.fromBytes(Buffer.alloc((options.bits ?? 131_072) / 8));
    for (const index of setBits) bits.set(index, true);
    const encodedList = bits.length >= 131_072 ? encodeList(bits) : `u${gzipSync(bits.toBuffer()).toString('base64url')}`;
    const list = statusListCredential({ id: url, issuer: (options.by ?? issuer).did, purpose, encodedList, validFrom: '2026-01-01T00:00:00Z' });
    lists.set(url, await sign(list as unknown as Record<string, unknown>, options.by));
  }

  function verifier(overrides: Partial<CredentialVerifierOptions> = {}) {
    return createCredentialVerifier({
      documentLoader,
      fetch: networkForbidden,
      loadStatusList: async (url) => {
        listLoads += 1;
        const list = lists.get(url);
        if (!list) throw new Error(`404 for ${url}`);
        return structuredClone(list);
      },
      trust: async (id) => (id === issuer.did ? { known: true, source: 'cairn' } : { known: false, source: null }),
      now: () => now,
      ...overrides,
    });
  }

  function credential(options: { index?: number; listUrl?: string; purpose?: 'revocation' | 'suspension'; validFrom?: string; validUntil?: string; issuerId?: string } = {}) {
    const unsigned = buildSampleAchievementCredential({
      issuerId: options.issuerId ?? issuer.did,
      validFrom: options.validFrom ?? '2026-01-01T00:00:00Z',
      validUntil: options.validUntil ?? '2099-01-01T00:00:00Z',
      recipientEmail: 'ada@example.com',
      salt: 'pepper',
    });
    if (options.index !== undefined) {
      unsigned.credentialStatus = statusListEntry({ listCredentialUrl: options.listUrl ?? LIST_URL, index: options.index, purpose: options.purpose ?? 'revocation' });
    }
    return unsigned;
  }

  function failed(result: VerificationResult) {
    return result.checks.filter((check) => !check.passed).map((check) => `${check.name}: ${check.message}`);
  }

  beforeAll(async () => {
    await publishList(LIST_URL, 'revocation', [7]);
    await publishList(SUSPENSION_LIST_URL, 'suspension', [9]);
  });

  it('finds a good credential VALID, every check passed in the OB order, without touching the network', async () => {
    const result = await verifier().verify({ credential: await sign(credential({ index: 3 })), recipientEmail: 'Ada@Example.com' });
    expect(failed(result)).toEqual([]);
    expect(result).toMatchObject({ verified: true, status: 'VALID', issuer: { id: issuer.did, known: true, source: 'cairn' } });
    expect(result.checks.map((check) => check.name)).toEqual(['format', 'schema', 'subject', 'proof', 'status', 'validity', 'recipient', 'issuer']);
    expect(result.credential).toMatchObject({ format: 'VC_2_0', issuerId: issuer.did, achievementName: expect.any(String) });
    expect(result.recheckAfter).not.toBeNull();
  });

  it('accepts the credential as JSON text too', async () => {
    const result = await verifier().verify({ credential: JSON.stringify(await sign(credential())) });
    expect(result.status).toBe('VALID');
  });

  it('finds a tampered field INVALID with the proof check naming the failure', async () => {
    const signed = await sign(credential());
    const result = await verifier().verify({ credential: { ...signed, name: 'Brain Surgery' } });
    expect(result).toMatchObject({ verified: false, status: 'INVALID' });
    expect(failed(result)).toEqual([expect.stringMatching(/^proof: The DataIntegrityProof \(eddsa-rdfc-2022\) proof by did:key:.* does not verify/)]);
  });

  it('finds a tampered proof value INVALID', async () => {
    const signed = await sign(credential());
    const proof = { ...signed.proof[0]!, proofValue: `${signed.proof[0]!.proofValue.slice(0, -4)}abcd` };
    const result = await verifier().verify({ credential: { ...signed, proof: [proof] } });
    expect(result.status).toBe('INVALID');
    expect(failed(result)[0]).toMatch(/^proof:/);
  });

  it('refuses a proof by a key the issuer does not control (controller mismatch)', async () => {
    const result = await verifier().verify({ credential: await sign(credential(), stranger) });
    expect(result.status).toBe('INVALID');
    expect(failed(result)[0]).toMatch(new RegExp(`^proof: The key ${stranger.did}.* is controlled by ${stranger.did}, not by the issuer ${issuer.did}`));
  });

  it('checks every proof: one forged proof next to a good one fails', async () => {
    const signed = await sign(credential());
    const second = await sign(credential());
    const forged = { ...second.proof[0]!, proofValue: second.proof[0]!.proofValue.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) };
    const twoGood = await verifier().verify({ credential: { ...signed, proof: [signed.proof[0], second.proof[0]] } });
    expect(twoGood.status).toBe('VALID');
    expect(twoGood.checks.find((check) => check.name === 'proof')!.message).toMatch(/^All 2 proofs verify/);
    const oneForged = await verifier().verify({ credential: { ...signed, proof: [signed.proof[0], forged] } });
    expect(oneForged.status).toBe('INVALID');
    expect(failed(oneForged)[0]).toMatch(/proof 2 of 2/);
  });

  it('reports EXPIRED and NOT_YET_VALID with the date', async () => {
    const expired = await verifier().verify({ credential: await sign(credential({ validFrom: '2024-01-01T00:00:00Z', validUntil: '2025-01-01T00:00:00Z' })) });
    expect(expired).toMatchObject({ verified: false, status: 'EXPIRED' });
    expect(failed(expired)).toEqual(['validity: Expired on 2025-01-01T00:00:00.000Z']);
    const early = await verifier().verify({ credential: await sign(credential({ validFrom: '2027-01-01T00:00:00Z' })) });
    expect(early.status).toBe('NOT_YET_VALID');
  });

  it('reads the bit itself: revoked is REVOKED, suspended is SUSPENDED, never verified', async () => {
    const revoked = await verifier().verify({ credential: await sign(credential({ index: 7 })) });
    expect(revoked).toMatchObject({ verified: false, status: 'REVOKED' });
    expect(failed(revoked)).toEqual([`status: The credential is revoked (index 7 of ${LIST_URL})`]);
    const suspended = await verifier().verify({ credential: await sign(credential({ index: 9, listUrl: SUSPENSION_LIST_URL, purpose: 'suspension' })) });
    expect(suspended.status).toBe('SUSPENDED');
    const expiredAndRevoked = await verifier().verify({ credential: await sign(credential({ index: 7, validFrom: '2024-01-01T00:00:00Z', validUntil: '2025-01-01T00:00:00Z' })) });
    expect(expiredAndRevoked.status).toBe('REVOKED');
  });

  it('gives STATUS_UNKNOWN, never VALID, when the list cannot be read or trusted', async () => {
    const unreachable = await verifier().verify({ credential: await sign(credential({ index: 1, listUrl: 'https://hub.example/status-lists/gone' })) });
    expect(unreachable).toMatchObject({ verified: false, status: 'STATUS_UNKNOWN' });
    expect(failed(unreachable)[0]).toMatch(/could not be retrieved.*404 for https:\/\/hub.example\/status-lists\/gone/);

    const tamperedUrl = 'https://hub.example/status-lists/tampered';
    await publishList(tamperedUrl, 'revocation', [5]);
    const list = lists.get(tamperedUrl)!;
    const subject = list.credentialSubject as Record<string, unknown>;
    lists.set(tamperedUrl, { ...list, credentialSubject: { ...subject, encodedList: encodeList(Bitstring.create()) } });
    const tampered = await verifier().verify({ credential: await sign(credential({ index: 5, listUrl: tamperedUrl })) });
    expect(tampered.status).toBe('STATUS_UNKNOWN');
    expect(failed(tampered)[0]).toMatch(/is not authentic/);

    const shortUrl = 'https://hub.example/status-lists/short';
    await publishList(shortUrl, 'revocation', [], { bits: 100_000 });
    const short = await verifier().verify({ credential: await sign(credential({ index: 5, listUrl: shortUrl })) });
    expect(short.status).toBe('STATUS_UNKNOWN');
    expect(failed(short)[0]).toMatch(/fewer than the 131072 required/);

    const wrongPurpose = await verifier().verify({ credential: await sign(credential({ index: 5, listUrl: LIST_URL, purpose: 'suspension' })) });
    expect(wrongPurpose.status).toBe('STATUS_UNKNOWN');
    expect(failed(wrongPurpose)[0]).toMatch(/purpose suspension is not a purpose of/);
  });

  it('tolerates a list issued by someone other than the credential issuer, as long as the list verifies', async () => {
    const thirdPartyUrl = 'https://status.example/lists/1';
    await publishList(thirdPartyUrl, 'revocation', [11], { by: stranger });
    expect((await verifier().verify({ credential: await sign(credential({ index: 11, listUrl: thirdPartyUrl })) })).status).toBe('REVOKED');
    expect((await verifier().verify({ credential: await sign(credential({ index: 12, listUrl: thirdPartyUrl })) })).status).toBe('VALID');
  });

  it('caches a list for its TTL instead of fetching it per credential', async () => {
    const cached = verifier();
    const before = listLoads;
    for (let index = 20; index < 25; index += 1) await cached.verify({ credential: await sign(credential({ index })) });
    expect(listLoads - before).toBe(1);
  });

  it('names an unknown context instead of fetching it', async () => {
    const signed = await sign(credential());
    const result = await verifier().verify({ credential: { ...signed, '@context': [...(signed['@context'] as string[]), 'https://evil.example/context.json'] } });
    expect(result.status).toBe('INVALID');
    expect(failed(result)).toEqual(['format: Unknown JSON-LD context https://evil.example/context.json: contexts are never fetched, and this one is not bundled']);
  });

  it('opens an EnvelopedVerifiableCredential: a VC-JWT in a data: URL is verified as that JWT, another envelope is named', async () => {
    const envelope = (id: string) => ({ '@context': 'https://www.w3.org/ns/credentials/v2', id, type: 'EnvelopedVerifiableCredential' });
    const notJwt = await verifier().verify({ credential: envelope('data:application/vc+sd-jwt,abc~def') });
    expect(failed(notJwt)).toEqual([expect.stringMatching(/^format: An EnvelopedVerifiableCredential's id must be a data: URL of application\/vc\+jwt/)]);
    const garbage = await verifier().verify({ credential: envelope('data:application/vc+jwt,not-a-jws') });
    expect(failed(garbage)).toEqual([expect.stringMatching(/does not carry a compact JWS/)]);
    const forged = await verifier().verify({ credential: envelope('data:application/vc+jwt,eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZTp4In0.AAAA') });
    // Opened and judged as a JWT (its claims name no VC), not refused as an envelope.
    expect(forged.status).toBe('INVALID');
    expect(failed(forged)[0]).not.toMatch(/EnvelopedVerifiableCredential|compact JWS/);
  });

  it('finds malformed, oversized and absurdly nested input INVALID without crashing', async () => {
    const malformed = await verifier().verify({ credential: '{"@context": [' });
    expect(failed(malformed)[0]).toMatch(/^format: The credential is not valid JSON/);
    const huge = await verifier().verify({ credential: JSON.stringify({ padding: 'x'.repeat(10 * 1024 * 1024) }) });
    expect(failed(huge)[0]).toMatch(/^format: The credential is \d+ bytes, more than the \d+ accepted/);
    let nested: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 100_000; level += 1) nested = { nested };
    const deep = await verifier().verify({ credential: nested });
    expect(failed(deep)).toEqual(['format: The credential nests deeper than 64 levels']);
    const notVc = await verifier().verify({ credential: { hello: 'world' } });
    expect(notVc.status).toBe('INVALID');
  });

  it('reports a recipient mismatch as INVALID', async () => {
    const result = await verifier().verify({ credential: await sign(credential()), recipientEmail: 'mallory@example.com' });
    expect(result.status).toBe('INVALID');
    expect(failed(result)).toEqual(['recipient: The credential was not issued to mallory@example.com']);
  });

  it('reports an unknown issuer as unknown but still tells the cryptographic truth', async () => {
    const result = await verifier().verify({ credential: await sign(credential({ issuerId: stranger.did }), stranger) });
    expect(result).toMatchObject({ verified: true, status: 'VALID', issuer: { id: stranger.did, known: false } });
    expect(failed(result)).toEqual([]);
    expect(result.checks.find((check) => check.name === 'issuer')).toMatchObject({ outcome: 'WARNING', passed: true, message: expect.stringMatching(/is not an issuer of this hub/) });
    const strict = await verifier({ requireKnownIssuer: true }).verify({ credential: await sign(credential({ issuerId: stranger.did }), stranger) });
    expect(strict.status).toBe('INVALID');
    expect(strict.checks.find((check) => check.name === 'issuer')).toMatchObject({ outcome: 'FAILED', passed: false });
  });

  describe('check outcomes', () => {
    const outcomes = (result: VerificationResult) => Object.fromEntries(result.checks.map((check) => [check.name, check.outcome]));

    it('keeps passed equal to outcome != FAILED on every check, and a verdict that only FAILED checks move', async () => {
      const results = [
        await verifier().verify({ credential: await sign(credential({ index: 3 })), recipientEmail: 'ada@example.com' }),
        await verifier().verify({ credential: await sign(credential({ index: 7 })) }),
        await verifier().verify({ credential: await sign(credential({ issuerId: stranger.did }), stranger) }),
        await verifier().verify({ credential: { ...(await sign(credential())), name: 'changed' } }),
      ];
      for (const result of results) {
        for (const check of result.checks) expect(check.passed).toBe(check.outcome !== 'FAILED');
        expect(result.verified).toBe(!result.checks.some((check) => check.outcome === 'FAILED'));
      }
      expect(results.map((result) => result.status)).toEqual(['VALID', 'REVOKED', 'VALID', 'INVALID']);
    });

    it('says SKIPPED for what does not apply: no schema named, no status entry, no recipient asked about', async () => {
      const { credentialSchema: _schema, ...unnamed } = credential();
      const result = await verifier().verify({ credential: await sign(unnamed) });
      expect(outcomes(result)).toEqual({ format: 'PASSED', schema: 'SKIPPED', subject: 'PASSED', proof: 'PASSED', status: 'SKIPPED', validity: 'PASSED', recipient: 'SKIPPED', issuer: 'PASSED' });
      expect(result.status).toBe('VALID');
    });

    it('finds an OB 3.0 credential whose subject names no recipient VALID with a subject WARNING, and fails only a recipient question on it', async () => {
      const unsigned = credential();
      const { identifier: _identifier, ...anonymousSubject } = unsigned.credentialSubject as Record<string, unknown>;
      const signed = await sign({ ...unsigned, credentialSubject: anonymousSubject });
      const result = await verifier().verify({ credential: signed });
      expect(result).toMatchObject({ verified: true, status: 'VALID' });
      expect(result.checks.find((check) => check.name === 'subject')).toMatchObject({ outcome: 'WARNING', passed: true, message: expect.stringMatching(/names no recipient/) });
      const asked = await verifier().verify({ credential: signed, recipientEmail: 'ada@example.com' });
      expect(asked.status).toBe('INVALID');
      expect(failed(asked)).toEqual([expect.stringMatching(/^recipient: The credential names no recipient/)]);
    });
  });

  it('opens baked PNG and SVG badges', async () => {
    const signed = await sign(credential());
    const svg = defaultBadgeSvg({ name: 'Badge', issuerName: 'Issuer', seed: 'x' });
    const png = bakePng(renderPng(svg), signed);
    expect((await verifier().verify({ image: png.toString('base64') })).status).toBe('VALID');
    expect((await verifier().verify({ image: Buffer.from(bakeSvg(svg, signed)).toString('base64') })).status).toBe('VALID');
    const plain = await verifier().verify({ image: renderPng(svg).toString('base64') });
    expect(failed(plain)[0]).toMatch(/carries no baked credential/);
  });

  it('refuses an input that gives none or several of credential, jwt, image and url', async () => {
    await expect(verifier().verify({})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(verifier().verify({ credential: {}, jwt: 'a.b.c' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('verifies the OB 3.0 spec test vector (a https://issuer#z6Mk… key) and finds it tampered when changed', async () => {
    const vector = readConformanceJson('test-vectors/ob-v3p0-eddsa-rdfc-2022/vector.json');
    const signed = vector.signedCredential ?? vector.signed ?? vector.credential;
    expect(signed.proof).toBeDefined();
    const { createVerifierDocumentLoader } = await import('./document-loader.js');
    const loader = createVerifierDocumentLoader({ fetch: networkForbidden });
    const result = await verifier({ documentLoader: loader }).verify({ credential: signed });
    expect(result.checks.find((check) => check.name === 'proof')).toMatchObject({ passed: true });
    const tampered = await verifier({ documentLoader: loader }).verify({ credential: { ...signed, name: `${String(signed.name)}!` } });
    expect(tampered.checks.find((check) => check.name === 'proof')).toMatchObject({ passed: false });
  });
});

describe('the shape-cached cryptosuite in the verifier', () => {
  it('reaches the same verdict as the stock cryptosuite on varied credentials and on every one-leaf tampering of them', async () => {
    const { createCachingCryptosuite, createCanonicalizer } = await import('../crypto/canonicalizer.js');
    const { generateVariedCredential } = await import('../../test/fixtures/varied-credentials.js');
    const issuer = newIssuer();
    const options = { documentLoader, fetch: networkForbidden, trust: async () => ({ known: true, source: 'test' }), now: () => now };
    const stock = createCredentialVerifier(options);
    const cached = createCredentialVerifier({ ...options, cryptosuites: { 'eddsa-rdfc-2022': createCachingCryptosuite(createCanonicalizer({ documentLoader })) } });
    const verdicts: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      const unsigned = generateVariedCredential(index, { issuerId: issuer.did });
      delete unsigned.credentialStatus;
      const signed = await signCredential({ credential: unsigned, signer: issuer.signer, documentLoader, now: new Date('2026-01-01T00:00:00Z') });
      const name = String(signed.name ?? '');
      for (const variant of [signed, { ...signed, name: `${name}.` }, { ...signed, validFrom: '2025-06-01T00:00:00Z' }, { ...signed, credentialSubject: { ...(signed.credentialSubject as object), id: 'did:example:someone-else' } }]) {
        const [a, b] = await Promise.all([stock.verify({ credential: variant }), cached.verify({ credential: variant })]);
        expect(b.checks.find((check) => check.name === 'proof')!.passed).toBe(a.checks.find((check) => check.name === 'proof')!.passed);
        expect(b.status).toBe(a.status);
        verdicts.push(b.checks.find((check) => check.name === 'proof')!.passed ? 'signed' : 'tampered');
      }
    }
    // Each credential's proof verifies as signed (some break the OB schema on purpose), and every tampering breaks it.
    expect(verdicts.filter((verdict) => verdict === 'signed')).toHaveLength(40);
    expect(verdicts.filter((verdict) => verdict === 'tampered')).toHaveLength(120);
  });
});
