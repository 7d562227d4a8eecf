import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiKeys } from '../auth/tables.js';
import { toPageRequest, encodeCursor } from '../graphql/pagination.js';
import { newId } from '../ids.js';
import type { Db } from './client.js';
import { pageOf, pagesByParent } from './paging.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

let testDb: TestDatabase;
let db: Db;
beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.database.db;
});
afterAll(() => testDb?.dispose());

const keysTable = { table: apiKeys, id: apiKeys.id };
const byRecipient = { ...keysTable, parent: apiKeys.recipientId };

async function insertKey(recipientId: string | null = null): Promise<string> {
  const id = newId();
  await db.insert(apiKeys).values({ id, lookupId: id, secretHash: 'x', name: 'paging', principal: 'RECIPIENT', recipientId });
  return id;
}

describe('a page and its total are one snapshot (issue 10, item 4)', () => {
  test('while rows commit concurrently, totalCount always agrees with the edges of a page holding everything', async () => {
    const recipientId = newId();
    let writing = true;
    const writer = (async () => {
      for (let n = 0; n < 60 && writing; n++) await insertKey(recipientId);
    })();
    const torn: string[] = [];
    const everything = toPageRequest({ first: 100 });
    try {
      for (let read = 0; read < 120; read++) {
        const page = await pageOf(db, keysTable, everything, eq(apiKeys.recipientId, recipientId));
        if (page.rows.length !== page.totalCount) torn.push(`pageOf: ${page.rows.length} rows, totalCount ${page.totalCount}`);
        const byParent = (await pagesByParent(db, byRecipient, [recipientId], everything)).get(recipientId)!;
        if (byParent.rows.length !== byParent.totalCount) torn.push(`pagesByParent: ${byParent.rows.length} rows, totalCount ${byParent.totalCount}`);
      }
    } finally {
      writing = false;
      await writer;
    }
    expect(torn).toEqual([]);
  });
});

describe('paging', () => {
  let ids: string[];
  const parentA = newId();
  const parentB = newId();
  const parentEmpty = newId();

  beforeAll(async () => {
    await db.delete(apiKeys);
    ids = [];
    for (let n = 0; n < 5; n++) ids.push(await insertKey(n < 3 ? parentA : parentB));
  });

  test('pageOf: pages in id order; the total counts the whole (filtered) table, also past the last row', async () => {
    const first = await pageOf(db, keysTable, toPageRequest({ first: 2 }));
    expect(first.rows.map((row) => row.id)).toEqual(ids.slice(0, 3)); // page size + 1
    expect(first.totalCount).toBe(5);
    const next = await pageOf(db, keysTable, toPageRequest({ first: 2, after: encodeCursor(ids[1]!) }));
    expect(next.rows.map((row) => row.id)).toEqual(ids.slice(2, 5));
    expect(next.totalCount).toBe(5);
    const pastTheEnd = await pageOf(db, keysTable, toPageRequest({ first: 2, after: encodeCursor(ids[4]!) }));
    expect(pastTheEnd).toEqual({ rows: [], totalCount: 5 });
    const filtered = await pageOf(db, keysTable, toPageRequest({ first: 10 }), eq(apiKeys.recipientId, parentB));
    expect(filtered.rows.map((row) => row.id)).toEqual(ids.slice(3));
    expect(filtered.totalCount).toBe(2);
    expect(await pageOf(db, keysTable, toPageRequest({ first: 10 }), eq(apiKeys.recipientId, parentEmpty))).toEqual({ rows: [], totalCount: 0 });
  });

  test('pagesByParent: each parent its own rows, cut at the page size, with its own total, even with nothing after the cursor', async () => {
    const pages = await pagesByParent(db, byRecipient, [parentA, parentB.toUpperCase(), parentEmpty], toPageRequest({ first: 1 }));
    expect(pages.get(parentA)!.rows.map((row) => row.id)).toEqual(ids.slice(0, 2));
    expect(pages.get(parentA)!.totalCount).toBe(3);
    expect(pages.get(parentB)!.rows.map((row) => row.id)).toEqual(ids.slice(3, 5));
    expect(pages.get(parentB)!.totalCount).toBe(2);
    expect(pages.get(parentEmpty)).toEqual({ rows: [], totalCount: 0 });

    const after = await pagesByParent(db, byRecipient, [parentA, parentB], toPageRequest({ first: 1, after: encodeCursor(ids[2]!) }));
    expect(after.get(parentA)).toEqual({ rows: [], totalCount: 3 });
    expect(after.get(parentB)!.rows.map((row) => row.id)).toEqual(ids.slice(3, 5));
    expect(after.get(parentB)!.totalCount).toBe(2);
  });
});
