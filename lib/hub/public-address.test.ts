import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db.js';
import { bindPublicAddress, PublicAddressChangedError } from './public-address.js';
import { publicAddresses } from './tables.js';

describe('bindPublicAddress: the hub is bound to the public base URL it first started under', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(() => testDb.dispose());

  const bind = (publicBaseUrl: string, publicBaseUrlAliases: string[] = []) => bindPublicAddress(testDb.database.db, { publicBaseUrl, publicBaseUrlAliases });
  const recorded = async () => (await testDb.database.db.select().from(publicAddresses)).map((row) => row.url).sort();

  test('the first start records its address; starting again under it (from several processes at once) is fine', async () => {
    await bind('http://localhost:4100');
    await Promise.all([bind('http://localhost:4100'), bind('http://localhost:4100')]);
    expect(await recorded()).toEqual(['http://localhost:4100']);
  });

  test('another address alone is refused, saying what changed, why it matters and what to do', async () => {
    const refusal = await bind('https://badges.example').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PublicAddressChangedError);
    const message = (refusal as Error).message;
    expect(message).toContain('it was http://localhost:4100 and is now https://badges.example');
    expect(message).toMatch(/did:web DID.*status list/);
    expect(message).toContain('CAIRN_PUBLIC_BASE_URL_ALIASES=http://localhost:4100');
    expect(message).toContain('PUBLIC_BASE_URL=http://localhost:4100');
    expect(await recorded()).toEqual(['http://localhost:4100']);
  });

  test('with the old address as an alias the new one starts and is recorded too', async () => {
    await bind('https://badges.example', ['http://localhost:4100']);
    expect(await recorded()).toEqual(['http://localhost:4100', 'https://badges.example']);
  });

  test('dropping the alias later is refused as well: credentials issued under it still name it', async () => {
    await expect(bind('https://badges.example')).rejects.toThrow('it was http://localhost:4100 and is now https://badges.example');
    await expect(bind('http://localhost:4100')).rejects.toThrow('CAIRN_PUBLIC_BASE_URL_ALIASES=https://badges.example');
    await bind('http://localhost:4100', ['https://badges.example']);
  });
});
