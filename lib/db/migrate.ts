import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { bigint, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/** drizzle-kit's own bookkeeping table, so `drizzle-kit migrate` and this runner agree on what is applied. */
const drizzleSchema = pgSchema('drizzle');
const appliedMigrations = drizzleSchema.table('__drizzle_migrations', {
  id: serial('id').primaryKey(),
  hash: text('hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }),
});

/** Any constant works; it only has to be the same in every replica of every service. */
const MIGRATION_LOCK_KEY = 0x0ca1_5e00;

/**
 * Applies the committed drizzle-kit migrations. Unlike drizzle's stock migrator, the check for what is
 * already applied happens inside the same transaction as the work, after taking an advisory lock:
 * replicas that start together queue on the lock and the later ones find nothing left to do.
 */
export async function migrate(db: Db, migrationsFolder = findMigrationsFolder()): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  return db.transaction(async (tx) => {
    // A migration may rebuild a large table, and a replica waits here for another's migration: neither is a stuck
    // request, so the pool's statement and lock timeouts are lifted for this one transaction.
    await tx.execute(sql`set local statement_timeout = 0`);
    await tx.execute(sql`set local lock_timeout = 0`);
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const [last] = await tx
      .select({ createdAt: appliedMigrations.createdAt })
      .from(appliedMigrations)
      .orderBy(sql`${appliedMigrations.createdAt} desc`)
      .limit(1);
    let applied = 0;
    for (const migration of migrations) {
      if (last?.createdAt != null && last.createdAt >= migration.folderMillis) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.insert(appliedMigrations).values({ hash: migration.hash, createdAt: migration.folderMillis });
      applied += 1;
    }
    return applied;
  });
}

/** `drizzle/` sits at the package root, both when running from source and from `dist/`. */
function findMigrationsFolder(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes('/dist/') ? here.slice(0, here.lastIndexOf('/dist/')) : here.slice(0, here.lastIndexOf('/lib/'));
  return `${root}/drizzle`;
}
