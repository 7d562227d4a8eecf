import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../lib/auth/viewer.js';
import { createInMemoryGateway, FEDERATION_LINK, type InMemoryGateway } from '../test/helpers/in-memory-gateway.js';
import { useViewerAuth } from './auth.js';
import { useCostLimit } from './cost.js';
import { useRateLimit } from './rate-limit.js';

const SECRET = 'a-test-viewer-secret-of-at-least-32-characters';
const KEYS: Record<string, Viewer> = {
  'hammering-key': { kind: 'ADMIN', apiKeyId: 'k1' },
  'quiet-key': { kind: 'ADMIN', apiKeyId: 'k2' },
};

describe('useRateLimit in the gateway', () => {
  let gateway: InMemoryGateway;
  beforeAll(async () => {
    gateway = await createInMemoryGateway({
      typeDefs: `${FEDERATION_LINK} type Query { ping: String! }`,
      resolvers: { Query: { ping: () => 'pong' } },
      plugins: [
        useViewerAuth(async (token) => KEYS[token] ?? null, SECRET),
        useRateLimit({ keyPerSecond: 1, anonymousPerSecond: 1, keyCostPerSecond: 1_000, anonymousCostPerSecond: 1_000, burstSeconds: 3 }),
      ],
    });
  });
  afterAll(() => gateway?.dispose());

  test('a key over its budget gets 429 TOO_MANY_REQUESTS with Retry-After; another key is unaffected', async () => {
    const hammer = () => gateway.post({ query: '{ ping }' }, { authorization: 'Bearer hammering-key' });
    for (let i = 0; i < 3; i += 1) expect((await hammer()).body).toEqual({ data: { ping: 'pong' } });
    const refused = await hammer();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 1 });
    expect((await gateway.post({ query: '{ ping }' }, { authorization: 'Bearer quiet-key' })).body).toEqual({ data: { ping: 'pong' } });
  });

  test('anonymous callers share a bucket per client address', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => gateway.post({ query: '{ ping }' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 429, 429]);
    // Refused as it arrives, before its body is read: a hostile body costs nothing more once the bucket is empty.
    const refused = await gateway.post('{"query": "{ ping ');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
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
        useRateLimit({ keyPerSecond: 100, anonymousPerSecond: 100, keyCostPerSecond: 10_000, anonymousCostPerSecond: 100, burstSeconds: 3 }),
      ],
    });
  });
  afterAll(() => gateway?.dispose());

  test('an anonymous caller repeating its most expensive allowed operation runs dry; cheap operations and keys go on', async () => {
    const heavy = () => gateway.post({ query: '{ items(first: 40) }' }); // one page read: 100 of a 300 burst
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
