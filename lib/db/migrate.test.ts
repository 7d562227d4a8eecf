import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from './client.js';
import { migrate } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

const migrationCount = readMigrationFiles({ migrationsFolder: new URL('../../drizzle', import.meta.url).pathname }).length;

async function appliedCount(database: Database): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { count: number }[];
  return rows[0]!.count;
}

describe('migrations', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(() => testDb.dispose());

  test('a migrated database records every committed migration once', async () => {
    expect(await appliedCount(testDb.database)).toBe(migrationCount);
  });

  test('migrating again applies nothing', async () => {
    expect(await migrate(testDb.database.db)).toBe(0);
    expect(await appliedCount(testDb.database)).toBe(migrationCount);
  });

  test.skipIf(!process.env.DATABASE_URL)('replicas starting at once on an empty database apply each migration exactly once', async () => {
    const name = `cairn_migrate_${Date.now()}`;
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const replicas = await Promise.all(
      Array.from({ length: 4 }, () => createDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 })),
    );
    try {
      const applied = await Promise.all(replicas.map((replica) => migrate(replica.db)));
      expect(applied.reduce((sum, count) => sum + count, 0)).toBe(migrationCount);
      expect(await appliedCount(replicas[0]!)).toBe(migrationCount);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
