import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, type Database, type DatabaseOptions } from './client.js';
import { migrate } from './migrate.js';

export interface TestDatabase {
  database: Database;
  /** The connection URL of this test's own database on PostgreSQL; null on in-memory PGlite. */
  url: string | null;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL in `DATABASE_URL`
 * (dropped afterwards), otherwise an in-memory PGlite. Test files never see each other's rows.
 */
export async function createTestDatabase(env: NodeJS.ProcessEnv = process.env, options: DatabaseOptions = {}): Promise<TestDatabase> {
  const baseUrl = env.DATABASE_URL;
  if (!baseUrl) {
    const database = await createDatabase({ kind: 'pglite', dataDir: null }, options);
    await migrate(database.db);
    return { database, url: null, dispose: () => database.close() };
  }
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await createDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 }, options);
  await migrate(database.db);
  return {
    database,
    url: url.toString(),
    async dispose() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
