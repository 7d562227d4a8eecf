import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createDatabase } from '../../lib/db/client.js';
import { createTestDatabase } from '../../lib/db/test-db.js';
import { issuerCreatedEvent } from '../../lib/events/contracts/issuer-created.js';
import { EventFeed } from '../../lib/events/feed.js';
import { appendEvents } from '../../lib/events/outbox.js';

/**
 * Event-writing transactions per second (`tsx scripts/bench/event-appends.ts`; `npm run bench` runs it): BENCH_WRITERS
 * concurrent writers (default 32, over a pool of as many connections) each committing small transactions that append
 * one event, for BENCH_SECONDS (default 10). Beside it, in the same run, the same transactions inserting a row into a
 * plain table with no event: the database's own ceiling on this machine. PostgreSQL only (PGlite has one connection,
 * so nothing runs side by side there). Prints; asserts nothing.
 */

const WRITERS = Number(process.env.BENCH_WRITERS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
if (!process.env.DATABASE_URL) {
  console.log('event appends: skipped (needs DATABASE_URL: concurrent writers need PostgreSQL)');
  process.exit(0);
}

const testDb = await createTestDatabase({ ...process.env }, {});
try {
  const { database } = testDb;
  // A pool as large as the writers, so they queue on the log and not on connections.
  const pool = await createDatabase({ kind: 'postgres', url: testDb.url!, poolSize: WRITERS });
  await database.db.execute(sql`create table public.plain_writes (id bigserial primary key, payload jsonb not null)`);
  // The process's feed sequences what is appended, as every replica's does: its work is part of the cost.
  const feed = new EventFeed(database, 5_000);
  await feed.start();
  const issuerId = '0190a0a0-0000-7000-8000-00000000000a';

  async function run(label: string, write: (n: number) => Promise<void>): Promise<number> {
    let done = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let n = 0; performance.now() < until; n++) {
          await write(writer * 1_000_000 + n);
          done += 1;
        }
      }),
    );
    const rate = done / SECONDS;
    console.log(`${label}: ${Math.round(rate)} transactions/s (${WRITERS} writers, ${SECONDS} s, load ${os.loadavg()[0]!.toFixed(2)})`);
    return rate;
  }

  const plain = await run('plain insert, no event (ceiling)', (n) =>
    pool.db.transaction(async (tx) => {
      await tx.execute(sql`insert into public.plain_writes (payload) values (${JSON.stringify({ n })}::jsonb)`);
    }),
  );
  const appends = await run('insert + appendEvents', (n) =>
    pool.db.transaction(async (tx) => {
      await tx.execute(sql`insert into public.plain_writes (payload) values (${JSON.stringify({ n })}::jsonb)`);
      await appendEvents(tx, [issuerCreatedEvent.build({ issuerId, name: `issuer ${n}`, url: null })]);
    }),
  );
  console.log(`event appends reach ${((100 * appends) / plain).toFixed(0)}% of the ceiling`);
  await feed.close();
  await pool.close();
} finally {
  await testDb.dispose();
}
