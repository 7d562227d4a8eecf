import { randomUUID } from 'node:crypto';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { signCredentialJwt } from '../../lib/crypto/jwt.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { oauthRecords } from '../../subgraphs/recipients/db/oauth-tables.js';
import { BASIC_OB3_EXAMPLE, readConformanceJson } from '../helpers/conformance-fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { ALL_OB_SCOPES, basic, createOAuthTestClient, isRedirect, OB_SCOPE, type RegisteredClient, type TokenSet } from '../helpers/oauth-client.js';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.js';

// The 1EdTech Open Badges 3.0 API through the real gateway: discovery, dynamic client registration, the
// authorization code + PKCE flow with e-mail code sign-in, upsert and read back of a conformance credential signed
// here by a did:key issuer, paging headers, the profile, scopes, isolation between recipients, refresh, revocation.

const signing = importSigningKey(generateSigningKey());
const issuerKey = didKeyFor(signing.publicKeyMultibase);

function signedExample(changes: Record<string, unknown> = {}) {
  const example = readConformanceJson(BASIC_OB3_EXAMPLE);
  const credential = { ...example, issuer: { ...example.issuer, id: issuerKey.did, name: 'Northwind Academy' }, ...changes };
  return signCredential({ credential, signer: { verificationMethod: issuerKey.verificationMethod, privateKey: signing.privateKey }, documentLoader: createDocumentLoader() });
}

/** The 1EdTech JSON schemas the API's answers must validate against. */
const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats.default(ajv);
const schema = (name: string) => ajv.compile(readConformanceJson(`schemas/ob-v3p0/ob_v3p0_${name}_schema.json`));
const valid = { credentials: schema('getopenbadgecredentialsresponse'), statusInfo: schema('imsx_statusinfo'), profile: schema('profile') };
function expectValid(validate: ReturnType<typeof schema>, body: unknown) {
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

/** A browser wallet's origin, allowed to call the token endpoint and the resources from its pages. */
const WALLET_ORIGIN = 'https://wallet.example';

let hub: TestHub;
let mailbox: TestMailbox;
let origin: string;
let publicBase: string;
let oauth: ReturnType<typeof createOAuthTestClient>;
let discovery: any;
let client: RegisteredClient;
let ada: TokenSet;
let endpoints: { authorizationUrl: string; tokenUrl: string; refreshUrl: string; registrationUrl: string };

const api = (path: string, token: string | null, init: RequestInit = {}) =>
  fetch(`${origin}/ims/ob/v3p0${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
const postJson = (token: string, body: unknown) => api('/credentials', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const authorize = (email: string, scopes: readonly string[] = ALL_OB_SCOPES) => oauth.authorize({ client, endpoints, email, scopes, mailbox });

/** An Imsx_StatusInfo refusal with the given status and code minor. */
async function expectImsx(response: Response, status: number, codeMinor: string) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body).toMatchObject({ imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldValue: codeMinor }] } });
  expect(typeof body.imsx_description).toBe('string');
  expectValid(valid.statusInfo, body);
}

beforeAll(async () => {
  mailbox = await startTestMailbox();
  hub = await startTestHub({ CAIRN_SMTP_URL: mailbox.url, CORS_ALLOWED_ORIGINS: WALLET_ORIGIN });
  origin = new URL(hub.gateway.url).origin;
  publicBase = hub.deps.config.publicBaseUrl;
  oauth = createOAuthTestClient(origin);
});
afterAll(async () => {
  await hub?.dispose();
  await mailbox?.close();
});

describe('the OB 3.0 API through the gateway', () => {
  test('discovery: the service description names the server, the OAuth endpoints, registration and the four scopes', async () => {
    const response = await api('/discovery', null);
    expect(response.status).toBe(200);
    discovery = await response.json();
    expect(discovery.servers[0].url).toBe(`${publicBase}/ims/ob/v3p0`);
    const scheme = discovery.components.securitySchemes.OAuth2ACG;
    expect(scheme.type).toBe('oauth2');
    const flow = scheme.flows.authorizationCode;
    endpoints = { authorizationUrl: flow.authorizationUrl, tokenUrl: flow.tokenUrl, refreshUrl: flow.refreshUrl, registrationUrl: scheme['x-imssf-registrationUrl'] };
    expect(endpoints.registrationUrl).toBe(`${publicBase}/ims/ob/v3p0/oauth/reg`);
    expect(Object.keys(flow.scopes).sort()).toEqual([...ALL_OB_SCOPES].sort());
    expect(Object.keys(discovery.paths).sort()).toEqual(['/credentials', '/discovery', '/profile']);

    const metadata = await (await fetch(oauth.local(`${publicBase}/ims/ob/v3p0/oauth/.well-known/openid-configuration`))).json();
    expect(metadata).toMatchObject({
      issuer: `${publicBase}/ims/ob/v3p0/oauth`,
      authorization_endpoint: endpoints.authorizationUrl,
      token_endpoint: endpoints.tokenUrl,
      registration_endpoint: endpoints.registrationUrl,
      code_challenge_methods_supported: ['S256'],
    });
    expect(metadata.revocation_endpoint).toBe(`${publicBase}/ims/ob/v3p0/oauth/token/revocation`);
  });

  test('dynamic client registration (RFC 7591) without an initial access token; the secret is shown once and kept only as a hash', async () => {
    client = await oauth.register(endpoints.registrationUrl);
    expect(client.client_id).toBeTruthy();
    expect(client.client_secret).toBeTruthy();
    const stored = JSON.stringify(await hub.deps.database.db.select().from(oauthRecords));
    expect(stored).toContain(client.client_id);
    expect(stored).not.toContain(client.client_secret);
    // Reading the registration back (RFC 7592) cannot show a secret the hub no longer has, nor its hash.
    const { registration_client_uri: uri, registration_access_token: readToken } = client as RegisteredClient & Record<string, string>;
    const read = await fetch(oauth.local(uri!), { headers: { authorization: `Bearer ${readToken}` } });
    expect(read.status).toBe(200);
    const registration = await read.json();
    expect(registration.client_id).toBe(client.client_id);
    expect(registration).not.toHaveProperty('client_secret');
  });

  test('registration without redirect URIs is refused; a wrong code keeps the page; Deny sends access_denied', async () => {
    const refused = await fetch(oauth.local(endpoints.registrationUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'No redirect' }) });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toBe('invalid_redirect_uri');
    // The hub keeps only a hash of a client's secret, so no method that uses the secret as a key can be registered.
    const symmetric = await fetch(oauth.local(endpoints.registrationUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'HMAC client', redirect_uris: ['https://wallet.example/callback'], token_endpoint_auth_method: 'client_secret_jwt' }),
    });
    expect(symmetric.status).toBe(400);
    expect((await symmetric.json()).error).toBe('invalid_client_metadata');

    const wrongCode = await oauth.consent({ client, endpoints, email: 'dora@example.com', scopes: ALL_OB_SCOPES, mailbox, code: '000000' });
    expect(wrongCode.response.status).toBe(400);
    expect(await wrongCode.response.text()).toContain('role="alert"');

    const denied = await oauth.consent({ client, endpoints, email: 'dora@example.com', scopes: ALL_OB_SCOPES, mailbox, decision: 'deny' });
    expect(denied.callback?.searchParams.get('error')).toBe('access_denied');
    expect(denied.callback?.searchParams.get('code')).toBeNull();
  });

  test('an authorization request without PKCE is refused', async () => {
    const params = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: client.redirect_uris[0]!, scope: OB_SCOPE.credentialReadonly, state: 's' });
    const response = await oauth.browse(`${endpoints.authorizationUrl}?${params}`);
    expect(isRedirect(response)).toBe(true);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  test('authorization code + PKCE: sign in with the mailed code, allow, exchange the code for tokens', async () => {
    ada = await authorize('ada@example.com');
    expect(ada.token_type).toBe('Bearer');
    expect(ada.scope.split(' ').sort()).toEqual([...ALL_OB_SCOPES].sort());
    expect(ada.refresh_token).toBeTruthy();
    // Tokens are kept hashed: the database holds no usable access or refresh token.
    const stored = JSON.stringify(await hub.deps.database.db.select().from(oauthRecords));
    expect(stored).toContain('AccessToken');
    expect(stored).not.toContain(ada.access_token);
    expect(stored).not.toContain(ada.refresh_token);
  });

  test('no token is 401 and an unknown token is 401, as Imsx_StatusInfo with WWW-Authenticate', async () => {
    const anonymous = await api('/credentials', null);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    await expectImsx(anonymous, 401, 'unauthorizedrequest');
    await expectImsx(await api('/credentials', 'not-a-token'), 401, 'unauthorizedrequest');
    // A Cairn API key is not an OAuth token for this API.
    await expectImsx(await api('/credentials', hub.adminKey), 401, 'unauthorizedrequest');
  });

  test('round trip: upsert a credential (201), read it back equal; the same again is 200', async () => {
    const credential = await signedExample();
    const created = await postJson(ada.access_token, credential);
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual(credential);
    const again = await postJson(ada.access_token, credential);
    expect(again.status).toBe(200);

    const read = await api('/credentials', ada.access_token);
    expect(read.status).toBe(200);
    expect(read.headers.get('x-total-count')).toBe('1');
    const body = await read.json();
    expect(body).toEqual({ credential: [credential] });
    expectValid(valid.credentials, body);
  });

  test('a newer copy of an equal credential replaces the held one (200), and a tampered one is 400', async () => {
    const newer = await signedExample({ validFrom: '2010-03-01T00:00:00Z', name: 'Teamwork Badge (renewed)' });
    const replaced = await postJson(ada.access_token, newer);
    expect(replaced.status).toBe(200);
    expect(await (await api('/credentials', ada.access_token)).json()).toEqual({ credential: [newer] });
    await expectImsx(await postJson(ada.access_token, { ...newer, name: 'Forged' }), 400, 'invalid_data');
    await expectImsx(await api('/credentials', ada.access_token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oops' }), 400, 'invalid_data');
  });

  test('paging: limit and offset, X-Total-Count and Link (first, last, prev, next)', async () => {
    for (let i = 0; i < 4; i++) expect((await postJson(ada.access_token, await signedExample({ id: `urn:uuid:${randomUUID()}` }))).status).toBe(201);
    const link = (response: Response) => Object.fromEntries([...response.headers.get('link')!.matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1]!).search]));

    const first = await api('/credentials?limit=2', ada.access_token);
    expect(first.headers.get('x-total-count')).toBe('5');
    expect((await first.json()).credential).toHaveLength(2);
    expect(link(first)).toEqual({ first: '?limit=2&offset=0', last: '?limit=2&offset=4', next: '?limit=2&offset=2' });

    const middle = await api('/credentials?limit=2&offset=2', ada.access_token);
    expect(link(middle)).toEqual({ first: '?limit=2&offset=0', last: '?limit=2&offset=4', prev: '?limit=2&offset=0', next: '?limit=2&offset=4' });
    const last = await api('/credentials?limit=2&offset=4', ada.access_token);
    expect((await last.json()).credential).toHaveLength(1);
    expect(link(last)).not.toHaveProperty('next');

    const pages = await Promise.all([0, 2, 4].map(async (offset) => (await (await api(`/credentials?limit=2&offset=${offset}`, ada.access_token)).json()).credential));
    expect(new Set(pages.flat().map((credential: any) => credential.id)).size).toBe(5);
    await expectImsx(await api('/credentials?limit=0', ada.access_token), 400, 'invalid_query_parameter');
    await expectImsx(await api('/credentials?offset=-1', ada.access_token), 400, 'invalid_query_parameter');
  });

  test('profile: GET the OB Profile, PUT a new name; fields Cairn cannot set are refused by name', async () => {
    const profile = await (await api('/profile', ada.access_token)).json();
    expect(profile).toEqual({ id: expect.stringMatching(/^urn:uuid:/), type: ['Profile'], email: 'ada@example.com' });
    expectValid(valid.profile, profile);
    const put = (body: unknown) => api('/profile', ada.access_token, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const updated = await put({ ...profile, name: 'Ada Lovelace' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({ ...profile, name: 'Ada Lovelace' });
    expect(await (await api('/profile', ada.access_token)).json()).toEqual({ ...profile, name: 'Ada Lovelace' });
    await expectImsx(await put({ ...profile, familyName: 'Lovelace' }), 400, 'invalid_data');
    await expectImsx(await put({ ...profile, email: 'someone@else.example' }), 400, 'invalid_data');
    await expectImsx(await put({ ...profile, id: 'urn:uuid:00000000-0000-4000-8000-000000000000' }), 400, 'invalid_data');
  });

  test('a token without the scope is 403 Imsx_StatusInfo', async () => {
    const readOnly = await authorize('ada@example.com', [OB_SCOPE.credentialReadonly]);
    expect(readOnly.scope).toBe(OB_SCOPE.credentialReadonly);
    expect((await api('/credentials', readOnly.access_token)).status).toBe(200);
    const refused = await postJson(readOnly.access_token, await signedExample({ id: `urn:uuid:${randomUUID()}` }));
    expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope');
    await expectImsx(refused, 403, 'forbidden');
    await expectImsx(await api('/profile', readOnly.access_token), 403, 'forbidden');
  });

  test('a token for one recipient never sees another’s credentials or profile', async () => {
    const bob = await authorize('bob@example.com');
    const bobsCredentials = await api('/credentials', bob.access_token);
    expect(bobsCredentials.headers.get('x-total-count')).toBe('0');
    expect(await bobsCredentials.json()).toEqual({});
    expect((await (await api('/profile', bob.access_token)).json()).email).toBe('bob@example.com');
    expect((await postJson(bob.access_token, await signedExample({ id: 'urn:uuid:bob-only' }))).status).toBe(201);
    const adas = await (await api('/credentials?limit=100', ada.access_token)).json();
    expect(adas.credential.map((credential: any) => credential.id)).not.toContain('urn:uuid:bob-only');
  });

  test('a VC-JWT goes in as text/plain and comes back as the same compact JWS in compactJwsString', async () => {
    const example = readConformanceJson(BASIC_OB3_EXAMPLE);
    const credential = { ...example, id: `urn:uuid:${randomUUID()}`, issuer: { ...example.issuer, id: issuerKey.did, name: 'Northwind Academy' } };
    const jwt = await signCredentialJwt({ credential, kid: issuerKey.verificationMethod, privateKey: signing.privateKey, alg: 'EdDSA' });
    const carol = await authorize('carol@example.com');
    const created = await api('/credentials', carol.access_token, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: jwt });
    expect(created.status).toBe(201);
    expect(await created.text()).toBe(jwt);
    const body = await (await api('/credentials', carol.access_token)).json();
    expect(body).toEqual({ compactJwsString: [jwt] });
    expectValid(valid.credentials, body);
  });

  test('wrong methods are 405 and unknown paths 404, as Imsx_StatusInfo', async () => {
    const deleted = await api('/credentials', ada.access_token, { method: 'DELETE' });
    expect(deleted.headers.get('allow')).toBe('GET, POST');
    await expectImsx(deleted, 405, 'not_allowed');
    await expectImsx(await api('/nothing-here', ada.access_token), 404, 'not_found');
  });

  test('a token granted to a record that is later merged acts for the surviving record', async () => {
    const oldRecord = await authorize('ada@old-school.example', [OB_SCOPE.credentialReadonly]);
    expect((await api('/credentials', oldRecord.access_token)).headers.get('x-total-count')).toBe('0');
    await hub.gql(`mutation { requestSignInCode(input: { email: "ada@example.com" }) { expiresAt } }`, {}, null);
    const code = await mailbox.nextCodeFor('ada@example.com');
    const session = (await hub.gql(`mutation ($code: String!) { signIn(input: { email: "ada@example.com", code: $code }) { token } }`, { code }, null)).data.signIn.token;
    await hub.gql(`mutation { requestEmailVerification(input: { email: "ada@old-school.example" }) { expiresAt } }`, {}, session);
    const proof = await mailbox.nextCodeFor('ada@old-school.example');
    const merged = await hub.gql(`mutation ($code: String!) { verifyEmail(input: { email: "ada@old-school.example", code: $code }) { merge { mergedRecipientId } } }`, { code: proof }, session);
    expect(merged.data.verifyEmail.merge).not.toBeNull();
    const adas = (await api('/credentials', ada.access_token)).headers.get('x-total-count');
    expect((await api('/credentials', oldRecord.access_token)).headers.get('x-total-count')).toBe(adas);
  });

  test('refresh: the refresh token gets a new access token; revocation (RFC 7009) ends a token at once', async () => {
    const wrongSecret = await fetch(oauth.local(endpoints.refreshUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic({ ...client, client_secret: `${client.client_secret.slice(0, -1)}x` }) },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: ada.refresh_token! }).toString(),
    });
    expect(wrongSecret.status).toBe(401);
    expect((await wrongSecret.json()).error).toBe('invalid_client');
    const refreshed = await oauth.token(endpoints.refreshUrl, client, { grant_type: 'refresh_token', refresh_token: ada.refresh_token! });
    expect(refreshed.access_token).not.toBe(ada.access_token);
    expect((await api('/credentials', refreshed.access_token)).status).toBe(200);

    const revoked = await fetch(oauth.local(`${publicBase}/ims/ob/v3p0/oauth/token/revocation`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client) },
      body: new URLSearchParams({ token: refreshed.access_token, token_type_hint: 'access_token' }).toString(),
    });
    expect(revoked.status).toBe(200);
    await expectImsx(await api('/credentials', refreshed.access_token), 401, 'unauthorizedrequest');
  });

  test('a browser wallet on an allowed origin gets its tokens and can read the answer (CORS)', async () => {
    const erin = await authorize('erin@example.com');
    const fromWallet = await fetch(oauth.local(endpoints.refreshUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client), origin: WALLET_ORIGIN },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: erin.refresh_token! }).toString(),
    });
    expect(fromWallet.status, await fromWallet.clone().text()).toBe(200);
    expect(fromWallet.headers.get('access-control-allow-origin')).toBe(WALLET_ORIGIN);
    const { access_token: accessToken } = await fromWallet.json();
    const credentials = await api('/credentials', accessToken, { headers: { origin: WALLET_ORIGIN } });
    expect(credentials.status).toBe(200);
    expect(credentials.headers.get('access-control-allow-origin')).toBe(WALLET_ORIGIN);
  });
});
