import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseConfig } from '../config/env.js';
import { withAfterCommitHooks } from './after-commit.js';

/**
 * The driver-agnostic drizzle handle. A transaction (`PgTransaction`) is one of these too,
 * so a store method that takes `Db` works both alone and inside a caller's transaction.
 */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export type Unlisten = () => Promise<void>;

export interface Database {
  kind: DatabaseConfig['kind'];
  db: Db;
  /**
   * LISTEN on a channel; the callback gets each NOTIFY payload after the notifying transaction commits.
   * `onListening` runs each time the LISTEN connection is (re)established: notifications sent while it was down are
   * lost, so a listener that keeps state from them starts over there.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListening?: () => void): Promise<Unlisten>;
  close(): Promise<void>;
}

/** Tables are declared in camelCase and live in snake_case, on both drivers and in drizzle-kit. */
const casing = 'snake_case' as const;

export interface DatabaseOptions {
  /** Called with every SQL statement drizzle runs; tests use it to prove batching. */
  onQuery?: (statement: string) => void;
}

export async function createDatabase(config: DatabaseConfig, options: DatabaseOptions = {}): Promise<Database> {
  const logger = options.onQuery ? { logQuery: (statement: string) => options.onQuery!(statement) } : undefined;
  if (config.kind === 'postgres') {
    const timeouts = config.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
    const client = postgres(config.url, {
      max: config.poolSize,
      idle_timeout: timeouts.poolIdleSeconds || undefined,
      // Sent in the startup message, so every session of the pool (and its LISTEN connection) starts with them.
      connection: {
        statement_timeout: timeouts.statementMs,
        lock_timeout: timeouts.lockMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      },
      onnotice: () => {},
    });
    return {
      kind: 'postgres',
      db: withAfterCommitHooks(drizzlePostgres({ client, casing, logger }) as unknown as Db),
      async listen(channel, onPayload, onListening) {
        const { unlisten } = await client.listen(channel, onPayload, onListening);
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(config.dataDir ?? undefined);
  return {
    kind: 'pglite',
    db: withAfterCommitHooks(drizzlePglite({ client, casing, logger }) as unknown as Db),
    async listen(channel, onPayload, onListening) {
      // In-process: the listener is never cut off from the database.
      const unlisten = await client.listen(channel, onPayload);
      onListening?.();
      return () => unlisten();
    },
    close: () => client.close(),
  };
}
