import { gzipSync } from 'node:zlib';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsa2022 } from '@digitalbazaar/eddsa-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentLoader, type DocumentLoader } from '../crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../crypto/keys.js';
import { signCredential } from '../crypto/sign.js';
import type { SafeFetch } from '../net/types.js';
import { conformanceJsonFiles, readConformanceJson } from '../../test/helpers/conformance-fixtures.js';
import { createVerifierDocumentLoader } from './document-loader.js';
import type { VerificationResult } from './types.js';
import { createCredentialVerifier } from './verify-credential.js';

// Credentials from other implementations and eras: the 1EdTech test vectors, every OB 3.0 spec example (re-issued
// under a test key), eddsa-2022 and Ed25519Signature2020 proofs, VC 1.1 and StatusList2021, as other tools make them.
// None of it may touch the network: the fetch throws.

const networkForbidden: SafeFetch = async (url) => {
  throw new Error(`the verifier tried to fetch ${url}`);
};

/** The stock libraries mutate contexts while signing; Cairn's shared contexts are frozen, so signing gets copies. */
function copyingLoader(): DocumentLoader {
  const loader = createDocumentLoader();
  return async (url) => {
    const loaded = await loader(url);
    return { ...loaded, document: structuredClone(loaded.document) };
  };
}

const lists = new Map<string, Record<string, unknown>>();
const verifier = createCredentialVerifier({
  documentLoader: createVerifierDocumentLoader({ fetch: networkForbidden }),
  fetch: networkForbidden,
  loadStatusList: async (url) => {
    const list = lists.get(url);
    if (!list) throw new Error(`no list at ${url}`);
    return list;
  },
  trust: async () => ({ known: false, source: null }),
});

const failures = (result: VerificationResult) => result.checks.filter((check) => !check.passed && check.name !== 'issuer').map((check) => `${check.name}: ${check.message}`);

describe('the 1EdTech eddsa-rdfc-2022 test vectors', () => {
  for (const name of ['ob-v3p0-eddsa-rdfc-2022', 'clr-v2p0-eddsa-rdfc-2022']) {
    it(`${name} verifies (proof by the https://issuer#z6Mk… key), and a changed byte fails it`, async () => {
      const signed = readConformanceJson(`test-vectors/${name}/vector.json`).signedCredential;
      const result = await verifier.verify({ credential: signed });
      expect(failures(result)).toEqual([]);
      expect(result).toMatchObject({ status: 'VALID', issuer: { known: false } });
      const changed = await verifier.verify({ credential: { ...signed, validFrom: signed.validFrom.replace('2010', '2011') } });
      expect(changed.status).toBe('INVALID');
      expect(failures(changed)[0]).toMatch(/^proof:/);
    });
  }
});

describe('the OB 3.0 spec examples, signed with a test key', () => {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  /** What each example must come to; the reasons are the spec's own quirks, named by the verifier. */
  const expected: Record<string, { status: string; failure?: RegExp }> = {
    'fullOpenBadge--complete-openbadgecredential.json': { status: 'STATUS_UNKNOWN', failure: /^status: .*status method 1EdTechRevocationList is not supported/ },
    'recommended-practices--skill-assertion-credential-registry.json': { status: 'INVALID', failure: /^schema: .*\/credentialSubject\/type must be array/ },
  };

  for (const file of conformanceJsonFiles('examples/ob-v3p0')) {
    const example = readConformanceJson(`examples/ob-v3p0/${file}`);
    const contexts: string[] = example['@context'];
    const unbundled = contexts.find((context) => context === 'https://www.w3.org/2018/credentials/examples/v2');
    it(`${file}`, async () => {
      if (unbundled) {
        // The spec cites a context that was never published at that URL: the verifier names it instead of fetching.
        const result = await verifier.verify({ credential: example });
        expect(failures(result)).toEqual([`format: Unknown JSON-LD context ${unbundled}: contexts are never fetched, and this one is not bundled`]);
        return;
      }
      if (typeof example.issuer === 'string') example.issuer = did;
      else example.issuer.id = did;
      let signed: Record<string, unknown>;
      try {
        signed = await signCredential({ credential: example, signer: { verificationMethod, privateKey: key.privateKey }, documentLoader: createDocumentLoader() });
      } catch (error) {
        // The OB 2.0 → 3.0 migration example uses compacted string types that JSON-LD safe mode refuses to sign.
        expect(file).toMatch(/^migrating--/);
        expect((error as Error).message).toMatch(/Safe mode validation error/);
        return;
      }
      const result = await verifier.verify({ credential: signed });
      const wanted = expected[file] ?? { status: 'VALID' };
      expect(result.status).toBe(wanted.status);
      if (wanted.failure) expect(failures(result)).toEqual([expect.stringMatching(wanted.failure)]);
      else expect(failures(result)).toEqual([]);
    });
  }
});

describe('proof suites and data models of other tools', () => {
  let issuer: string;
  let signer: Awaited<ReturnType<typeof Ed25519Multikey.from>>;
  let stranger: Awaited<ReturnType<typeof Ed25519Multikey.from>>;
  const LIST_2021 = 'https://status.example/2021/lists/1';

  async function keyFor(): Promise<Awaited<ReturnType<typeof Ed25519Multikey.from>>> {
    const generated = await Ed25519Multikey.generate();
    const controller = `did:key:${generated.publicKeyMultibase}`;
    const exported = await generated.export({ publicKey: true, secretKey: true, includeContext: true });
    return Ed25519Multikey.from({ ...exported, id: `${controller}#${generated.publicKeyMultibase}`, controller });
  }

  function vc11(extra: Record<string, unknown> = {}) {
    return {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/vc/status-list/2021/v1', 'https://w3id.org/security/suites/ed25519-2020/v1'],
      id: 'urn:uuid:5b1f3a52-1111-4c1e-9e0a-2f6f1c2b3a4d',
      type: ['VerifiableCredential'],
      issuer,
      issuanceDate: '2020-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:holder' },
      ...extra,
    };
  }

  const sign2020 = (credential: Record<string, unknown>, by = signer) =>
    vc.issue({ credential: structuredClone(credential), suite: new Ed25519Signature2020({ signer: by.signer() }), documentLoader: copyingLoader() });

  beforeAll(async () => {
    signer = await keyFor();
    stranger = await keyFor();
    issuer = signer.controller!;
    const bits = Buffer.alloc(131_072 / 8);
    bits[0] = 0b0000_0100; // index 5 revoked (index 0 is the most significant bit of byte 0)
    lists.set(
      LIST_2021,
      await sign2020({
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/vc/status-list/2021/v1', 'https://w3id.org/security/suites/ed25519-2020/v1'],
        id: LIST_2021,
        type: ['VerifiableCredential', 'StatusList2021Credential'],
        issuer,
        issuanceDate: '2020-01-01T00:00:00Z',
        credentialSubject: { id: `${LIST_2021}#list`, type: 'StatusList2021', statusPurpose: 'revocation', encodedList: gzipSync(bits).toString('base64') },
      }),
    );
  });

  it('verifies a VC 1.1 credential with an Ed25519Signature2020 proof, and refuses it tampered or signed by another key', async () => {
    const signed = await sign2020(vc11());
    expect(failures(await verifier.verify({ credential: signed }))).toEqual([]);
    expect((await verifier.verify({ credential: signed })).credential).toMatchObject({ format: 'VC_1_1', validFrom: '2020-01-01T00:00:00.000Z' });
    expect((await verifier.verify({ credential: { ...signed, issuanceDate: '2021-01-01T00:00:00Z' } })).status).toBe('INVALID');
    const forged = await sign2020(vc11(), stranger);
    const wrongKey = { ...forged, proof: { ...(forged.proof as Record<string, unknown>), verificationMethod: (signed.proof as Record<string, unknown>).verificationMethod } };
    expect(failures(await verifier.verify({ credential: wrongKey }))).toEqual([expect.stringMatching(/^proof: The Ed25519Signature2020 proof by did:key:.* does not verify/)]);
  });

  it('reads VC 1.1 expirationDate as the end of validity', async () => {
    const result = await verifier.verify({ credential: await sign2020(vc11({ expirationDate: '2021-01-01T00:00:00Z' })) });
    expect(result.status).toBe('EXPIRED');
  });

  it('reads StatusList2021 entries (base64 list without multibase prefix) and the bit itself', async () => {
    const entry = (index: number) => ({ credentialStatus: { id: `${LIST_2021}#${index}`, type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: LIST_2021 } });
    expect((await verifier.verify({ credential: await sign2020(vc11(entry(5))) })).status).toBe('REVOKED');
    expect((await verifier.verify({ credential: await sign2020(vc11(entry(6))) })).status).toBe('VALID');
  });

  it('verifies an eddsa-2022 Data Integrity proof (the suite before eddsa-rdfc-2022)', async () => {
    const credential = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer, validFrom: '2024-01-01T00:00:00Z', credentialSubject: { id: 'did:example:holder' } };
    const signed = await vc.issue({ credential, suite: new DataIntegrityProof({ signer: signer.signer(), cryptosuite: eddsa2022 }), documentLoader: copyingLoader() });
    const result = await verifier.verify({ credential: signed });
    expect(failures(result)).toEqual([]);
    expect(result.checks.find((check) => check.name === 'proof')!.message).toMatch(/DataIntegrityProof \(eddsa-2022\)/);
  });

  it('names a proof type it cannot check instead of passing it', async () => {
    const signed = await sign2020(vc11());
    const result = await verifier.verify({ credential: { ...signed, proof: { ...(signed.proof as Record<string, unknown>), type: 'BbsBlsSignature2020' } } });
    expect(failures(result)).toEqual([expect.stringMatching(/unsupported proof type BbsBlsSignature2020/)]);
  });
});

describe('shapes other issuers and wallets produce', () => {
  let signer: Awaited<ReturnType<typeof Ed25519Multikey.from>>;
  let issuer: string;
  const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
  const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1';

  beforeAll(async () => {
    const generated = await Ed25519Multikey.generate();
    const controller = `did:key:${generated.publicKeyMultibase}`;
    const exported = await generated.export({ publicKey: true, secretKey: true, includeContext: true });
    signer = await Ed25519Multikey.from({ ...exported, id: `${controller}#${generated.publicKeyMultibase}`, controller });
    issuer = controller;
  });

  /** An OB 3.0 credential as open-source issuers emit it: a name and an achievement, no subject id nor identifier. */
  function openBadge(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      '@context': ['https://www.w3.org/ns/credentials/v2', OB_CONTEXT],
      id: 'urn:uuid:2d9c8d4e-57a4-4a3b-9d51-0f7c7e0c1a11',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'Teamwork',
      issuer,
      validFrom: '2024-03-01T00:00:00Z',
      credentialSubject: {
        type: ['AchievementSubject'],
        achievement: { id: 'https://badges.example.org/achievements/teamwork', type: ['Achievement'], name: 'Teamwork', description: 'Works well in a team.', criteria: { narrative: 'Led a group project.' } },
      },
      ...overrides,
    };
  }

  const dataIntegrity = () => new DataIntegrityProof({ signer: signer.signer(), cryptosuite: eddsaRdfc2022 });
  const issue = (credential: Record<string, unknown>, suite: unknown = dataIntegrity()) => vc.issue({ credential: structuredClone(credential), suite, documentLoader: copyingLoader() });
  const outcomeOf = (result: VerificationResult, name: string) => result.checks.find((check) => check.name === name)?.outcome;

  it('an OB 3.0 (VC 2.0) credential with no subject id, issuer as a string: VALID, warning that it names no recipient', async () => {
    const result = await verifier.verify({ credential: await issue(openBadge()) });
    expect(failures(result)).toEqual([]);
    expect(result).toMatchObject({ verified: true, status: 'VALID' });
    expect(outcomeOf(result, 'subject')).toBe('WARNING');
    expect(outcomeOf(result, 'issuer')).toBe('WARNING');
    expect(result.checks.some((check) => check.outcome === 'FAILED')).toBe(false);
  });

  it('issuer as a Profile, validUntil in the far future', async () => {
    const credential = openBadge({ issuer: { id: issuer, type: ['Profile'], name: 'Open Badge Factory' }, validUntil: '9999-12-31T23:59:59Z' });
    const result = await verifier.verify({ credential: await issue(credential) });
    expect(result).toMatchObject({ status: 'VALID', credential: { issuerName: 'Open Badge Factory', validUntil: '9999-12-31T23:59:59.000Z' } });
  });

  it('OB 3.0 on VC 1.1 (issuanceDate, expirationDate) with an Ed25519Signature2020 proof', async () => {
    const { validFrom: _validFrom, ...rest } = openBadge();
    const credential = {
      ...rest,
      '@context': ['https://www.w3.org/2018/credentials/v1', OB_CONTEXT, ED25519_2020_CONTEXT],
      issuanceDate: '2024-03-01T00:00:00Z',
      expirationDate: '2090-01-01T00:00:00Z',
    };
    const signed = await issue(credential, new Ed25519Signature2020({ signer: signer.signer() }));
    const result = await verifier.verify({ credential: signed });
    expect(failures(result)).toEqual([]);
    expect(result).toMatchObject({ status: 'VALID', credential: { format: 'VC_1_1', validUntil: '2090-01-01T00:00:00.000Z' } });
    expect((await verifier.verify({ credential: { ...signed, expirationDate: '2091-01-01T00:00:00Z' } })).status).toBe('INVALID');
  });

  it('Ed25519Signature2020 and DataIntegrityProof on the same credential: both verify, and either one forged fails it', async () => {
    const credential = openBadge({ '@context': ['https://www.w3.org/ns/credentials/v2', OB_CONTEXT, ED25519_2020_CONTEXT] });
    const first = await issue(credential);
    const both = await vc.issue({ credential: structuredClone(first), suite: new Ed25519Signature2020({ signer: signer.signer() }), documentLoader: copyingLoader() });
    const proofs = both.proof as Array<Record<string, unknown>>;
    expect(proofs.map((proof) => proof.type)).toEqual(['DataIntegrityProof', 'Ed25519Signature2020']);
    const result = await verifier.verify({ credential: both });
    expect(failures(result)).toEqual([]);
    expect(result.checks.find((check) => check.name === 'proof')!.message).toMatch(/All 2 proofs verify/);
    const forged = { ...both, proof: [proofs[0], { ...proofs[1], proofValue: proofs[0]!.proofValue }] };
    expect(failures(await verifier.verify({ credential: forged }))).toEqual([expect.stringMatching(/^proof: The Ed25519Signature2020 proof .*\(proof 2 of 2\) does not verify/)]);
  });

  describe('proof chains (Data Integrity §4.4: previousProof)', () => {
    /** Adds a proof that signs the document together with the proofs it names (as the spec's "add proof chain" does). */
    async function addChainedProof(document: Record<string, unknown>, id: string, previousIds: string | string[]): Promise<Record<string, unknown>> {
      const existing = Array.isArray(document.proof) ? (document.proof as Array<Record<string, unknown>>) : [document.proof as Record<string, unknown>];
      const previous = existing.filter((proof) => [previousIds].flat().includes(proof.id as string));
      const suite = dataIntegrity();
      Object.assign(suite, { proof: { id, previousProof: previousIds } });
      const chained = new Proxy(suite, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property === 'createProof' && typeof value === 'function') {
            return (options: { document: Record<string, unknown> }) => value.call(target, { ...options, document: { ...options.document, proof: previous } });
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const { proof: _proof, ...unsigned } = document;
      const signed = await jsigs.sign(structuredClone(unsigned), { suite: chained, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader: copyingLoader() });
      return { ...document, proof: [...existing, signed.proof] };
    }

    async function chainOfTwo(firstBy = signer) {
      const first = new DataIntegrityProof({ signer: firstBy.signer(), cryptosuite: eddsaRdfc2022 });
      Object.assign(first, { proof: { id: 'urn:uuid:proof-1' } });
      return addChainedProof(await issue(openBadge(), first), 'urn:uuid:proof-2', 'urn:uuid:proof-1');
    }

    it('follows previousProof (a string or a list) and verifies each proof of the chain', async () => {
      const chain = await chainOfTwo();
      const result = await verifier.verify({ credential: chain });
      expect(failures(result)).toEqual([]);
      expect(result.checks.find((check) => check.name === 'proof')!.message).toMatch(/All 2 proofs verify/);
      const third = await addChainedProof(chain, 'urn:uuid:proof-3', ['urn:uuid:proof-1', 'urn:uuid:proof-2']);
      expect(failures(await verifier.verify({ credential: third }))).toEqual([]);
    });

    it('accepts a chain started by a co-signer (as the W3C eddsa suite’s chains are), but not a credential no proof of the issuer signs', async () => {
      const generated = await Ed25519Multikey.generate();
      const witnessDid = `did:key:${generated.publicKeyMultibase}`;
      const witness = await Ed25519Multikey.from({ ...(await generated.export({ publicKey: true, secretKey: true, includeContext: true })), id: `${witnessDid}#${generated.publicKeyMultibase}`, controller: witnessDid });
      const chain = await chainOfTwo(witness);
      const result = await verifier.verify({ credential: chain });
      expect(failures(result)).toEqual([]);
      expect(result.checks.find((check) => check.name === 'proof')!.message).toContain(`co-signed by ${witnessDid}`);
      const witnessOnly = { ...chain, proof: [(chain.proof as unknown[])[0]] };
      expect(failures(await verifier.verify({ credential: witnessOnly }))).toEqual([expect.stringMatching(/no proof is by the issuer/)]);
    });

    it('fails a chain whose previous proof is missing, naming it, and one whose previous proof was swapped', async () => {
      const chain = await chainOfTwo();
      const proofs = chain.proof as Array<Record<string, unknown>>;
      const broken = await verifier.verify({ credential: { ...chain, proof: [proofs[1]] } });
      expect(failures(broken)).toEqual([expect.stringMatching(/^proof: .*previousProof urn:uuid:proof-1 is not among the document's proofs/)]);
      const renamed = { ...chain, proof: [proofs[0], { ...proofs[1], previousProof: 'urn:uuid:proof-0' }] };
      expect(failures(await verifier.verify({ credential: renamed }))).toEqual([expect.stringMatching(/previousProof urn:uuid:proof-0/)]);
      // The chained proof covered the first proof as it was: a first proof re-made at another time does not fit the chain.
      const later = new DataIntegrityProof({ signer: signer.signer(), cryptosuite: eddsaRdfc2022, date: '2030-01-01T00:00:00Z' });
      const remade = await issue(openBadge(), Object.assign(later, { proof: { id: 'urn:uuid:proof-1' } }));
      expect(failures(await verifier.verify({ credential: remade }))).toEqual([]);
      const swapped = { ...chain, proof: [(remade.proof as Record<string, unknown>), proofs[1]] };
      expect(failures(await verifier.verify({ credential: swapped }))).toEqual([expect.stringMatching(/^proof: .*\(proof 2 of 2\) does not verify/)]);
    });
  });
});
