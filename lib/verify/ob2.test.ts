import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashIdentity } from '../crypto/identity-hash.js';
import { defaultBadgeSvg } from '../badges/default-image.js';
import { encodePngChunk, iTXtData } from '../badges/png-chunks.js';
import { renderPng } from '../badges/render.js';
import { createVerifierDocumentLoader } from './document-loader.js';
import { MAX_OB2_INPUT_BYTES, verifyOb2Assertion, type Ob2VerificationOutcome } from './ob2.js';
import { createCredentialVerifier } from './verify-credential.js';
import { createSafeFetch } from '../net/safe-fetch.js';
import type { SafeFetch } from '../net/types.js';
import { readConformanceText } from '../../test/helpers/conformance-fixtures.js';

const BETH = 'beth@example.org';
/** Inside the example assertion's window (issuedOn 2016-12-31, expires 2017-06-30). */
const DURING = new Date('2017-03-01T00:00:00Z');

type Json = Record<string, any>;
/** What the local issuer host serves, by path: a JSON document, or a bare HTTP status. */
let routes: Map<string, Json | number>;
let server: Server;
let origin: string;
let fetchedUrls: string[];

/** The verifier's own SafeFetch, relaxed only to reach the local issuer host over http, recording what it was asked for. */
const verifierFetch = createSafeFetch({ allowHttp: true, allowedAddresses: ['127.0.0.1'] });
const safeFetch: SafeFetch = (url, options) => {
  fetchedUrls.push(url);
  return verifierFetch(url, options);
};

/** A spec example with its https://example.org URLs moved to the local issuer host. */
function example(name: string): Json {
  const text = readConformanceText(`examples/ob-v2p0/${name}.json`);
  return JSON.parse(text.replaceAll('https://example.org', origin)) as Json;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed25519 = generateKeyPairSync('ed25519');

let hostedAssertion: Json;
let signedClaims: Json;

beforeAll(async () => {
  server = createServer((request, response) => {
    const route = routes.get(request.url ?? '');
    if (route === undefined) return void response.writeHead(404).end();
    if (typeof route === 'number') return void response.writeHead(route).end();
    response.writeHead(200, { 'content-type': 'application/ld+json' }).end(JSON.stringify(route));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  fetchedUrls = [];
  const recipient = { type: 'email', hashed: true, salt: 'deadsea', identity: hashIdentity(BETH, 'deadsea') };
  hostedAssertion = { ...example('assertion-example'), recipient };
  signedClaims = { ...example('signed-badges-example-claims'), recipient };
  routes = new Map<string, Json | number>([
    ['/beths-robotics-badge.json', hostedAssertion],
    ['/robotics-badge.json', example('badgeclass-example')],
    ['/organization.json', example('issuer-profile-example')],
    ['/publicKey.json', { ...example('cryptographickey-example'), publicKeyPem: pemOf(rsa.publicKey) }],
    ['/revocationList.json', example('revocationlist-example')],
  ]);
});

function pemOf(publicKey: KeyObject): string {
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

function sign(claims: Json, privateKey: KeyObject = rsa.privateKey, alg = 'RS256'): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg }).sign(privateKey);
}

function check(outcome: Ob2VerificationOutcome, name: string) {
  return outcome.checks.find((entry) => entry.name === name)!;
}

describe('verifyOb2Assertion: hosted', () => {
  it('verifies the spec example assertion against its hosted copy, BadgeClass and issuer', async () => {
    const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING });
    expect(outcome.checks.map((entry) => [entry.name, entry.passed])).toEqual([
      ['format', true],
      ['proof', true],
      ['status', true],
      ['validity', true],
      ['recipient', true],
    ]);
    expect(outcome.status).toBe('VALID');
    expect(outcome).toMatchObject({ issuerId: `${origin}/organization.json`, issuerName: 'An Example Badge Issuer' });
    expect(outcome.summary).toMatchObject({
      id: `${origin}/beths-robotics-badge.json`,
      format: 'OB_2_0_HOSTED',
      types: ['Assertion'],
      achievementId: `${origin}/robotics-badge.json`,
      achievementName: 'Awesome Robotics Badge',
      validFrom: '2016-12-31T23:59:59Z',
      validUntil: '2017-06-30T23:59:59Z',
    });
    expect(check(outcome, 'recipient').message).toContain('no recipient was requested');
  });

  it('verifies an assertion given only as its URL', async () => {
    const outcome = await verifyOb2Assertion(` ${origin}/beths-robotics-badge.json\n`, { fetch: safeFetch, now: DURING });
    expect(outcome.status).toBe('VALID');
    expect(outcome.summary.document).toEqual(hostedAssertion);
  });

  it('trusts the hosted copy over the one given', async () => {
    const outcome = await verifyOb2Assertion({ ...hostedAssertion, expires: '2099-01-01T00:00:00Z' }, { fetch: safeFetch, now: new Date('2018-01-01') });
    expect(outcome.status).toBe('EXPIRED');
  });

  it('reports REVOKED when the host serves a revocation notice, with its reason', async () => {
    routes.set('/beths-robotics-badge.json', example('revoked-hosted-assertion-example'));
    for (const input of [hostedAssertion, `${origin}/beths-robotics-badge.json`]) {
      const outcome = await verifyOb2Assertion(input, { fetch: safeFetch, now: DURING });
      expect(outcome.status).toBe('REVOKED');
      expect(check(outcome, 'status').message).toContain('three stacked children in a trenchcoat');
    }
  });

  it('reports REVOKED when the host answers 410 Gone', async () => {
    routes.set('/beths-robotics-badge.json', 410);
    const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING });
    expect(outcome.status).toBe('REVOKED');
    expect(check(outcome, 'status').message).toContain('410');
  });

  it('is INVALID, naming the URL, when the hosted copy cannot be fetched', async () => {
    routes.delete('/beths-robotics-badge.json');
    const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING });
    expect(outcome.status).toBe('INVALID');
    expect(check(outcome, 'proof')).toMatchObject({ passed: false, message: expect.stringContaining(`${origin}/beths-robotics-badge.json`) });
  });

  it('is INVALID when the hosted copy claims another id', async () => {
    routes.set('/beths-robotics-badge.json', { ...hostedAssertion, id: `${origin}/someone-elses.json` });
    const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING });
    expect(check(outcome, 'proof').message).toContain('says its id is');
    expect(outcome.status).toBe('INVALID');
  });

  it('is INVALID when the BadgeClass cannot be fetched, naming its URL', async () => {
    routes.delete('/robotics-badge.json');
    const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING });
    expect(check(outcome, 'proof').message).toContain(`${origin}/robotics-badge.json`);
    expect(outcome.status).toBe('INVALID');
  });

  it('enforces the issuer’s hosted scope: allowedOrigins and startsWith', async () => {
    const profile = routes.get('/organization.json') as Json;
    routes.set('/organization.json', { ...profile, verification: { allowedOrigins: ['badges.example'] } });
    const outside = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING });
    expect(outside.status).toBe('INVALID');
    expect(check(outside, 'proof').message).toContain('allowedOrigins');

    routes.set('/organization.json', { ...profile, verification: { startsWith: `${origin}/beths-` } });
    expect((await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING })).status).toBe('VALID');
  });

  it('reaches the network only through the SafeFetch: a refused URL (cloud metadata) is a failed check naming it', async () => {
    const metadataUrl = 'http://169.254.169.254/latest/meta-data/badge.json';
    const assertion = { ...hostedAssertion, badge: metadataUrl };
    routes.set('/beths-robotics-badge.json', assertion);
    const outcome = await verifyOb2Assertion(assertion, { fetch: safeFetch, now: DURING });
    expect(check(outcome, 'proof').message).toContain(`refused to fetch ${metadataUrl}`);
    expect(fetchedUrls).toEqual([`${origin}/beths-robotics-badge.json`, metadataUrl]);
  });
});

describe('verifyOb2Assertion: validity and recipient', () => {
  it('reports EXPIRED after expires and NOT_YET_VALID before issuedOn', async () => {
    const expired = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: new Date('2018-01-01') });
    expect(expired.status).toBe('EXPIRED');
    expect(check(expired, 'validity').message).toContain('2017-06-30T23:59:59Z');
    expect((await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: new Date('2016-06-01') })).status).toBe('NOT_YET_VALID');
  });

  it('matches a hashed e-mail recipient, ignoring the case of the address', async () => {
    for (const recipientEmail of [BETH, 'Beth@Example.ORG']) {
      const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING, recipientEmail });
      expect(check(outcome, 'recipient').passed).toBe(true);
    }
  });

  it('is INVALID when the recipient does not match', async () => {
    const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING, recipientEmail: 'mallory@example.org' });
    expect(check(outcome, 'recipient')).toMatchObject({ passed: false, message: expect.stringContaining('mallory@example.org') });
    expect(outcome.status).toBe('INVALID');
  });

  it('matches plaintext (hashed: false) and md5 identities', async () => {
    for (const recipient of [
      { type: 'email', hashed: false, identity: 'Beth@example.org' },
      { type: 'email', hashed: true, salt: 's', identity: `md5$${createHash('md5').update(`${BETH}s`).digest('hex')}` },
    ]) {
      routes.set('/beths-robotics-badge.json', { ...hostedAssertion, recipient });
      const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING, recipientEmail: BETH });
      expect(check(outcome, 'recipient').passed).toBe(true);
    }
  });
});

describe('verifyOb2Assertion: signed', () => {
  it('verifies an RS256 signed assertion with the issuer’s CryptographicKey', async () => {
    const outcome = await verifyOb2Assertion(await sign(signedClaims), { fetch: safeFetch, now: DURING, recipientEmail: BETH });
    expect(outcome.checks.every((entry) => entry.passed)).toBe(true);
    expect(outcome.status).toBe('VALID');
    expect(outcome.summary).toMatchObject({ format: 'OB_2_0_SIGNED', id: signedClaims.id, issuerName: 'An Example Badge Issuer' });
    expect(check(outcome, 'status').message).toContain(`${origin}/revocationList.json`);
  });

  it('verifies EdDSA signatures too', async () => {
    routes.set('/publicKey.json', { ...example('cryptographickey-example'), publicKeyPem: pemOf(ed25519.publicKey) });
    expect((await verifyOb2Assertion(await sign(signedClaims, ed25519.privateKey, 'EdDSA'), { fetch: safeFetch, now: DURING })).status).toBe('VALID');
  });

  it('is INVALID when the signed payload was altered', async () => {
    const [header, , signature] = (await sign(signedClaims)).split('.');
    const forged = Buffer.from(JSON.stringify({ ...signedClaims, issuedOn: '2015-01-01T00:00:00Z' })).toString('base64url');
    const outcome = await verifyOb2Assertion(`${header}.${forged}.${signature}`, { fetch: safeFetch, now: DURING });
    expect(check(outcome, 'proof').message).toContain('does not verify');
    expect(outcome.status).toBe('INVALID');
  });

  it('is INVALID when signed with a key other than the issuer’s', async () => {
    const outcome = await verifyOb2Assertion(await sign(signedClaims, otherRsa.privateKey), { fetch: safeFetch, now: DURING });
    expect(check(outcome, 'proof').message).toContain('does not verify');
  });

  it('is INVALID when the key is owned by someone other than the issuer, naming both', async () => {
    routes.set('/publicKey.json', { ...(routes.get('/publicKey.json') as Json), owner: 'https://impostor.example/profile' });
    const outcome = await verifyOb2Assertion(await sign(signedClaims), { fetch: safeFetch, now: DURING });
    expect(check(outcome, 'proof').message).toMatch(/owned by https:\/\/impostor\.example\/profile, not by the issuer .*organization\.json/);
    expect(outcome.status).toBe('INVALID');
  });

  it('reports REVOKED when the issuer’s revocation list names the assertion, with the reason', async () => {
    const list = routes.get('/revocationList.json') as Json;
    routes.set('/revocationList.json', { ...list, revokedAssertions: [...list.revokedAssertions, { id: signedClaims.id, revocationReason: 'Honor code violation' }] });
    const outcome = await verifyOb2Assertion(await sign(signedClaims), { fetch: safeFetch, now: DURING });
    expect(outcome.status).toBe('REVOKED');
    expect(check(outcome, 'status').message).toContain('Honor code violation');
  });

  it('reports STATUS_UNKNOWN when the revocation list cannot be read', async () => {
    routes.delete('/revocationList.json');
    const outcome = await verifyOb2Assertion(await sign(signedClaims), { fetch: safeFetch, now: DURING });
    expect(outcome.status).toBe('STATUS_UNKNOWN');
    expect(check(outcome, 'proof').passed).toBe(true);
    expect(check(outcome, 'status').message).toContain(`${origin}/revocationList.json`);
  });

  it('is INVALID when a signed assertion comes as JSON (no signature) or with alg none/HS256', async () => {
    expect(check(await verifyOb2Assertion(signedClaims, { fetch: safeFetch, now: DURING }), 'proof').message).toContain('carries no signature');
    const payload = Buffer.from(JSON.stringify(signedClaims)).toString('base64url');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.sig`;
    expect(check(await verifyOb2Assertion(none, { fetch: safeFetch }), 'proof').message).toContain('alg none refused');
    const hs256 = await new CompactSign(Buffer.from(JSON.stringify(signedClaims))).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    expect((await verifyOb2Assertion(hs256, { fetch: safeFetch })).status).toBe('INVALID');
  });
});

describe('verifyOb2Assertion: malformed input is a failed format check', () => {
  it.each([
    ['plain text', 'not a badge', 'neither an assertion'],
    ['JSON without verification', '{"type":"Assertion"}', 'verification.type'],
    ['a JWS with a non-JSON payload', `e30.${Buffer.from('nope').toString('base64url')}.sig`, 'payload is not base64url-encoded JSON'],
    ['more than 1 MB', `{"a":"${'x'.repeat(MAX_OB2_INPUT_BYTES)}"}`, 'larger than'],
    ['null', null, 'got null'],
  ])('%s', async (_label, input, cause) => {
    const outcome = await verifyOb2Assertion(input as string, { fetch: safeFetch });
    expect(outcome.status).toBe('INVALID');
    expect(outcome.checks.map((entry) => entry.name)).toEqual(['format', 'proof', 'status', 'validity', 'recipient']);
    expect(outcome.checks[0]).toMatchObject({ passed: false, message: expect.stringContaining(cause) });
    expect(fetchedUrls).toEqual([]);
  });

  it('fails the format of a hosted copy missing required properties', async () => {
    const { recipient: _recipient, ...withoutRecipient } = hostedAssertion;
    routes.set('/beths-robotics-badge.json', withoutRecipient);
    const outcome = await verifyOb2Assertion(hostedAssertion, { fetch: safeFetch, now: DURING });
    expect(check(outcome, 'format')).toMatchObject({ passed: false, message: expect.stringContaining('recipient') });
    expect(outcome.status).toBe('INVALID');
  });
});

describe('OB 2.0 badges baked into images, through the whole verifier', () => {
  function verifier() {
    return createCredentialVerifier({ documentLoader: createVerifierDocumentLoader({ fetch: safeFetch }), fetch: safeFetch, trust: async () => ({ known: false, source: null }), now: () => DURING });
  }

  it('opens a PNG baked with a hosted assertion URL (iTXt "openbadges") and verifies it as OB 2.0', async () => {
    const png = renderPng(defaultBadgeSvg({ name: 'Robotics', issuerName: 'Example', seed: 'ob2' }));
    const iend = png.length - 12; // the IEND chunk closes every PNG
    const baked = Buffer.concat([png.subarray(0, iend), encodePngChunk('iTXt', iTXtData('openbadges', `${origin}/beths-robotics-badge.json`)), png.subarray(iend)]);
    const result = await verifier().verify({ image: baked.toString('base64'), recipientEmail: BETH });
    expect(result).toMatchObject({ status: 'VALID', credential: { format: 'OB_2_0_HOSTED' } });
  });

  it('opens an SVG baked with a signed assertion (<openbadges:assertion verify="JWS">) and verifies it', async () => {
    const jws = await sign(signedClaims);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" width="10" height="10"><openbadges:assertion verify="${jws}"/><rect width="10" height="10"/></svg>`;
    const result = await verifier().verify({ image: Buffer.from(svg).toString('base64') });
    expect(result).toMatchObject({ status: 'VALID', credential: { format: 'OB_2_0_SIGNED' } });
    const tampered = `${jws.slice(0, -6)}AAAAAA`;
    expect((await verifier().verify({ image: Buffer.from(svg.replace(jws, tampered)).toString('base64') })).status).toBe('INVALID');
  });
});
