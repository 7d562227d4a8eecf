import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { createTestDatabase, type TestDatabase } from '../db/test-db.js';
import { PostgresBuckets } from './postgres-buckets.js';
import { RedisBuckets } from './redis-buckets.js';
import { TokenBuckets, type RateLimitStore } from './token-buckets.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two handles on one store, as two replicas would hold them (the memory store has only itself to share with). */
interface StoreKind {
  name: string;
  shared: boolean;
  open(): Promise<{ a: RateLimitStore; b: RateLimitStore }>;
}

let testDb: TestDatabase;
let secondConnection: Database | null = null;
const redisClients: Redis[] = [];
const postgresStores: PostgresBuckets[] = [];
/** This run's own Redis keys: the server is shared with other test files and other checkouts. */
const redisPrefix = `cairn-test:${randomBytes(6).toString('hex')}:`;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // On PostgreSQL the second "replica" has a connection pool of its own; PGlite lives in this process only.
  if (testDb.url) secondConnection = await createDatabase({ kind: 'postgres', url: testDb.url, poolSize: 2 });
});
afterAll(async () => {
  for (const store of postgresStores) store.close();
  await Promise.all(redisClients.map((client) => client.quit()));
  await secondConnection?.close();
  await testDb?.dispose();
});

const KINDS: StoreKind[] = [
  {
    name: 'memory',
    shared: false,
    async open() {
      const buckets = new TokenBuckets();
      return { a: buckets, b: buckets };
    },
  },
  {
    name: 'postgres',
    shared: true,
    async open() {
      const a = new PostgresBuckets(testDb.database.db);
      const b = new PostgresBuckets((secondConnection ?? testDb.database).db);
      postgresStores.push(a, b);
      return { a, b };
    },
  },
  {
    name: 'redis',
    shared: true,
    async open() {
      const [one, two] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
      redisClients.push(one, two);
      return { a: new RedisBuckets(one, redisPrefix), b: new RedisBuckets(two, redisPrefix) };
    },
  },
];

/** A key no other test touches. */
const fresh = (label: string) => `${label}:${randomBytes(6).toString('hex')}`;

describe.each(KINDS)('$name token buckets', (kind) => {
  let a: RateLimitStore;
  let b: RateLimitStore;
  beforeAll(async () => {
    ({ a, b } = await kind.open());
  });

  test('a bucket spends its burst, then refills at its rate, and says how long to wait', async () => {
    const key = fresh('burst');
    const now = 1_000_000;
    for (let i = 0; i < 4; i += 1) expect(await a.take(key, 2, 4, now)).toEqual({ allowed: true });
    expect(await a.take(key, 2, 4, now)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await a.take(fresh('other'), 2, 4, now)).toEqual({ allowed: true });
    expect(await a.take(key, 2, 4, now + 500)).toEqual({ allowed: true });
    expect(await a.take(key, 2, 4, now + 500)).toMatchObject({ allowed: false });
  });

  test('a charge may leave a bucket in debt, which refills before anything is allowed again', async () => {
    const key = fresh('debt');
    await a.charge(key, 1, 2, 5, 0);
    expect(await a.take(key, 1, 2, 0)).toEqual({ allowed: false, retryAfterSeconds: 3 });
    expect(await a.take(key, 1, 2, 3_000)).toEqual({ allowed: true });
  });

  test('a slow refill rate asks for a longer wait; an amount bigger than the bucket is refused outright', async () => {
    const key = fresh('slow');
    await a.take(key, 0.1, 1, 0);
    expect(await a.take(key, 0.1, 1, 0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(await a.take(fresh('big'), 10, 100, 0, 101)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  test('a clock behind the last take refills nothing and takes nothing back', async () => {
    const key = fresh('skew');
    expect(await a.take(key, 1, 2, 10_000, 2)).toEqual({ allowed: true });
    expect(await b.take(key, 1, 2, 9_000)).toMatchObject({ allowed: false });
    expect(await a.take(key, 1, 2, 11_000)).toEqual({ allowed: true });
  });

  test.runIf(kind.shared)('two replicas share one bucket: a budget spent on one is refused on the other', async () => {
    const key = fresh('shared');
    const now = Date.now();
    for (let i = 0; i < 3; i += 1) expect(await a.take(key, 1, 3, now)).toEqual({ allowed: true });
    expect(await b.take(key, 1, 3, now)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    await b.charge(key, 1, 3, 2, now);
    expect(await a.take(key, 1, 3, now + 2_000)).toMatchObject({ allowed: false });
  });

  test.runIf(kind.shared)('concurrent takes from both replicas never spend a token twice', async () => {
    const key = fresh('race');
    const now = Date.now();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take(key, 0.001, 10, now)));
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(10);
  });
});

describe('idle buckets are forgotten', () => {
  test('postgres: the sweep deletes the rows of buckets full again, and only those', async () => {
    const store = new PostgresBuckets(testDb.database.db);
    postgresStores.push(store);
    const [idle, busy] = [fresh('idle'), fresh('busy')];
    await store.take(idle, 10, 10, 0, 5); // full again at 500 ms
    await store.take(busy, 1, 10, 0, 10); // full again at 10 s
    await store.sweep(1_000);
    const keys = rowsOf<{ key: string }>(await testDb.database.db.execute(sql`select key from ratelimit.buckets where key in (${idle}, ${busy})`));
    expect(keys.map((row) => row.key)).toEqual([busy]);
  });

  test('redis: a bucket expires when it would be full again', async () => {
    const client = new Redis(REDIS_URL);
    redisClients.push(client);
    const store = new RedisBuckets(client, redisPrefix);
    const key = fresh('expiring');
    await store.take(key, 2, 10, Date.now(), 4); // 4 tokens at 2 per second: full again in 2 s
    const expiresIn = await client.pttl(redisPrefix + key);
    expect(expiresIn).toBeGreaterThan(1_900);
    expect(expiresIn).toBeLessThanOrEqual(2_001);
  });
});
