import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { toPageRequest } from '../../lib/graphql/pagination.js';
import { newId } from '../../lib/ids.js';
import { isLogUpkeep } from '../../test/helpers/events.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createIssuanceStore } from './db/issuance-store.js';
import { createKeyStore } from './db/key-store.js';
import { createMemberStore } from './db/member-store.js';
import { createIssuerStore, type IssuerStore } from './db/store.js';
import { createIssuerLoaders } from './loaders.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
const issuerIds: string[] = [];

beforeAll(async () => {
  deps = await createTestDeps();
  const store = createIssuerStore(deps.database.db);
  for (const name of ['One', 'Two', 'Three']) {
    const row = await store.insert(deps.database.db, { id: newId(), name, url: `https://${name}.example/` });
    issuerIds.push(row.id);
    for (let index = 0; index < 2; index += 1) {
      await createApiKey(deps.database.db, { name: `${name} key ${index}`, grant: { principal: 'ISSUER', issuerId: row.id, role: 'ISSUER' } });
    }
  }
});
afterAll(() => deps.dispose());

/** The real store, wrapped to record each call the loaders make. */
function recordingStore(): { store: IssuerStore; calls: string[][] } {
  const real = createIssuerStore(deps.database.db);
  const calls: string[][] = [];
  return { calls, store: { ...real, findByIds: (ids) => (calls.push([...ids]), real.findByIds(ids)) } };
}

describe('issuer loaders', () => {
  test('N issuer references are one store call, answered in key order, unknown and malformed ids as null', async () => {
    const { store, calls } = recordingStore();
    const loaders = createIssuerLoaders({ store, keys: createKeyStore(deps.database.db), issuance: createIssuanceStore(deps.database.db), members: createMemberStore(deps.database.db), db: deps.database.db });
    const keys = [issuerIds[2]!, 'not-an-id', issuerIds[0]!, newId(), issuerIds[1]!];
    const rows = await Promise.all(keys.map((id) => loaders.issuerById.load(id)));
    expect(calls).toEqual([keys]);
    expect(rows.map((row) => row?.name ?? null)).toEqual(['Three', null, 'One', null, 'Two']);
  });

  test('every issuer’s page of API keys comes from one batch', async () => {
    const statements: string[] = [];
    const counting = await createTestDeps({}, { onQuery: (statement) => void (isLogUpkeep(statement) || statements.push(statement)) });
    try {
      const store = createIssuerStore(counting.database.db);
      const ids = [];
      for (const name of ['A', 'B', 'C', 'D']) {
        const row = await store.insert(counting.database.db, { id: newId(), name, url: 'https://x.example/' });
        await createApiKey(counting.database.db, { name, grant: { principal: 'ISSUER', issuerId: row.id, role: 'OWNER' } });
        ids.push(row.id);
      }
      statements.length = 0;
      const loaders = createIssuerLoaders({ store, keys: createKeyStore(counting.database.db), issuance: createIssuanceStore(counting.database.db), members: createMemberStore(counting.database.db), db: counting.database.db });
      const pages = await Promise.all(ids.map((parentId) => loaders.apiKeysByIssuerId.load({ parentId, request: toPageRequest({ first: 5 }) })));
      expect(pages.map((page) => page.rows.map((row) => row.name))).toEqual([['A'], ['B'], ['C'], ['D']]);
      // One windowed statement (rows and totals in one snapshot), whatever the number of issuers.
      expect(statements.filter((statement) => statement.includes('"auth"."api_keys"'))).toHaveLength(1);
    } finally {
      await counting.dispose();
    }
  });
});
