import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../db/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-db.js';
import { newId } from '../ids.js';
import { eventually } from '../../test/helpers/eventually.js';
import { createApiKeyCache } from './api-key-cache.js';
import { createApiKey, revokeApiKey } from './api-keys.js';
import { apiKeys } from './tables.js';

// The gateway remembers live keys instead of reading one per request; a change to a key made anywhere (here through
// another connection on PostgreSQL, as another replica would) must reach every gateway's memory.

const statements: string[] = [];
let testDb: TestDatabase;
let elsewhere: Database;
const keyReads = () => statements.filter((statement) => /from "auth"\."api_keys"/.test(statement)).length;

beforeAll(async () => {
  testDb = await createTestDatabase(process.env, { onQuery: (statement) => statements.push(statement) });
  elsewhere = testDb.url ? await createDatabase({ kind: 'postgres', url: testDb.url, poolSize: 1 }) : testDb.database;
});
afterAll(async () => {
  if (elsewhere !== testDb?.database) await elsewhere?.close();
  await testDb?.dispose();
});

describe('the API key cache', () => {
  test('a live key is read once, then checked from memory (the secret still compared every time)', async () => {
    const cache = await createApiKeyCache(testDb.database);
    const { secret, row } = await createApiKey(testDb.database.db, { name: 'ats', grant: { principal: 'ADMIN' } });
    expect(await cache.authenticate(secret)).toEqual({ kind: 'ADMIN', apiKeyId: row.id });
    const reads = keyReads();
    for (let i = 0; i < 5; i += 1) expect(await cache.authenticate(secret)).toEqual({ kind: 'ADMIN', apiKeyId: row.id });
    expect(keyReads()).toBe(reads);
    expect(await cache.authenticate(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    await cache.close();
  });

  test('a revocation made elsewhere reaches two gateways at once; an unknown key is never remembered', async () => {
    const gateways = [await createApiKeyCache(testDb.database), await createApiKeyCache(testDb.database)];
    const { secret, row } = await createApiKey(testDb.database.db, { name: 'portal', grant: { principal: 'ADMIN' } });
    for (const gateway of gateways) expect(await gateway.authenticate(secret)).not.toBeNull();
    await revokeApiKey(elsewhere.db, row.id);
    for (const gateway of gateways) expect(await eventually(() => gateway.authenticate(secret), (viewer) => viewer === null, 2_000)).toBeNull();
    const unknown = `cairn_${'x'.repeat(16)}_${'y'.repeat(43)}`;
    const reads = keyReads();
    await gateways[0]!.authenticate(unknown);
    await gateways[0]!.authenticate(unknown);
    expect(keyReads()).toBe(reads + 2);
    await Promise.all(gateways.map((gateway) => gateway.close()));
  });

  test('a new role applies, and a deleted key stops working; last use being recorded forgets nothing', async () => {
    const cache = await createApiKeyCache(testDb.database);
    const issuerId = newId();
    const { secret, row } = await createApiKey(testDb.database.db, { name: 'member', grant: { principal: 'ISSUER', issuerId, role: 'VIEWER' } });
    expect(await cache.authenticate(secret)).toMatchObject({ role: 'VIEWER' });
    await elsewhere.db.update(apiKeys).set({ lastUsedAt: new Date(0) }).where(eq(apiKeys.id, row.id));
    const reads = keyReads();
    await cache.authenticate(secret);
    expect(keyReads()).toBe(reads);
    await elsewhere.db.update(apiKeys).set({ role: 'OWNER' }).where(eq(apiKeys.id, row.id));
    expect(await eventually(() => cache.authenticate(secret), (viewer) => viewer?.kind === 'ISSUER' && viewer.role === 'OWNER', 2_000)).toMatchObject({ role: 'OWNER' });
    await elsewhere.db.delete(apiKeys).where(eq(apiKeys.id, row.id));
    expect(await eventually(() => cache.authenticate(secret), (viewer) => viewer === null, 2_000)).toBeNull();
    await cache.close();
  });
});
