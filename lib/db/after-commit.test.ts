import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAfterCommit } from './after-commit.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb?.dispose());

test('a hook runs once after its transaction commits, with the handle the transaction came from', async () => {
  const db = testDb.database.db;
  const calls: unknown[] = [];
  let ranBeforeCommit = false;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    expect(runAfterCommit(tx, 'k', (root) => calls.push(root))).toBe(true);
    expect(runAfterCommit(tx, 'k', (root) => calls.push(root))).toBe(true);
    ranBeforeCommit = calls.length > 0;
  });
  expect(ranBeforeCommit).toBe(false);
  expect(calls).toEqual([db]);
});

test('a rolled-back transaction runs no hook, not even one asked in a savepoint; a bare handle cannot take one', async () => {
  const db = testDb.database.db;
  let ran = false;
  await expect(
    db.transaction(async (tx) => {
      runAfterCommit(tx, 'k', () => (ran = true));
      await tx.transaction(async (savepoint) => {
        expect(runAfterCommit(savepoint, 'in-savepoint', () => (ran = true))).toBe(true);
      });
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(ran).toBe(false);
  expect(runAfterCommit(db, 'k', () => (ran = true))).toBe(false);
});

test('a hook asked in a savepoint runs after the enclosing commit if the savepoint was released, never if it was rolled back', async () => {
  const db = testDb.database.db;
  const ran: string[] = [];
  let ranBeforeCommit = false;
  await db.transaction(async (tx) => {
    await tx.transaction(async (released) => {
      await released.transaction(async (nested) => void runAfterCommit(nested, 'nested', () => ran.push('nested')));
      runAfterCommit(released, 'released', () => ran.push('released'));
    });
    await expect(
      tx.transaction(async (rolledBack) => {
        runAfterCommit(rolledBack, 'rolled back', () => ran.push('rolled back'));
        throw new Error('roll back the savepoint');
      }),
    ).rejects.toThrow('roll back the savepoint');
    ranBeforeCommit = ran.length > 0;
  });
  expect(ranBeforeCommit).toBe(false);
  expect(ran.sort()).toEqual(['nested', 'released']);
});

test('a hook that throws does not turn the commit into an error', async () => {
  const db = testDb.database.db;
  await expect(
    db.transaction(async (tx) => {
      runAfterCommit(tx, 'k', () => {
        throw new Error('hook bug');
      });
    }),
  ).resolves.toBeUndefined();
});
