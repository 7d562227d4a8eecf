import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PageRequest } from '../../lib/graphql/pagination.js';
import { newId } from '../../lib/ids.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createAchievementStore, type AchievementStore } from './db/store.js';
import type { AchievementRow } from './db/tables.js';
import { createAchievementLoaders } from './loaders.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let store: AchievementStore;
const issuerA = newId();
const issuerB = newId();
const issuerC = newId();
const rows: AchievementRow[] = [];

beforeAll(async () => {
  deps = await createTestDeps();
  store = createAchievementStore(deps.database.db);
  // Ids are time-ordered, so inserting in turn fixes each issuer's page order.
  for (const [issuerId, name] of [
    [issuerA, 'A1'],
    [issuerB, 'B1'],
    [issuerA, 'A2'],
    [issuerA, 'A3'],
    [issuerB, 'B2'],
  ] as const) {
    rows.push(await store.insert(deps.database.db, { id: newId(), issuerId, name, description: name, criteriaNarrative: name }));
  }
});
afterAll(() => deps.dispose());

/** The real store over the test database, recording the arguments of every call. */
function recordingStore() {
  const calls = { findByIds: [] as string[][], pagesByIssuer: [] as { issuerIds: string[]; request: PageRequest }[] };
  const recorded: AchievementStore = {
    ...store,
    findByIds(ids) {
      calls.findByIds.push([...ids]);
      return store.findByIds(ids);
    },
    pagesByIssuer(issuerIds, request) {
      calls.pagesByIssuer.push({ issuerIds: [...issuerIds], request });
      return store.pagesByIssuer(issuerIds, request);
    },
  };
  return { calls, loaders: createAchievementLoaders(recorded) };
}

const names = (page: { rows: AchievementRow[] } | null) => page?.rows.map((row) => row.name);

describe('achievement loaders', () => {
  test('achievementById: one query for a batch, results in key order, missing ids as null', async () => {
    const { calls, loaders } = recordingStore();
    const missing = newId();
    const ids = [rows[3]!.id, missing, rows[0]!.id, 'not-a-uuid', rows[4]!.id];
    const loaded = await Promise.all(ids.map((id) => loaders.achievementById.load(id)));
    expect(calls.findByIds).toEqual([ids]);
    expect(loaded.map((row) => row?.name ?? null)).toEqual(['A3', null, 'A1', null, 'B2']);
  });

  test('achievementsByIssuerId: one query for many issuers asking the same page, in key order', async () => {
    const { calls, loaders } = recordingStore();
    const request: PageRequest = { afterId: null, limit: 3, size: 2 };
    const issuerIds = [issuerB, issuerC, issuerA];
    const pages = await Promise.all(issuerIds.map((issuerId) => loaders.achievementsByIssuerId.load({ parentId: issuerId, request: { ...request } })));
    expect(calls.pagesByIssuer).toEqual([{ issuerIds, request }]);
    expect(pages.map(names)).toEqual([['B1', 'B2'], [], ['A1', 'A2', 'A3']]);
    expect(pages.map((page) => page?.totalCount)).toEqual([2, 0, 3]);
  });

  test('achievementsByIssuerId: equal keys share one load; each distinct page request is one store call', async () => {
    const { calls, loaders } = recordingStore();
    const firstPage: PageRequest = { afterId: null, limit: 2, size: 1 };
    const afterA1: PageRequest = { afterId: rows[0]!.id, limit: 2, size: 1 };
    const [a, aAgain, b, aLater] = await Promise.all([
      loaders.achievementsByIssuerId.load({ parentId: issuerA, request: firstPage }),
      loaders.achievementsByIssuerId.load({ parentId: issuerA, request: { ...firstPage } }),
      loaders.achievementsByIssuerId.load({ parentId: issuerB, request: firstPage }),
      loaders.achievementsByIssuerId.load({ parentId: issuerA, request: afterA1 }),
    ]);
    expect(calls.pagesByIssuer).toHaveLength(2);
    expect(calls.pagesByIssuer.map((call) => call.issuerIds)).toEqual([[issuerA, issuerB], [issuerA]]);
    expect(aAgain).toBe(a);
    expect([a, b, aLater].map(names)).toEqual([['A1', 'A2'], ['B1', 'B2'], ['A2', 'A3']]);
  });

  test('achievementsByIssuerId: a malformed issuer id has an empty page, not a failed batch', async () => {
    const { loaders } = recordingStore();
    const request: PageRequest = { afterId: null, limit: 21, size: 20 };
    const [bad, good] = await Promise.all([
      loaders.achievementsByIssuerId.load({ parentId: 'acme', request }),
      loaders.achievementsByIssuerId.load({ parentId: issuerB, request }),
    ]);
    expect(bad).toEqual({ rows: [], totalCount: 0 });
    expect(names(good)).toEqual(['B1', 'B2']);
  });

  test('rows come back with their columns mapped, timestamps as dates', async () => {
    const { loaders } = recordingStore();
    const page = await loaders.achievementsByIssuerId.load({ parentId: issuerA, request: { afterId: null, limit: 1, size: 1 } });
    expect(page?.rows[0]).toEqual(rows[0]);
    expect(page?.rows[0]?.createdAt).toBeInstanceOf(Date);
  });
});
