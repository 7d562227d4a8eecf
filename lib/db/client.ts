import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { DatabaseConfig } from '../config/env.js';

/**
 * The driver-agnostic drizzle handle. A transaction (`PgTransaction`) is one of these too,
 * so a store method that takes `Db` works both alone and inside a caller's transaction.
 */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export type Unlisten = () => Promise<void>;

export interface Database {
  kind: DatabaseConfig['kind'];
  db: Db;
  /** LISTEN on a channel; the callback gets each NOTIFY payload after the notifying transaction commits. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten>;
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
    const client = postgres(config.url, {
      max: config.poolSize,
      onnotice: () => {},
    });
    return {
      kind: 'postgres',
      db: drizzlePostgres({ client, casing, logger }) as unknown as Db,
      async listen(channel, onPayload) {
        const { unlisten } = await client.listen(channel, onPayload);
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(config.dataDir ?? undefined);
  return {
    kind: 'pglite',
    db: drizzlePglite({ client, casing, logger }) as unknown as Db,
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => client.close(),
  };
}
