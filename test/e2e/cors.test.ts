import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Issue 10, item 13: the hub's CORS policy at the gateway, per class of endpoint. Public documents and the VC-API
// verifiers answer any origin with `*` (no Authorization header, no credentials); everything that takes a key or a
// token answers only the origins of CORS_ALLOWED_ORIGINS; pages a person navigates to answer no cross-origin call.

const ALLOWED = 'https://portal.example';
const STRANGER = 'https://evil.example';

let hub: TestHub;
let origin: string;
let didDocument: string;

const preflight = (path: string, from: string, method: string, headers = 'content-type') =>
  fetch(`${origin}${path}`, { method: 'OPTIONS', headers: { origin: from, 'access-control-request-method': method, 'access-control-request-headers': headers } });
const call = (path: string, from: string, init: RequestInit = {}) => fetch(`${origin}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), origin: from } });
const postJson = (path: string, from: string, body: unknown) => call(path, from, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const allowedHeaders = (response: Response) => (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
const varies = (response: Response) => (response.headers.get('vary') ?? '').toLowerCase().split(/\s*,\s*/);

/** A preflight the browser will pass for `from`: the origin echoed, the method and Authorization allowed, per origin. */
function expectAllowedPreflight(response: Response, from: string, method: string) {
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(from);
  expect(response.headers.get('access-control-allow-methods')).toContain(method);
  expect(allowedHeaders(response)).toContain('authorization');
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  expect(varies(response)).toContain('origin');
}

/** A preflight the browser will fail: no Access-Control-Allow-Origin at all. */
function expectRefusedPreflight(response: Response) {
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  expect(response.status).toBe(403);
  expect(varies(response)).toContain('origin');
}

beforeAll(async () => {
  hub = await startTestHub({ CORS_ALLOWED_ORIGINS: `${ALLOWED}, https://wallet.example:8443` });
  origin = new URL(hub.gateway.url).origin;
  const issuer = await hub.gql(`mutation { createIssuer(input: { name: "Cors Academy", url: "https://cors.example" }) { issuer { id } } }`);
  didDocument = `/issuers/${issuer.data.createIssuer.issuer.id}/did.json`;
});
afterAll(() => hub?.dispose());

describe('GraphQL: allow-listed origins only (issuer portals)', () => {
  test('an allowed origin passes the preflight and reads the answer', async () => {
    expectAllowedPreflight(await preflight('/graphql', ALLOWED, 'POST', 'authorization, content-type'), ALLOWED, 'POST');
    const answer = await postJson('/graphql', ALLOWED, { query: '{ me { kind } }' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(varies(answer)).toContain('origin');
  });

  test('another origin fails the preflight and cannot read the answer', async () => {
    expectRefusedPreflight(await preflight('/graphql', STRANGER, 'POST', 'authorization, content-type'));
    const answer = await postJson('/graphql', STRANGER, { query: '{ me { kind } }' });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(varies(answer)).toContain('origin');
  });
});

describe('public documents and the VC-API verifiers: any origin, without credentials', () => {
  test('a DID document and the OB API and OAuth discovery documents are readable from any origin', async () => {
    for (const path of [didDocument, '/ims/ob/v3p0/discovery', '/ims/ob/v3p0/oauth/.well-known/openid-configuration']) {
      const answer = await call(path, STRANGER);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(answer.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
    const preflighted = await preflight(didDocument, STRANGER, 'GET', 'accept');
    expect(preflighted.status).toBe(204);
    expect(preflighted.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflighted.headers.get('access-control-allow-methods')).toContain('GET');
    expect(preflighted.headers.get('access-control-allow-methods')).not.toContain('POST');
  });

  test('a verifier on any origin may POST a credential, but may not send a key from a page the hub does not list', async () => {
    const stranger = await preflight('/credentials/verify', STRANGER, 'POST', 'content-type, authorization');
    expect(stranger.status).toBe(204);
    expect(stranger.headers.get('access-control-allow-origin')).toBe('*');
    expect(allowedHeaders(stranger)).toContain('content-type');
    expect(allowedHeaders(stranger)).not.toContain('authorization');
    const verified = await postJson('/credentials/verify', STRANGER, { verifiableCredential: { nonsense: true } });
    expect(verified.status).toBe(400);
    expect(verified.headers.get('access-control-allow-origin')).toBe('*');
    // An allow-listed portal may verify with its employer key (who verified is recorded).
    expectAllowedPreflight(await preflight('/presentations/verify', ALLOWED, 'POST', 'content-type, authorization'), ALLOWED, 'POST');
  });
});

describe('the OB 3.0 API resources and its OAuth token endpoints: allow-listed origins only (browser wallets)', () => {
  test('an allowed wallet passes the preflights and reads the answers, errors included', async () => {
    expectAllowedPreflight(await preflight('/ims/ob/v3p0/credentials', 'https://wallet.example:8443', 'POST', 'authorization, content-type'), 'https://wallet.example:8443', 'POST');
    expectAllowedPreflight(await preflight('/ims/ob/v3p0/oauth/token', ALLOWED, 'POST', 'authorization, content-type'), ALLOWED, 'POST');
    const unauthorised = await call('/ims/ob/v3p0/credentials', ALLOWED);
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect((unauthorised.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain('www-authenticate');
    const badClient = await call('/ims/ob/v3p0/oauth/token', ALLOWED, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('nobody:nothing').toString('base64')}` },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    expect(badClient.status).toBe(401);
    expect(badClient.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  test('another origin fails the preflights and cannot read the answers', async () => {
    expectRefusedPreflight(await preflight('/ims/ob/v3p0/credentials', STRANGER, 'GET', 'authorization'));
    expectRefusedPreflight(await preflight('/ims/ob/v3p0/oauth/token', STRANGER, 'POST', 'authorization, content-type'));
    expectRefusedPreflight(await preflight('/credentials/issue', STRANGER, 'POST', 'authorization, content-type'));
    for (const answer of [
      await call('/ims/ob/v3p0/credentials', STRANGER),
      await call('/ims/ob/v3p0/oauth/token', STRANGER, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=x' }),
    ]) {
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(varies(answer)).toContain('origin');
    }
  });
});

describe('pages a person navigates to', () => {
  test('the OAuth sign-in pages answer no cross-origin call, from any origin', async () => {
    expectRefusedPreflight(await preflight('/ims/ob/v3p0/oauth/auth', ALLOWED, 'GET'));
  });
});
