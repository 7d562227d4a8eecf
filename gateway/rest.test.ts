import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifySignedCaller, VIEWER_HEADER, type Viewer } from '../lib/auth/viewer.js';
import { silentLogger } from '../lib/log.js';
import { TokenBuckets } from '../lib/rate-limit/token-buckets.js';
import { forwardRest, restTarget } from './rest.js';

describe('REST routes at the gateway', () => {
  test('the OB 3.0 API and its OAuth server go to recipients, which authenticates their callers itself', () => {
    for (const path of ['/ims/ob/v3p0/discovery', '/ims/ob/v3p0/credentials?limit=2', '/ims/ob/v3p0/oauth/token', '/ims/ob/v3p0/oauth/interaction/abc/decide']) {
      expect(restTarget(path)).toMatchObject({ subgraph: 'recipients', ownAuthorization: true });
    }
  });

  test('the other standards endpoints keep their owners and Cairn key authentication', () => {
    expect(restTarget('/credentials/verify')).toEqual({ prefix: '/credentials/verify', subgraph: 'verification' });
    expect(restTarget('/credentials/0190a5f6-0000-7000-8000-000000000001')).toEqual({ prefix: '/credentials/', subgraph: 'issuers' });
    expect(restTarget('/graphql')).toBeNull();
    expect(restTarget('/ims/ob/v3p0')).toBeNull();
  });
});

const listening = (server: Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

const SECRET = 'a-test-viewer-secret-of-at-least-32-characters';

describe('REST rate limits at the gateway', () => {
  const KEYS: Record<string, Viewer> = { 'rest-key': { kind: 'ADMIN', apiKeyId: 'rest-key-id' } };
  let upstreamHits = 0;
  let lastSignedViewer: string | undefined;
  let upstream: Server;
  let front: Server;
  let frontUrl: string;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      upstreamHits += 1;
      lastSignedViewer = req.headers[VIEWER_HEADER] as string;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const origin = await listening(upstream);
    const rateLimit = { buckets: new TokenBuckets(), limits: { keyPerSecond: 0.1, anonymousPerSecond: 0.1, burstSeconds: 30 } };
    front = createServer((req, res) => {
      void forwardRest(req, res, {
        origin,
        route: restTarget(req.url)!,
        lookup: async (token) => KEYS[token] ?? null,
        viewerSecret: SECRET,
        log: silentLogger(),
        rateLimit,
      });
    });
    frontUrl = await listening(front);
  });
  afterAll(async () => {
    await Promise.all([front, upstream].map((server) => new Promise((resolve) => server?.close(resolve))));
  });

  test('an anonymous client over its budget gets 429 with Retry-After and a problem document, before the subgraph is asked', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${frontUrl}/status-lists/one`)).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(verifySignedCaller(lastSignedViewer, SECRET)).toEqual({ viewer: { kind: 'ANONYMOUS' }, clientAddress: '127.0.0.1', pageView: false });
    const hitsBefore = upstreamHits;
    const refused = await fetch(`${frontUrl}/credentials/two`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 10 });
    expect(upstreamHits).toBe(hitsBefore);
  });

  test('a Cairn API key has a bucket of its own; an OAuth bearer token the gateway cannot check counts on the IP', async () => {
    const withKey = () => fetch(`${frontUrl}/credentials/issue`, { method: 'POST', headers: { authorization: 'Bearer rest-key', 'content-type': 'application/json' }, body: '{}' });
    for (let i = 0; i < 3; i += 1) expect((await withKey()).status).toBe(200);
    expect((await withKey()).status).toBe(429);
    // A made-up token per request must not buy a fresh bucket each time: the IP's is empty since the test above.
    const obApi = await fetch(`${frontUrl}/ims/ob/v3p0/credentials`, { headers: { authorization: `Bearer made-up-${Date.now()}` } });
    expect(obApi.status).toBe(429);
  });
});
