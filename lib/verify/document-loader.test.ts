import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDocumentLoader } from '../crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential } from '../crypto/sign.js';
import { createSafeFetch } from '../net/safe-fetch.js';
import type { SafeFetch } from '../net/types.js';
import { readConformanceJson } from '../../test/helpers/conformance-fixtures.js';
import {
  createVerifierDocumentLoader,
  didWebUrl,
  resolveVerificationMethod,
  verificationMethodToPublicJwk,
  type VerifierDocumentLoaderOptions,
} from './document-loader.js';

/** A SafeFetch that fails the test if called: proves a resolution needed no network. */
const noNetwork: SafeFetch = vi.fn(async (url: string) => {
  throw new Error(`unexpected fetch of ${url}`);
});

beforeEach(() => {
  vi.mocked(noNetwork).mockClear();
});

function offlineLoader(options: Partial<VerifierDocumentLoaderOptions> = {}) {
  return createVerifierDocumentLoader({ fetch: noNetwork, ...options });
}

function didJwkOf(jwk: object): string {
  return `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
}

describe('contexts and other URLs', () => {
  it('serves bundled contexts', async () => {
    const { document } = await offlineLoader()('https://www.w3.org/ns/credentials/v2');
    expect(document).toHaveProperty('@context');
  });

  it('refuses an unknown context, naming it and saying contexts are never fetched', async () => {
    const url = 'https://example.org/contexts/unknown.jsonld';
    await expect(offlineLoader()(url)).rejects.toThrow(/example\.org\/contexts\/unknown\.jsonld.*contexts are never fetched/);
    expect(noNetwork).not.toHaveBeenCalled();
  });

  it('refuses an https key URL whose fragment is not an Ed25519 multikey', async () => {
    await expect(offlineLoader()('https://issuer.example/keys#key-1')).rejects.toThrow(/refuses to load https:\/\/issuer\.example/);
  });
});

describe('did:key', () => {
  const { publicKeyMultibase } = generateSigningKey();
  const { did, verificationMethod } = didKeyFor(publicKeyMultibase);

  it('resolves the DID document and the Multikey verification method without any fetch', async () => {
    const load = offlineLoader();
    expect((await load(did)).document).toMatchObject({ id: did, assertionMethod: [verificationMethod] });
    expect((await load(verificationMethod)).document).toMatchObject({ id: verificationMethod, type: 'Multikey', controller: did, publicKeyMultibase });
    expect(noNetwork).not.toHaveBeenCalled();
  });
});

describe('did:jwk', () => {
  const ed25519Jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const p256Jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });

  it.each([
    ['Ed25519', ed25519Jwk],
    ['P-256', p256Jwk],
  ])('decodes a %s key into a DID document with one JsonWebKey method #0', async (_name, jwk) => {
    const did = didJwkOf(jwk);
    const load = offlineLoader();
    const { document } = await load(did);
    expect(document).toMatchObject({
      id: did,
      verificationMethod: [{ id: `${did}#0`, type: 'JsonWebKey', controller: did, publicKeyJwk: jwk }],
      assertionMethod: [`${did}#0`],
      authentication: [`${did}#0`],
    });
    const method = await resolveVerificationMethod(load, `${did}#0`);
    expect(method).toMatchObject({ id: `${did}#0`, controller: did, '@context': ['https://www.w3.org/ns/did/v1'] });
    expect(await verificationMethodToPublicJwk(method)).toEqual(jwk);
  });

  it('keeps a signing-only key out of keyAgreement', async () => {
    const { document } = await offlineLoader()(didJwkOf({ ...ed25519Jwk, use: 'sig' }));
    expect(document).not.toHaveProperty('keyAgreement');
  });

  it('refuses a JWK with private key material', async () => {
    const privateJwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    await expect(offlineLoader()(didJwkOf(privateJwk))).rejects.toThrow(/private key material \(d\)/);
  });

  it('refuses a value that is not base64url JSON', async () => {
    await expect(offlineLoader()('did:jwk:not*base64')).rejects.toThrow(/did:jwk:not\*base64/);
    await expect(offlineLoader()(`did:jwk:${Buffer.from('[1]').toString('base64url')}`)).rejects.toThrow(/JWK/);
  });
});

describe('did:web', () => {
  let server: Server;
  let host: string;
  let requests = 0;
  const documents = new Map<string, () => object>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests++;
      const document = documents.get(request.url ?? '');
      if (!document) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/did+json' }).end(JSON.stringify(document()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1%3A${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const localFetch = createSafeFetch({ allowHttp: true, allowPrivateNetwork: true, timeoutMs: 2_000 });
  let clock = 0;
  const webLoader = (options: Partial<VerifierDocumentLoaderOptions> = {}) =>
    createVerifierDocumentLoader({ fetch: localFetch, didWebScheme: 'http', now: () => clock, ...options });

  /** Publishes a DID document with one relative-id Multikey verification method, as most did:web hosts write it. */
  function publish(path: string, did: string, publicKeyMultibase: string, id = did): void {
    documents.set(path, () => ({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id,
      verificationMethod: [{ id: '#key-1', type: 'Multikey', controller: did, publicKeyMultibase }],
      assertionMethod: ['#key-1'],
    }));
  }

  it('maps DIDs to document URLs as the did:web spec says', () => {
    expect(didWebUrl('did:web:example.com')).toBe('https://example.com/.well-known/did.json');
    expect(didWebUrl('did:web:example.com:user:alice')).toBe('https://example.com/user/alice/did.json');
    expect(didWebUrl('did:web:example.com%3A8443:u', 'http')).toBe('http://example.com:8443/u/did.json');
    expect(() => didWebUrl('did:web:example.com:..')).toThrow(/invalid path segment/);
    expect(() => didWebUrl('did:web:user@example.com')).toThrow(/not a valid did:web/);
  });

  it('fetches the document, absolutises its ids, and serves a method with @context and controller', async () => {
    const did = `did:web:${host}:issuers:web1`;
    const { publicKeyMultibase } = generateSigningKey();
    publish('/issuers/web1/did.json', did, publicKeyMultibase);
    const load = webLoader();
    expect((await load(did)).document).toMatchObject({ id: did, assertionMethod: [`${did}#key-1`] });
    expect((await load(`${did}#key-1`)).document).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: `${did}#key-1`,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase,
    });
    await expect(load(`${did}#key-2`)).rejects.toThrow(/no verification method .*#key-2/);
  });

  it('resolves a bare host through /.well-known/did.json', async () => {
    const did = `did:web:${host}`;
    publish('/.well-known/did.json', did, generateSigningKey().publicKeyMultibase);
    expect((await webLoader()(did)).document).toMatchObject({ id: did });
  });

  it('caches a document for the TTL and shares one fetch between concurrent loads', async () => {
    const did = `did:web:${host}:issuers:cached`;
    publish('/issuers/cached/did.json', did, generateSigningKey().publicKeyMultibase);
    const load = webLoader({ didWebTtlMs: 60_000 });
    clock = 1_000;
    await Promise.all([load(did), load(`${did}#key-1`), load(did)]);
    expect(load.stats.networkFetches.didWeb).toBe(1);
    clock = 60_999;
    await load(did);
    expect(load.stats.networkFetches.didWeb).toBe(1);
    clock = 61_000;
    await load(did);
    expect(load.stats.networkFetches.didWeb).toBe(2);
    load.clearCache();
    await load(did);
    expect(load.stats.networkFetches.didWeb).toBe(3);
  });

  it('remembers a failure briefly so a down host is not asked again at once', async () => {
    const did = `did:web:${host}:issuers:missing`;
    const load = webLoader();
    clock = 0;
    const before = requests;
    await expect(load(did)).rejects.toThrow(/could not resolve did:web:.*missing.*HTTP 404/);
    await expect(load(did)).rejects.toThrow(/HTTP 404/);
    expect(requests - before).toBe(1);
    clock = 30_000;
    await expect(load(did)).rejects.toThrow(/HTTP 404/);
    expect(requests - before).toBe(2);
  });

  it('refuses a document whose id is not the DID', async () => {
    const did = `did:web:${host}:issuers:impostor`;
    publish('/issuers/impostor/did.json', did, generateSigningKey().publicKeyMultibase, `did:web:${host}:issuers:someone-else`);
    await expect(webLoader()(did)).rejects.toThrow(/has id did:web:.*someone-else, not did:web:/);
  });

  it('passes Ed25519VerificationKey2020 and JsonWebKey2020 methods through untouched', async () => {
    const did = `did:web:${host}:issuers:legacy`;
    const { publicKeyMultibase } = generateSigningKey();
    const publicKeyJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    documents.set('/issuers/legacy/did.json', () => ({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/ed25519-2020/v1'],
      id: did,
      verificationMethod: [
        { id: `${did}#ed`, type: 'Ed25519VerificationKey2020', controller: did, publicKeyMultibase },
        { id: `${did}#jwk`, type: 'JsonWebKey2020', controller: did, publicKeyJwk },
      ],
      assertionMethod: [`${did}#ed`, `${did}#jwk`],
    }));
    const load = webLoader();
    const ed = await resolveVerificationMethod(load, `${did}#ed`);
    expect(ed).toMatchObject({ type: 'Ed25519VerificationKey2020', publicKeyMultibase, '@context': expect.arrayContaining(['https://w3id.org/security/suites/ed25519-2020/v1']) });
    expect(await verificationMethodToPublicJwk(ed)).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    const jwk = await resolveVerificationMethod(load, `${did}#jwk`);
    expect(jwk).toMatchObject({ type: 'JsonWebKey2020', publicKeyJwk });
    expect(await verificationMethodToPublicJwk(jwk)).toEqual(publicKeyJwk);
  });

  it('lets the stock verifier check a credential signed by a did:web issuer', async () => {
    const did = `did:web:${host}:issuers:signer`;
    const key = importSigningKey(generateSigningKey());
    publish('/issuers/signer/did.json', did, key.publicKeyMultibase);
    const signed = await signCredential({
      credential: buildSampleAchievementCredential({ issuerId: did }),
      signer: { verificationMethod: `${did}#key-1`, privateKey: key.privateKey },
      documentLoader: createDocumentLoader(),
    });
    const load = webLoader();
    const result = await vc.verifyCredential({ credential: signed, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: load });
    expect(result.error?.errors?.map((error) => error.message) ?? result.error?.message).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(load.stats.networkFetches.didWeb).toBe(1);
  });
});

describe("this hub's own DIDs", () => {
  it('asks resolveLocalDid first, with the bare DID, and never fetches', async () => {
    const did = 'did:web:cairn.example:issuers:1';
    const { publicKeyMultibase } = generateSigningKey();
    const resolveLocalDid = vi.fn(async (asked: string) =>
      asked === did
        ? {
            '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
            id: did,
            verificationMethod: [{ id: `${did}#key-1`, type: 'Multikey', controller: did, publicKeyMultibase }],
            assertionMethod: [`${did}#key-1`],
          }
        : null,
    );
    const load = offlineLoader({ resolveLocalDid });
    expect((await load(`${did}#key-1`)).document).toMatchObject({ id: `${did}#key-1`, publicKeyMultibase });
    expect(resolveLocalDid).toHaveBeenCalledWith(did);
    expect(noNetwork).not.toHaveBeenCalled();
    expect(load.stats.networkFetches.didWeb).toBe(0);
  });
});

describe('the 1EdTech fragment-key convention (https://issuer#z6Mk…)', () => {
  const { publicKeyMultibase } = generateSigningKey();
  const controller = 'https://issuer.example/issuers/7';
  const methodId = `${controller}#${publicKeyMultibase}`;

  it('serves the fragment as a Multikey, then a controller document listing it, without fetching', async () => {
    const load = offlineLoader();
    await expect(load(controller)).rejects.toThrow(/never fetched/);
    expect((await load(methodId)).document).toEqual({
      '@context': 'https://w3id.org/security/multikey/v1',
      id: methodId,
      type: 'Multikey',
      controller,
      publicKeyMultibase,
    });
    expect((await load(controller)).document).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: controller,
      assertionMethod: [methodId],
      authentication: [methodId],
    });
    expect(noNetwork).not.toHaveBeenCalled();
  });

  it('verifies the OB 3.0 eddsa-rdfc-2022 test vector with the stock verifier and no network', async () => {
    const vector = readConformanceJson<{ signedCredential: Record<string, unknown> }>('test-vectors/ob-v3p0-eddsa-rdfc-2022/vector.json');
    const credential = vector.signedCredential;
    const result = await vc.verifyCredential({
      credential,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: offlineLoader(),
      ...('credentialStatus' in credential && { checkStatus: async () => ({ verified: true }) }),
    });
    expect(result.error?.errors?.map((error) => error.message) ?? result.error?.message).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(noNetwork).not.toHaveBeenCalled();

    const tampered = { ...credential, name: 'Teamwork Badge!' };
    const tamperedResult = await vc.verifyCredential({ credential: tampered, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: offlineLoader() });
    expect(tamperedResult.verified).toBe(false);
  });
});

describe('keys for the JWT and OB 2.0 verifiers', () => {
  it('turns a Multikey into the same OKP JWK node:crypto exports', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const x = publicKey.export({ format: 'jwk' }).x as string;
    const { ed25519PublicKeyToMultibase } = await import('../crypto/multibase.js');
    const publicKeyMultibase = ed25519PublicKeyToMultibase(Buffer.from(x, 'base64url'));
    expect(await verificationMethodToPublicJwk({ type: 'Multikey', publicKeyMultibase })).toEqual({ kty: 'OKP', crv: 'Ed25519', x });
  });

  it('refuses methods without a usable public key', async () => {
    await expect(verificationMethodToPublicJwk({ id: 'x#1', type: 'Multikey', publicKeyMultibase: 'zDnaeXYZ' })).rejects.toThrow(/only Ed25519/);
    await expect(verificationMethodToPublicJwk({ id: 'x#2', type: 'RsaVerificationKey2018' })).rejects.toThrow(/no usable public key/);
    await expect(verificationMethodToPublicJwk({ publicKeyJwk: { kty: 'oct', k: 'c2VjcmV0' } })).rejects.toThrow(/private key material \(k\)/);
  });

  it('resolveVerificationMethod refuses a URL that names a whole DID document', async () => {
    const { did } = didKeyFor(generateSigningKey().publicKeyMultibase);
    await expect(resolveVerificationMethod(offlineLoader(), did)).rejects.toThrow(/does not resolve to a verification method/);
  });
});

describe('misuse', () => {
  it('throws TypeError at construction', () => {
    expect(() => createVerifierDocumentLoader({} as VerifierDocumentLoaderOptions)).toThrow(TypeError);
    expect(() => createVerifierDocumentLoader({ fetch: noNetwork, resolveLocalDid: 'x' as never })).toThrow(TypeError);
  });
});
