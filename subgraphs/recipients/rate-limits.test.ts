import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ANONYMOUS, signViewer, VIEWER_HEADER, type Viewer } from '../../lib/auth/viewer.js';
import { loadConfig } from '../../lib/config/env.js';
import { newId } from '../../lib/ids.js';
import { startSubgraph, type RunningService } from '../../lib/server/start-subgraph.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { startTestMailbox, type TestMailbox } from '../../test/helpers/smtp.js';
import { recipients } from './index.js';

// Small allowances, so each limit is reached in a few requests. The subgraph is reached as the gateway reaches it:
// over HTTP, with the client address signed into the viewer header (each test speaks from addresses of its own).
const LIMITS = {
  RATE_LIMIT_OAUTH_REGISTRATIONS_PER_HOUR: '2',
  RATE_LIMIT_OAUTH_TOKENS_PER_MINUTE: '3',
  RATE_LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR: '3',
  RATE_LIMIT_CODE_ATTEMPTS_PER_HOUR: '3',
  RATE_LIMIT_CODE_ATTEMPTS_PER_IP_PER_HOUR: '4',
};

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let service: RunningService;
let base: string;
let mailbox: TestMailbox;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  deps = await createTestDeps({ CAIRN_SMTP_URL: mailbox.url, ...LIMITS });
  service = await startSubgraph(recipients, deps, { port: 0, host: '127.0.0.1' });
  base = new URL(service.url).origin;
});
afterAll(async () => {
  await service?.close();
  await deps?.dispose();
  await mailbox?.close();
});

const signedFrom = (clientAddress: string, viewer: Viewer = ANONYMOUS) => ({ [VIEWER_HEADER]: signViewer(viewer, deps.config.viewerSecret, { clientAddress }) });

async function gql(from: string, query: string, variables: Record<string, unknown>, viewer?: Viewer) {
  const response = await fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedFrom(from, viewer) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: { extensions: Record<string, unknown> }[] };
  return body.errors?.[0]?.extensions ?? 'ok';
}

const REQUEST_CODE = `mutation ($email: String!) { requestSignInCode(input: { email: $email }) { expiresAt } }`;
const SIGN_IN = `mutation ($email: String!, $code: String!) { signIn(input: { email: $email, code: $code }) { token } }`;
const VERIFY = `mutation ($email: String!, $code: String!) { verifyEmail(input: { email: $email, code: $code }) { recipient { id } } }`;

describe('one-time codes', () => {
  test('code requests are limited per client IP, across addresses; another IP is unaffected', async () => {
    for (let i = 0; i < 3; i += 1) expect(await gql('198.51.100.1', REQUEST_CODE, { email: `spray${i}@example.org` })).toBe('ok');
    // 3 an hour: the next one in 1,200 s, less whatever refilled while the three were answered (a second or two on a loaded machine).
    expect(await gql('198.51.100.1', REQUEST_CODE, { email: 'spray3@example.org' })).toEqual({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: expect.toSatisfy((seconds: number) => seconds > 1_190 && seconds <= 1_200) });
    expect(await gql('198.51.100.2', REQUEST_CODE, { email: 'spray3@example.org' })).toBe('ok');
  });

  test('sign-in attempts are limited per address, whichever IP they come from: the right code is not even tried', async () => {
    expect(await gql('198.51.100.10', REQUEST_CODE, { email: 'victim@example.org' })).toBe('ok');
    const code = await mailbox.nextCodeFor('victim@example.org');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 3; i += 1) expect(await gql(`198.51.100.${10 + i}`, SIGN_IN, { email: 'victim@example.org', code: wrong })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await gql('198.51.100.14', SIGN_IN, { email: 'victim@example.org', code })).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  test('sign-in attempts are limited per client IP, across addresses', async () => {
    for (let i = 0; i < 4; i += 1) expect(await gql('198.51.100.20', SIGN_IN, { email: `guess${i}@example.org`, code: '123456' })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await gql('198.51.100.20', SIGN_IN, { email: 'guess4@example.org', code: '123456' })).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  test('address proofs are limited per signed-in recipient, whichever IP and address', async () => {
    const viewer: Viewer = { kind: 'RECIPIENT', apiKeyId: newId(), recipientId: newId() };
    for (let i = 0; i < 3; i += 1) expect(await gql(`198.51.100.${30 + i}`, VERIFY, { email: `proof${i}@example.org`, code: '123456' }, viewer)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await gql('198.51.100.33', VERIFY, { email: 'proof3@example.org', code: '123456' }, viewer)).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('the OB API’s OAuth server', () => {
  const OAUTH = '/ims/ob/v3p0/oauth';
  const register = (from: string, metadata: Record<string, unknown> = {}) =>
    fetch(`${base}${OAUTH}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedFrom(from) },
      body: JSON.stringify({ client_name: 'Rate Test', redirect_uris: ['https://wallet.example/callback'], grant_types: ['authorization_code'], response_types: ['code'], ...metadata }),
    });
  const tokenRequest = (from: string, fields: Record<string, string>, authorization?: string) =>
    fetch(`${base}${OAUTH}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedFrom(from), ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: 'https://wallet.example/callback', code_verifier: 'v'.repeat(43), ...fields }).toString(),
    });
  const errorOf = async (response: Response) => `${response.status} ${((await response.json()) as { error?: string; code?: string }).error ?? ''}`;

  test('dynamic registration is limited per client IP: 429 with Retry-After and a problem document', async () => {
    for (let i = 0; i < 2; i += 1) expect((await register('203.0.113.1')).status).toBe(201);
    const refused = await register('203.0.113.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1800');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', retryAfterSeconds: expect.toSatisfy((seconds: number) => seconds > 1_790 && seconds <= 1_800) });
    expect((await register('203.0.113.2')).status).toBe(201);
  });

  test('token requests are limited per client_id, from any IP (client_secret_basic)', async () => {
    const client = (await (await register('203.0.113.10')).json()) as { client_id: string; client_secret: string };
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
    for (let i = 1; i <= 3; i += 1) expect(await errorOf(await tokenRequest(`203.0.113.${10 + i}`, {}, basic))).toBe('400 invalid_grant');
    expect((await tokenRequest('203.0.113.14', {}, basic)).status).toBe(429);
  });

  test('a client_id in the form body counts too, and the body still reaches the OAuth server whole', async () => {
    const client = (await (await register('203.0.113.20', { token_endpoint_auth_method: 'client_secret_post' })).json()) as { client_id: string; client_secret: string };
    const credentials = { client_id: client.client_id, client_secret: client.client_secret };
    // invalid_grant: the server read grant_type, the client's credentials and the code from the body we looked into.
    for (let i = 1; i <= 3; i += 1) expect(await errorOf(await tokenRequest(`203.0.113.${20 + i}`, credentials))).toBe('400 invalid_grant');
    expect((await tokenRequest('203.0.113.24', credentials)).status).toBe(429);
  });

  test('token requests are limited per client IP, whatever client_id they name', async () => {
    for (let i = 0; i < 3; i += 1) expect((await tokenRequest('203.0.113.30', { client_id: `made-up-${i}` })).status).toBe(401);
    const refused = await tokenRequest('203.0.113.30', { client_id: 'made-up-3' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe.each([
  // A generous deadline: sharing is tested here, and a slow answer on a busy machine must not count as an outage.
  { store: 'postgres', env: { RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_STORE_DEADLINE_MS: '30000' } },
  { store: 'redis', env: { RATE_LIMIT_STORE: 'redis', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', RATE_LIMIT_STORE_DEADLINE_MS: '30000' } },
])('two recipients replicas with RATE_LIMIT_STORE=$store', ({ env }) => {
  const replicas: RunningService[] = [];
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', CAIRN_SMTP_URL: mailbox.url, ...LIMITS, ...env });
    for (let i = 0; i < 2; i += 1) replicas.push(await startSubgraph(recipients, { ...deps, config }, { port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  test('count one client’s registrations together: its allowance spent on one is refused on the other', async () => {
    // An address of this run's own: a Redis bucket outlives the test (until it is full again).
    const from = `2001:db8::${randomBytes(4).toString('hex').replace(/(.{4})/, '$1:')}`;
    const register = (replica: RunningService) =>
      fetch(`${new URL(replica.url).origin}/ims/ob/v3p0/oauth/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedFrom(from) },
        body: JSON.stringify({ redirect_uris: ['https://wallet.example/callback'], grant_types: ['authorization_code'], response_types: ['code'] }),
      });
    const [a, b] = replicas as [RunningService, RunningService];
    expect([(await register(a)).status, (await register(b)).status]).toEqual([201, 201]);
    expect((await register(a)).status).toBe(429);
    expect((await register(b)).status).toBe(429);
  });
});
