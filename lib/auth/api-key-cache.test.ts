import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../db/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-db.js';
import { newId } from '../ids.js';
import { createApiKeyCache, keyChangesAcknowledged, type ApiKeyCache, type ApiKeyCacheOptions } from './api-key-cache.js';
import { createApiKey } from './api-keys.js';
import { apiKeys, keyCacheLeases } from './tables.js';

// Two gateway replicas' caches on one database (on PostgreSQL each with its own connections, as separate processes
// would have), and a service revoking through a third handle. A revocation must hold on the very next request on
// every replica, with no waiting by the caller: the revoking side waits (keyChangesAcknowledged), as the services do.

const statements: string[] = [];
let testDb: TestDatabase;
let elsewhere: Database;
const keyReads = () => statements.filter((statement) => /from "auth"\."api_keys"/.test(statement)).length;
const FAST: ApiKeyCacheOptions = { leaseMs: 3_000, renewEveryMs: 300, marginMs: 500 };
const caches: ApiKeyCache[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A replica with its own connections on PostgreSQL; on PGlite the one in-process database. */
async function replicaDatabase(): Promise<Database> {
  return testDb.url ? createDatabase({ kind: 'postgres', url: testDb.url, poolSize: 2 }, { onQuery: (statement) => statements.push(statement) }) : testDb.database;
}

/** A replica whose LISTEN connection can be made to go silent (notifications and heartbeats no longer arrive). */
async function stallableReplica(options: ApiKeyCacheOptions) {
  const database = await replicaDatabase();
  let stalled = false;
  const silenced: Database = { ...database, listen: (channel, onPayload, onListening) => database.listen(channel, (payload) => stalled || onPayload(payload), onListening) };
  const cache = await createApiKeyCache(silenced, options);
  caches.push(cache);
  return { cache, stall: () => (stalled = true) };
}

async function replica(options: ApiKeyCacheOptions = FAST): Promise<ApiKeyCache> {
  return (await stallableReplica(options)).cache;
}

/** What the services do: change the key, then wait for every gateway with a lease before answering. */
async function revoke(id: string) {
  await elsewhere.db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, id));
  await keyChangesAcknowledged(elsewhere.db);
}

async function until(condition: () => boolean, withinMs: number) {
  const deadline = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase(process.env, { onQuery: (statement) => statements.push(statement) });
  elsewhere = testDb.url ? await createDatabase({ kind: 'postgres', url: testDb.url, poolSize: 2 }) : testDb.database;
});
afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
  if (elsewhere !== testDb?.database) await elsewhere?.close();
  await testDb?.dispose();
});

describe('the gateway API key cache', () => {
  test('a live key is read once, then answered from memory; the secret is still compared every time', async () => {
    const cache = await replica();
    const { secret, row } = await createApiKey(testDb.database.db, { name: 'ats', grant: { principal: 'ADMIN' } });
    expect(await cache.authenticate(secret)).toEqual({ kind: 'ADMIN', apiKeyId: row.id });
    const reads = keyReads();
    for (let i = 0; i < 5; i += 1) expect(await cache.authenticate(secret)).toEqual({ kind: 'ADMIN', apiKeyId: row.id });
    expect(keyReads()).toBe(reads);
    expect(await cache.authenticate(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    const unknown = `cairn_${'x'.repeat(16)}_${'y'.repeat(43)}`;
    await cache.authenticate(unknown);
    await cache.authenticate(unknown);
    expect(keyReads()).toBe(reads + 2);
  });

  test('revoked through one handle, the key is refused on the very next request by both replicas', async () => {
    const [a, b] = [await replica(), await replica()];
    for (let round = 0; round < 10; round += 1) {
      const { secret, row } = await createApiKey(testDb.database.db, { name: `portal ${round}`, grant: { principal: 'ADMIN' } });
      for (const gateway of [a, b]) expect(await gateway.authenticate(secret)).not.toBeNull();
      // Both answer from memory (a replica may be between leases for a moment on a loaded machine).
      await until(() => a.serving() && b.serving(), 3_000);
      await revoke(row.id);
      expect(await b.authenticate(secret)).toBeNull();
      expect(await a.authenticate(secret)).toBeNull();
    }
  });

  test('a new role and a deletion apply on the next request; recording last use forgets nothing', async () => {
    const cache = await replica();
    const { secret, row } = await createApiKey(testDb.database.db, { name: 'member', grant: { principal: 'ISSUER', issuerId: newId(), role: 'VIEWER' } });
    expect(await cache.authenticate(secret)).toMatchObject({ role: 'VIEWER' });
    await elsewhere.db.update(apiKeys).set({ lastUsedAt: new Date(0) }).where(eq(apiKeys.id, row.id));
    const reads = keyReads();
    await cache.authenticate(secret);
    expect(keyReads()).toBe(reads);
    await elsewhere.db.update(apiKeys).set({ role: 'OWNER' }).where(eq(apiKeys.id, row.id));
    await keyChangesAcknowledged(elsewhere.db);
    expect(await cache.authenticate(secret)).toMatchObject({ role: 'OWNER' });
    await elsewhere.db.delete(apiKeys).where(eq(apiKeys.id, row.id));
    await keyChangesAcknowledged(elsewhere.db);
    expect(await cache.authenticate(secret)).toBeNull();
  });

  test('a replica whose LISTEN goes silent stops answering from memory and reads the database', async () => {
    const { cache, stall } = await stallableReplica(FAST);
    const { secret, row } = await createApiKey(testDb.database.db, { name: 'stalled', grant: { principal: 'ADMIN' } });
    await cache.authenticate(secret);
    await until(() => cache.serving(), 3_000);
    stall();
    // Its own heartbeats do not come back: within three renewals it no longer trusts its memory.
    await until(() => !cache.serving(), 3 * FAST.renewEveryMs! + 1_000);
    const reads = keyReads();
    expect(await cache.authenticate(secret)).not.toBeNull();
    expect(keyReads()).toBe(reads + 1);
    const started = performance.now();
    await revoke(row.id);
    // The silent replica never acknowledges; the revocation waits at most for its lease, which it cannot renew.
    expect(performance.now() - started).toBeLessThan(FAST.leaseMs! + 1_000);
    expect(await cache.authenticate(secret)).toBeNull();
  });

  test('a dead replica (no acknowledgement) holds a revocation up until its lease expires, not longer', async () => {
    const cache = await replica();
    const { secret, row } = await createApiKey(testDb.database.db, { name: 'dead peer', grant: { principal: 'ADMIN' } });
    await cache.authenticate(secret);
    // A replica that took a lease and died: nothing will ever acknowledge for it.
    await elsewhere.db.insert(keyCacheLeases).values({ id: newId(), expiresAt: sql`now() + interval '1200 milliseconds'` });
    const started = performance.now();
    await revoke(row.id);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(500);
    expect(waited).toBeLessThan(1_200 + 1_000);
    expect(await cache.authenticate(secret)).toBeNull();
  });

  test('concurrent requests by different keys while one is revoked never serve the revoked key after the revocation answers', async () => {
    const [a, b] = [await replica(), await replica()];
    const keys = await Promise.all(['one', 'two', 'three', 'four'].map((name) => createApiKey(testDb.database.db, { name, grant: { principal: 'ADMIN' } })));
    const [victim] = keys;
    let revokedAt = Number.POSITIVE_INFINITY;
    const wrongs: string[] = [];
    const load = async (gateway: ApiKeyCache) => {
      // Until well after the revocation has answered.
      while (performance.now() < revokedAt + 300) {
        await Promise.all(
          keys.map(async ({ secret, row }) => {
            const startedAt = performance.now();
            const viewer = await gateway.authenticate(secret);
            if (row.id === victim!.row.id) {
              if (viewer && startedAt > revokedAt) wrongs.push(`served the revoked key ${(startedAt - revokedAt).toFixed(1)} ms after the revocation answered`);
            } else if (!viewer || viewer.kind === 'ANONYMOUS' || viewer.apiKeyId !== row.id) wrongs.push(`refused or confused ${row.name}`);
          }),
        );
        // Answers from memory resolve without I/O: let timers (the revocation's polling) run between rounds, as sockets would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const revoking = (async () => {
      await sleep(30);
      await revoke(victim!.row.id);
      revokedAt = performance.now();
    })();
    await Promise.all([load(a), load(b), revoking]);
    expect(wrongs).toEqual([]);
    expect(await a.authenticate(victim!.secret)).toBeNull();
    expect(await b.authenticate(victim!.secret)).toBeNull();
  });
});
