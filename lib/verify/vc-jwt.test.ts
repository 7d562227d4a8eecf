import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentLoader } from '../crypto/document-loader.js';
import { generateRsaSigningKey, signCredentialJwt, type RsaSigningKey } from '../crypto/jwt.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { createSafeFetch } from '../net/safe-fetch.js';
import { createVerifierDocumentLoader } from './document-loader.js';
import { MAX_CREDENTIAL_JWT_BYTES, verifyCredentialJwt } from './vc-jwt.js';

/** JSON documents served by the local key server, by path. */
const served = new Map<string, unknown>();
let server: Server;
let origin: string;

/** The verifier's own SafeFetch and document loader, relaxed only to reach the local key server over http. */
const safeFetch = createSafeFetch({ allowHttp: true, allowedAddresses: ['127.0.0.1'] });
let documentLoader: DocumentLoader;
const deps = () => ({ documentLoader, fetch: safeFetch });

const ed25519 = importSigningKey(generateSigningKey());
const didKey = didKeyFor(ed25519.publicKeyMultibase);
const otherEd25519 = importSigningKey(generateSigningKey());
const otherDidKey = didKeyFor(otherEd25519.publicKeyMultibase);
let rsa: RsaSigningKey;
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

beforeAll(async () => {
  rsa = await generateRsaSigningKey();
  server = createServer((request, response) => {
    const document = served.get(request.url ?? '');
    if (document === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  documentLoader = createVerifierDocumentLoader({ fetch: safeFetch, didWebScheme: 'http' });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function credentialOf(issuerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...buildSampleAchievementCredential({ issuerId }), ...overrides };
}

function signEd25519(credential: Record<string, unknown>, kid = didKey.verificationMethod, privateKey: KeyObject = ed25519.privateKey) {
  return signCredentialJwt({ credential, kid, privateKey, alg: 'EdDSA' });
}

/** Re-encodes one part of a compact JWS, keeping the others (and so the original signature). */
function withPart(jwt: string, index: 0 | 1, edit: (json: Record<string, any>) => Record<string, unknown>): string {
  const parts = jwt.split('.');
  const json = JSON.parse(Buffer.from(parts[index]!, 'base64url').toString('utf8')) as Record<string, any>;
  parts[index] = Buffer.from(JSON.stringify(edit(json))).toString('base64url');
  return parts.join('.');
}

describe('verifyCredentialJwt: valid JWTs', () => {
  it('verifies an EdDSA VC-JWT whose kid is a did:key URL and returns the credential', async () => {
    const credential = credentialOf(didKey.did);
    const outcome = await verifyCredentialJwt(await signEd25519(credential), deps());
    expect(outcome.format).toMatchObject({ name: 'format', passed: true });
    expect(outcome.proof).toMatchObject({ name: 'proof', passed: true });
    expect(outcome.proof.message).toContain(didKey.verificationMethod);
    expect(outcome.credential).toEqual(credential);
    expect(outcome).toMatchObject({ issuerId: didKey.did, kid: didKey.verificationMethod });
  });

  it('verifies an RS256 VC-JWT whose kid is a JWK URL on the issuer host (how Cairn publishes RSA keys)', async () => {
    const issuerId = `${origin}/issuers/acme`;
    const kid = `${origin}/issuers/acme/jwks/rsa-1`;
    served.set('/issuers/acme/jwks/rsa-1', { ...rsa.publicKeyJwk, kid });
    const jwt = await signCredentialJwt({ credential: credentialOf(issuerId), kid, privateKey: rsa.privateKey, alg: 'RS256' });
    const outcome = await verifyCredentialJwt(jwt, deps());
    expect(outcome.proof).toMatchObject({ passed: true });
    expect(outcome.kid).toBe(kid);
  });

  it('picks the key by kid from a JWK Set, for an issuer whose did:web names the same host', async () => {
    const host = new URL(origin).host;
    const issuerId = `did:web:${host.replace(':', '%3A')}:issuers:acme`;
    const kid = `${origin}/issuers/acme/jwks.json#rsa-2`;
    served.set('/issuers/acme/jwks.json', { keys: [{ ...otherRsaJwk(), kid: 'rsa-1' }, { ...rsa.publicKeyJwk, kid: 'rsa-2' }] });
    const jwt = await signCredentialJwt({ credential: credentialOf(issuerId), kid, privateKey: rsa.privateKey, alg: 'RS256' });
    expect((await verifyCredentialJwt(jwt, deps())).proof).toMatchObject({ passed: true });
  });

  it('verifies ES256 with a did:jwk P-256 key, with or without a kid', async () => {
    const jwk = p256.publicKey.export({ format: 'jwk' });
    const did = `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
    const credential = credentialOf(did);
    for (const header of [{ alg: 'ES256', kid: `${did}#0` }, { alg: 'ES256' }]) {
      const jwt = await new SignJWT({ iss: did, jti: credential.id as string, vc: credential }).setProtectedHeader(header).sign(p256.privateKey);
      const outcome = await verifyCredentialJwt(jwt, deps());
      expect(outcome.proof).toMatchObject({ passed: true });
      expect(outcome.kid).toBe(`${did}#0`);
    }
  });

  it('verifies RS256 with a did:jwk issuer (the key is the DID)', async () => {
    const did = `did:jwk:${Buffer.from(JSON.stringify(rsa.publicKeyJwk)).toString('base64url')}`;
    const jwt = await signCredentialJwt({ credential: credentialOf(did), kid: `${did}#0`, privateKey: rsa.privateKey, alg: 'RS256' });
    expect((await verifyCredentialJwt(jwt, deps())).proof).toMatchObject({ passed: true });
  });

  it('verifies EdDSA with a did:web issuer whose DID document is served by its host', async () => {
    const did = `did:web:${new URL(origin).host.replace(':', '%3A')}:issuers:web`;
    const kid = `${did}#key-1`;
    served.set('/issuers/web/did.json', {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: did,
      verificationMethod: [{ id: kid, type: 'Multikey', controller: did, publicKeyMultibase: ed25519.publicKeyMultibase }],
      assertionMethod: ['#key-1'],
    });
    const outcome = await verifyCredentialJwt(await signEd25519(credentialOf(did), kid), deps());
    expect(outcome.proof).toMatchObject({ passed: true });
  });

  it('accepts the 1EdTech https://issuer#z6Mk… key convention through the document loader, without fetching', async () => {
    const issuerId = 'https://issuer.example/profile';
    const kid = `${issuerId}#${ed25519.publicKeyMultibase}`;
    const outcome = await verifyCredentialJwt(await signEd25519(credentialOf(issuerId), kid), deps());
    expect(outcome.proof).toMatchObject({ passed: true });
    const elsewhere = await verifyCredentialJwt(await signEd25519(credentialOf('https://other.example/profile'), kid), deps());
    expect(elsewhere.proof.message).toContain('not by the issuer https://other.example/profile');
  });

  it('refuses a DID key that its DID document does not authorise for assertions', async () => {
    const did = `did:web:${new URL(origin).host.replace(':', '%3A')}:issuers:auth-only`;
    const kid = `${did}#key-1`;
    served.set('/issuers/auth-only/did.json', {
      id: did,
      verificationMethod: [{ id: kid, type: 'Multikey', controller: did, publicKeyMultibase: ed25519.publicKeyMultibase }],
      authentication: [kid],
    });
    const outcome = await verifyCredentialJwt(await signEd25519(credentialOf(did), kid), deps());
    expect(outcome.proof.message).toContain('not listed as an assertionMethod');
  });

  it('verifies a VC-JOSE 2.0 JWT (typ vc+jwt) whose payload is the credential itself', async () => {
    const credential = credentialOf(didKey.did);
    const jwt = await new SignJWT(credential).setProtectedHeader({ alg: 'EdDSA', kid: didKey.verificationMethod, typ: 'vc+jwt' }).sign(ed25519.privateKey);
    const outcome = await verifyCredentialJwt(jwt, deps());
    expect(outcome.format.message).toContain('VC-JOSE 2.0');
    expect(outcome.proof.passed).toBe(true);
    expect(outcome.credential).toEqual(credential);
  });

  it('fills the credential from the claims (VC 2.0 names with the v2 context, VC 1.1 names otherwise)', async () => {
    const { issuer: _issuer, id: _id, validFrom: _from, validUntil: _until, ...bare } = credentialOf(didKey.did);
    const claims = { iss: didKey.did, jti: 'urn:uuid:abc', sub: 'did:example:alice', nbf: 1_704_067_200, exp: 4_070_908_800 };
    const v2 = await new SignJWT({ ...claims, vc: { ...bare, credentialSubject: { type: ['AchievementSubject'] } } })
      .setProtectedHeader({ alg: 'EdDSA', kid: didKey.verificationMethod })
      .sign(ed25519.privateKey);
    const v2Outcome = await verifyCredentialJwt(v2, deps());
    expect(v2Outcome.credential).toMatchObject({
      issuer: didKey.did,
      id: 'urn:uuid:abc',
      credentialSubject: { id: 'did:example:alice' },
      validFrom: '2024-01-01T00:00:00Z',
      validUntil: '2099-01-01T00:00:00Z',
    });
    const v1 = await new SignJWT({ ...claims, vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: {} } })
      .setProtectedHeader({ alg: 'EdDSA', kid: didKey.verificationMethod })
      .sign(ed25519.privateKey);
    expect((await verifyCredentialJwt(v1, deps())).credential).toMatchObject({
      issuanceDate: '2024-01-01T00:00:00Z',
      expirationDate: '2099-01-01T00:00:00Z',
    });
  });

  it('reports a passing proof for an expired credential: validity is the orchestrator’s call', async () => {
    const credential = credentialOf(didKey.did, { validFrom: '2000-01-01T00:00:00Z', validUntil: '2001-01-01T00:00:00Z' });
    const outcome = await verifyCredentialJwt(await signEd25519(credential), deps());
    expect(outcome.proof.passed).toBe(true);
    expect(outcome.credential?.validUntil).toBe('2001-01-01T00:00:00Z');
  });
});

describe('verifyCredentialJwt: failures are checks, never throws', () => {
  it('fails the proof of a JWT whose payload was altered', async () => {
    const jwt = withPart(await signEd25519(credentialOf(didKey.did)), 1, (payload) => ({ ...payload, vc: { ...payload.vc, name: 'Forged' } }));
    const outcome = await verifyCredentialJwt(jwt, deps());
    expect(outcome.format.passed).toBe(true);
    expect(outcome.proof).toMatchObject({ passed: false, message: expect.stringContaining('does not verify') });
  });

  it('fails the proof of a JWT whose signature was altered', async () => {
    const jwt = await signEd25519(credentialOf(didKey.did));
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const flipped = Buffer.from(signature, 'base64url');
    flipped.writeUInt8(flipped.readUInt8(0) ^ 0xff, 0);
    const outcome = await verifyCredentialJwt(`${header}.${payload}.${flipped.toString('base64url')}`, deps());
    expect(outcome.proof).toMatchObject({ passed: false, message: expect.stringContaining('does not verify') });
  });

  it('fails the proof when the kid names a key other than the one that signed', async () => {
    served.set('/issuers/wrong/jwks/1', { ...otherRsaJwk(), kid: 'x' });
    const rsaJwt = await signCredentialJwt({
      credential: credentialOf(`${origin}/issuers/wrong`),
      kid: `${origin}/issuers/wrong/jwks/1`,
      privateKey: rsa.privateKey,
      alg: 'RS256',
    });
    expect((await verifyCredentialJwt(rsaJwt, deps())).proof.message).toContain('does not verify');
  });

  it('fails the proof when the key is controlled by someone other than the issuer, naming both', async () => {
    // Signed by another did:key, but claiming to be from didKey.did: a valid signature, by the wrong party.
    const jwt = await signEd25519(credentialOf(didKey.did), otherDidKey.verificationMethod, otherEd25519.privateKey);
    const outcome = await verifyCredentialJwt(jwt, deps());
    expect(outcome.proof.passed).toBe(false);
    expect(outcome.proof.message).toContain(otherDidKey.did);
    expect(outcome.proof.message).toContain(didKey.did);
  });

  it('fails the proof of a bare JWK published on a host that is not the issuer’s', async () => {
    served.set('/jwks/stray', rsa.publicKeyJwk);
    const jwt = await signCredentialJwt({ credential: credentialOf('https://issuer.example'), kid: `${origin}/jwks/stray`, privateKey: rsa.privateKey, alg: 'RS256' });
    expect((await verifyCredentialJwt(jwt, deps())).proof.message).toMatch(/not the issuer https:\/\/issuer\.example's host/);
  });

  it('refuses alg none and HS256 as proofs', async () => {
    const payload = Buffer.from(JSON.stringify({ iss: didKey.did, vc: credentialOf(didKey.did) })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: didKey.verificationMethod })).toString('base64url')}.${payload}.`;
    expect((await verifyCredentialJwt(none, deps())).proof).toMatchObject({ passed: false, message: expect.stringContaining('alg none refused') });
    const hs256 = await new SignJWT({ vc: credentialOf(didKey.did) }).setProtectedHeader({ alg: 'HS256', kid: didKey.verificationMethod }).sign(new Uint8Array(32));
    expect((await verifyCredentialJwt(hs256, deps())).proof.message).toContain('alg HS256 refused');
  });

  it('refuses an alg that does not fit the key (RS256 header, Ed25519 key)', async () => {
    const jwt = withPart(await signEd25519(credentialOf(didKey.did)), 0, (header) => ({ ...header, alg: 'RS256' }));
    expect((await verifyCredentialJwt(jwt, deps())).proof.message).toMatch(/RS256 needs an RSA key.*ed25519/);
  });

  it('fails the format when a claim disagrees with the credential, naming the field', async () => {
    const credential = credentialOf(didKey.did);
    for (const [claim, value, field] of [['jti', 'urn:uuid:other', 'id'], ['nbf', 0, 'validFrom'], ['iss', otherDidKey.did, 'issuer']] as const) {
      const jwt = await new SignJWT({ [claim]: value, vc: credential }).setProtectedHeader({ alg: 'EdDSA', kid: didKey.verificationMethod }).sign(ed25519.privateKey);
      const outcome = await verifyCredentialJwt(jwt, deps());
      expect(outcome.format).toMatchObject({ passed: false, message: expect.stringContaining(field) });
      expect(outcome.credential).toBeNull();
    }
  });

  it('fails the proof without a kid when iss is not a DID, saying why', async () => {
    const jwt = await new SignJWT({ iss: 'https://issuer.example', vc: credentialOf('https://issuer.example') }).setProtectedHeader({ alg: 'EdDSA' }).sign(ed25519.privateKey);
    expect((await verifyCredentialJwt(jwt, deps())).proof.message).toMatch(/no kid.*not a DID/);
  });

  it('fails the proof when the kid cannot be fetched, naming the URL', async () => {
    const kid = `${origin}/missing-key`;
    const jwt = await signCredentialJwt({ credential: credentialOf(origin), kid, privateKey: rsa.privateKey, alg: 'RS256' });
    expect((await verifyCredentialJwt(jwt, deps())).proof.message).toContain(kid);
  });

  it.each([
    ['not a JWT', 'three dot-separated parts'],
    ['a.b', 'three dot-separated parts'],
    ['a.b.c.d.e', 'encrypted'],
    ['e30.!!!.sig', 'payload is not base64url'],
    [`${Buffer.from('nope').toString('base64url')}.e30.sig`, 'header is not base64url-encoded JSON'],
    [`${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.sig`, 'not a JSON object'],
    [`${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.e30.sig`, 'no vc claim'],
  ])('fails the format of %j', async (text, cause) => {
    const outcome = await verifyCredentialJwt(text, deps());
    expect(outcome.format).toMatchObject({ passed: false, message: expect.stringContaining(cause) });
    expect(outcome.credential).toBeNull();
  });

  it('refuses input over 1 MB before decoding it, and non-strings', async () => {
    const huge = `e30.${'A'.repeat(MAX_CREDENTIAL_JWT_BYTES)}.sig`;
    expect((await verifyCredentialJwt(huge, deps())).format.message).toContain('larger than');
    expect((await verifyCredentialJwt(null as unknown as string, deps())).format.message).toContain('must be a string');
  });
});

let otherRsa: Record<string, unknown> | undefined;

/** A second RSA public key (made once: RSA generation is slow), for "the kid names another key". */
function otherRsaJwk(): Record<string, unknown> {
  otherRsa ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return otherRsa;
}
