import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase } from './client.js';
import { isConnectionLost, isTransientDatabaseError } from './errors.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

const projectRoot = join(import.meta.dirname, '../..');
const driverRoot = join(projectRoot, 'node_modules/postgres');
const patchesDir = join(projectRoot, 'patches');

describe('the installed postgres driver carries our patch (applied by `npm ci` through postinstall)', () => {
  test('the patch is for the installed version, and every line it adds is in the installed files', () => {
    const version = (JSON.parse(readFileSync(join(driverRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const patch = readdirSync(patchesDir).find((file) => file.startsWith('postgres+'));
    // A bumped driver needs the patch checked against upstream (is the fix released?) and regenerated or dropped.
    expect(patch).toBe(`postgres+${version}.patch`);
    let file = '';
    const missing: string[] = [];
    for (const line of readFileSync(join(patchesDir, patch!), 'utf8').split('\n')) {
      if (line.startsWith('+++ b/node_modules/postgres/')) file = readFileSync(join(driverRoot, line.slice('+++ b/node_modules/postgres/'.length)), 'utf8');
      else if (line.startsWith('+') && line.slice(1).trim() && !file.includes(line.slice(1))) missing.push(line);
    }
    expect(missing).toEqual([]);
  });
});

/** Errors that escaped every promise while `run` ran: what would have killed a service. */
async function escapedErrors(run: () => Promise<void>): Promise<unknown[]> {
  const escaped: unknown[] = [];
  const record = (error: unknown) => void escaped.push(error);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 200)); // deferred writes and timers fire
  } finally {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  }
  return escaped;
}

const settlesWithin = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms: the pool is wedged`)), ms))]);

describe.skipIf(!process.env.DATABASE_URL)('terminated backends (issue 10, item 2: postgres.js #1154/#1208/#1199)', () => {
  let testDb: TestDatabase;
  let killer: postgres.Sql;
  const terminateAll = () => killer`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    killer = postgres(testDb.url!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await killer?.end();
    await testDb?.dispose();
  });

  test('transactions while every backend is terminated in a loop: nothing escapes, every failure is a lost connection, the pool recovers', async () => {
    const client = postgres(testDb.url!, { max: 4, onnotice: () => {} });
    const failures: unknown[] = [];
    let committed = 0;
    const escaped = await escapedErrors(async () => {
      const until = Date.now() + 3_000;
      const killing = (async () => {
        while (Date.now() < until) {
          await terminateAll();
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      const working = Array.from({ length: 6 }, async () => {
        while (Date.now() < until) {
          try {
            await client.begin(async (tx) => {
              await tx`select pg_sleep(0.005)`;
              await tx`select 1`;
            });
            committed += 1;
          } catch (error) {
            failures.push(error);
          }
        }
      });
      await Promise.all([killing, ...working]);
    });
    expect(escaped).toEqual([]);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((error) => !isConnectionLost(error))).toEqual([]);
    expect(await settlesWithin(client`select 1 as one`, 5_000)).toEqual([{ one: 1 }]);
    expect(committed).toBeGreaterThan(0);
    await client.end({ timeout: 1 });
  });

  test('a reserved connection whose backend was terminated fails its queries and, released, does not wedge the pool', async () => {
    const client = postgres(testDb.url!, { max: 1, onnotice: () => {} });
    const escaped = await escapedErrors(async () => {
      const reserved = await client.reserve();
      await terminateAll();
      await expect(reserved`select 1`).rejects.toSatisfy(isConnectionLost);
      await expect(reserved`select 1`).rejects.toSatisfy(isConnectionLost);
      reserved.release();
      expect(await settlesWithin(client`select 2 as two`, 5_000)).toEqual([{ two: 2 }]);
    });
    expect(escaped).toEqual([]);
    await client.end({ timeout: 1 });
  });
});

describe.skipIf(!process.env.DATABASE_URL)('database timeouts (issue 10, item 11)', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(() => testDb?.dispose());

  test('every session starts with the configured timeouts; a slow statement is cancelled as a retryable error', async () => {
    const timeouts = { statementMs: 300, lockMs: 200, idleInTransactionMs: 1_000, poolIdleSeconds: 1 };
    const database = await createDatabase({ kind: 'postgres', url: testDb.url!, poolSize: 2, timeouts });
    try {
      const [settings] = (await database.db.execute(
        sql`select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock, current_setting('idle_in_transaction_session_timeout') as idle`,
      )) as unknown as { statement: string; lock: string; idle: string }[];
      expect(settings).toEqual({ statement: '300ms', lock: '200ms', idle: '1s' });
      const slow = await database.db.execute(sql`select pg_sleep(2)`).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isTransientDatabaseError(slow)).toBe(true);

      // The pool's idle timeout: its connections are closed once unused, so the server no longer has their backends.
      const pids = async () => ((await database.db.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[])[0]!.pid;
      const ours = await Promise.all([pids(), pids()]);
      const alive = async () =>
        ((await testDb.database.db.execute(sql`select count(*)::int as n from pg_stat_activity where pid in ${ours}`)) as unknown as { n: number }[])[0]!.n;
      expect(await alive()).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await alive()).toBe(0);
    } finally {
      await database.close();
    }
  });

  test('the defaults apply when the configuration names none', async () => {
    const [settings] = (await testDb.database.db.execute(sql`select current_setting('statement_timeout') as statement`)) as unknown as { statement: string }[];
    expect(settings!.statement).toBe('30s');
  });
});
