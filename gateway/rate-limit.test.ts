import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { Viewer } from '../lib/auth/viewer.js';
import { createTestDatabase, type TestDatabase } from '../lib/db/test-db.js';
import { PostgresBuckets } from '../lib/rate-limit/postgres-buckets.js';
import { TokenBuckets } from '../lib/rate-limit/token-buckets.js';
import { createInMemoryGateway, FEDERATION_LINK, type InMemoryGateway } from '../test/helpers/in-memory-gateway.js';
import { useViewerAuth } from './auth.js';
import { useCostLimit } from './cost.js';
import { peerAddress } from './client-address.js';
import { admitConnections, useRateLimit } from './rate-limit.js';

const SECRET = 'a-test-viewer-secret-of-at-least-32-characters';
const KEYS: Record<string, Viewer> = {
  'hammering-key': { kind: 'ADMIN', apiKeyId: 'k1' },
  'quiet-key': { kind: 'ADMIN', apiKeyId: 'k2' },
};

// Request buckets of 3 refilled one token per 10 s: a loaded machine spending seconds on the requests refills none.
describe('useRateLimit in the gateway', () => {
  let gateway: InMemoryGateway;
  beforeAll(async () => {
    gateway = await createInMemoryGateway({
      typeDefs: `${FEDERATION_LINK} type Query { ping: String! }`,
      resolvers: { Query: { ping: () => 'pong' } },
      plugins: [
        useViewerAuth(async (token) => KEYS[token] ?? null, SECRET),
        useRateLimit({ keyPerSecond: 0.1, anonymousPerSecond: 0.1, keyCostPerSecond: 1_000, anonymousCostPerSecond: 1_000, burstSeconds: 30 }),
      ],
    });
  });
  afterAll(() => gateway?.dispose());

  test('a key over its budget gets 429 TOO_MANY_REQUESTS with Retry-After; another key is unaffected', async () => {
    const hammer = () => gateway.post({ query: '{ ping }' }, { authorization: 'Bearer hammering-key' });
    for (let i = 0; i < 3; i += 1) expect((await hammer()).body).toEqual({ data: { ping: 'pong' } });
    const refused = await hammer();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 10 });
    expect((await gateway.post({ query: '{ ping }' }, { authorization: 'Bearer quiet-key' })).body).toEqual({ data: { ping: 'pong' } });
  });

  test('anonymous callers share a bucket per client address', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => gateway.post({ query: '{ ping }' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 429, 429]);
    // Refused as it arrives, before its body is read: a hostile body costs nothing more once the bucket is empty.
    const refused = await gateway.post('{"query": "{ ping ');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(refused.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('cost-based rate limit', () => {
  let gateway: InMemoryGateway;
  beforeAll(async () => {
    gateway = await createInMemoryGateway({
      typeDefs: `${FEDERATION_LINK} type Query { ping: String! items(first: Int): [String!]! }`,
      resolvers: { Query: { ping: () => 'pong', items: (_parent, { first }) => Array.from({ length: first }, (_, i) => String(i)) } },
      plugins: [
        useViewerAuth(async (token) => KEYS[token] ?? null, SECRET),
        useCostLimit({ maxCost: 10_000, maxAnonymousCost: 1_000 }),
        // A burst of 330: three heavy operations leave 30, short of a fourth but enough for cheap ones. (With exactly
        // 300 the fourth's arrival took the last token, and whether `ping` then passed depended on milliseconds.)
        useRateLimit({ keyPerSecond: 100, anonymousPerSecond: 100, keyCostPerSecond: 10_000, anonymousCostPerSecond: 110, burstSeconds: 3 }),
      ],
    });
  });
  afterAll(() => gateway?.dispose());

  test('an anonymous caller repeating its most expensive allowed operation runs dry; cheap operations and keys go on', async () => {
    const heavy = () => gateway.post({ query: '{ items(first: 40) }' }); // one page read: 100 of a 330 burst
    for (let i = 0; i < 3; i += 1) expect((await heavy()).body.errors).toBeUndefined();
    const refused = await heavy();
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await gateway.post({ query: '{ ping }' })).body).toEqual({ data: { ping: 'pong' } });
    expect((await gateway.post({ query: '{ items(first: 40) }' }, { authorization: 'Bearer quiet-key' })).body.errors).toBeUndefined();
  });

  test('an anonymous operation refused as too expensive empties its caller’s bucket, so the next request is refused on arrival', async () => {
    const rateLimit = useRateLimit({ keyPerSecond: 100, anonymousPerSecond: 100, keyCostPerSecond: 10_000, anonymousCostPerSecond: 10, burstSeconds: 1 });
    const local = await createInMemoryGateway({
      typeDefs: `${FEDERATION_LINK} type Query { items(first: Int): [String!]! }`,
      resolvers: { Query: { items: () => [] } },
      plugins: [useCostLimit({ maxCost: 10_000, maxAnonymousCost: 50 }, rateLimit.refused), rateLimit],
    });
    expect((await local.post({ query: '{ items(first: 100) }' })).body.errors[0].extensions.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    const next = await local.post('{"query": "{ items(first: 1) }"}');
    expect(next.status).toBe(429);
    await local.dispose();
  });
});

describe('gateway replicas share their buckets through PostgreSQL', () => {
  let testDb: TestDatabase;
  const gateways: InMemoryGateway[] = [];
  const stores: PostgresBuckets[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase();
    for (let i = 0; i < 2; i += 1) {
      const store = new PostgresBuckets(testDb.database.db);
      stores.push(store);
      gateways.push(
        await createInMemoryGateway({
          typeDefs: `${FEDERATION_LINK} type Query { ping: String! }`,
          resolvers: { Query: { ping: () => 'pong' } },
          plugins: [
            useViewerAuth(async (token) => KEYS[token] ?? null, SECRET),
            useRateLimit({ keyPerSecond: 0.1, anonymousPerSecond: 0.1, keyCostPerSecond: 1_000, anonymousCostPerSecond: 1_000, burstSeconds: 30 }, store),
          ],
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.dispose()));
    for (const store of stores) store.close();
    await testDb?.dispose();
  });

  test('a key’s budget spent on one replica is refused on the other', async () => {
    const [a, b] = gateways as [InMemoryGateway, InMemoryGateway];
    const asKey = (gateway: InMemoryGateway) => gateway.post({ query: '{ ping }' }, { authorization: 'Bearer hammering-key' });
    for (let i = 0; i < 3; i += 1) expect((await asKey(a)).body).toEqual({ data: { ping: 'pong' } });
    const refused = await asKey(b);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(refused.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
  });

  test('so is an anonymous client’s, refused on arrival', async () => {
    const [a, b] = gateways as [InMemoryGateway, InMemoryGateway];
    for (let i = 0; i < 3; i += 1) expect((await a.post({ query: '{ ping }' })).status).toBe(200);
    expect((await b.post({ query: '{ ping }' })).status).toBe(429);
  });
});

describe('graphql-ws operations', () => {
  let gateway: InMemoryGateway;
  let wsUrl: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    gateway = await createInMemoryGateway({
      typeDefs: `${FEDERATION_LINK} type Query { ping: String! }`,
      resolvers: { Query: { ping: () => 'pong' } },
      plugins: [
        useViewerAuth(async (token) => KEYS[token] ?? null, SECRET),
        useRateLimit({ keyPerSecond: 0.1, anonymousPerSecond: 0.1, keyCostPerSecond: 1_000, anonymousCostPerSecond: 1_000, burstSeconds: 30 }),
      ],
    });
    ({ wsUrl } = await gateway.listen());
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await gateway?.dispose();
  });

  const connect = (connectionParams?: Record<string, unknown>) => {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, ...(connectionParams ? { connectionParams } : {}) });
    clients.push(client);
    return client;
  };
  /** Runs `{ ping }` over the socket: its data, or the code of the error that refused it. */
  const ping = (client: Client) =>
    new Promise<unknown>((resolve) => {
      let answer: unknown;
      client.subscribe(
        { query: '{ ping }' },
        {
          next: (result) => (answer = result.errors ? result.errors[0]!.extensions?.code : result.data),
          error: (error) => resolve(Array.isArray(error) ? error[0].extensions?.code : error),
          complete: () => resolve(answer),
        },
      );
    });

  test('an anonymous client that sends no connection parameters is counted on its IP like any other', async () => {
    const client = connect();
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await ping(client));
    expect(answers).toEqual([{ ping: 'pong' }, { ping: 'pong' }, { ping: 'pong' }, 'TOO_MANY_REQUESTS']);
  });

  test('a key’s operations over graphql-ws spend the key’s bucket', async () => {
    const client = connect({ Authorization: 'Bearer quiet-key' });
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await ping(client));
    expect(answers.at(-1)).toBe('TOO_MANY_REQUESTS');
  });

  test('a client opening connections faster than its IP may is refused at the handshake with 429 and Retry-After', async () => {
    const admitted = await gateway.listen(admitConnections(new TokenBuckets(), 2, peerAddress));
    const open = () =>
      new Promise<{ status: number; retryAfter?: string; body?: string }>((resolve) => {
        const socket = new WebSocket(admitted.wsUrl, 'graphql-transport-ws');
        socket.once('open', () => {
          socket.close();
          resolve({ status: 101 });
        });
        socket.once('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'], body }));
        });
      });
    expect([(await open()).status, (await open()).status]).toEqual([101, 101]);
    const refused = await open();
    expect(refused).toMatchObject({ status: 429, retryAfter: '30' });
    expect(JSON.parse(refused.body!)).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 30 });
  });
});
