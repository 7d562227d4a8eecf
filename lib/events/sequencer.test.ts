import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { rowsOf } from '../db/rows.js';
import { createTestDatabase, type TestDatabase } from '../db/test-db.js';
import { issuerCreatedEvent } from './contracts/issuer-created.js';
import { appendEvents, headCursor, readEvents } from './outbox.js';
import { sequenceCommittedEvents } from './sequencer.js';
import type { StoredEvent } from './types.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const event = (name: string) => issuerCreatedEvent.build({ issuerId: '0190a0a0-0000-7000-8000-00000000000a', name, url: null });
const names = (events: StoredEvent[]) => events.map((stored) => String(stored.payload.name));

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb?.dispose());

test('appended events are invisible to readers until sequenced, then numbered in insertion order after the head', async () => {
  const db = testDb.database.db;
  const head = await headCursor(db);
  await db.transaction((tx) => appendEvents(tx, [event('first'), event('second')]));
  expect(await readEvents(db, { after: head, limit: 10 })).toEqual([]);
  expect(await sequenceCommittedEvents(db)).toBe(head + 2);
  const read = await readEvents(db, { after: head, limit: 10 });
  expect(names(read)).toEqual(['first', 'second']);
  expect(read.map((stored) => stored.cursor)).toEqual([head + 1, head + 2]);
  expect(await headCursor(db)).toBe(head + 2);
  expect(await sequenceCommittedEvents(db)).toBeNull();
});

test("a bulk chunk's many events keep the order they were given in, with their issuer and recipient", async () => {
  const db = testDb.database.db;
  await sequenceCommittedEvents(db);
  const head = await headCursor(db);
  const recipientId = '0190a0a0-0000-7000-8000-0000000000b1';
  const given = Array.from({ length: 300 }, (_, n) => ({ ...event(`event ${n}`), recipientId: n % 2 === 0 ? recipientId : null }));
  await db.transaction((tx) => appendEvents(tx, given));
  await sequenceCommittedEvents(db);
  const read = await readEvents(db, { after: head, limit: 1_000 });
  expect(names(read)).toEqual(given.map((_, n) => `event ${n}`));
  expect(read.map((stored) => [stored.type, stored.issuerId, stored.recipientId])).toEqual(given.map((appended) => [appended.type, appended.issuerId, appended.recipientId]));
});

test('a rolled-back append leaves nothing to number', async () => {
  const db = testDb.database.db;
  await sequenceCommittedEvents(db);
  const head = await headCursor(db);
  await expect(
    db.transaction(async (tx) => {
      await appendEvents(tx, [event('never')]);
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await sequenceCommittedEvents(db)).toBeNull();
  expect(await headCursor(db)).toBe(head);
});

describe.skipIf(!onPostgres)('concurrent writers without a lock (issue 11, item 3)', () => {
  /**
   * The interleaving that skips an event when cursors are handed out at insert time: A inserts first but commits
   * last, a reader reads in between and moves past A's number. Here A's event gets its cursor when it commits, after
   * the cursor the reader already holds, so resuming from that cursor delivers it.
   */
  test('an event whose transaction commits after a later writer is read after it, never skipped', async () => {
    const db = testDb.database.db;
    await sequenceCommittedEvents(db);
    const start = await headCursor(db);
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (releaseA = resolve));
    let aInserted!: () => void;
    const aHasInserted = new Promise<void>((resolve) => (aInserted = resolve));
    const a = db.transaction(async (tx) => {
      await appendEvents(tx, [event('A, inserted first')]);
      aInserted();
      await aMayCommit;
    });
    await aHasInserted;
    await db.transaction((tx) => appendEvents(tx, [event('B, committed first')]));
    await sequenceCommittedEvents(db);
    const firstRead = await readEvents(db, { after: start, limit: 10 });
    expect(names(firstRead)).toEqual(['B, committed first']);
    releaseA();
    await a;
    await sequenceCommittedEvents(db);
    const resumed = await readEvents(db, { after: firstRead.at(-1)!.cursor, limit: 10 });
    expect(names(resumed)).toEqual(['A, inserted first']);
  });

  test('many writers with transactions of random length, sequencers racing and a reader tailing: the reader gets every committed event once, in cursor order', async () => {
    const url = testDb.url!;
    // Separate pools, as separate replicas would have.
    const replicas = await Promise.all([1, 2, 3].map(() => createDatabase({ kind: 'postgres', url, poolSize: 4 })));
    try {
      const db = testDb.database.db;
      await sequenceCommittedEvents(db);
      const start = await headCursor(db);
      const written: string[] = [];
      const writers = Array.from({ length: 8 }, async (_, writer) => {
        const replica = replicas[writer % replicas.length]!.db;
        for (let i = 0; i < 25; i++) {
          const name = `w${writer}-${i}`;
          const commit = Math.random() < 0.9;
          await replica
            .transaction(async (tx) => {
              await appendEvents(tx, [event(name)]);
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
              if (!commit) throw new Error('rolled back');
            })
            .then(
              () => written.push(name),
              () => {},
            );
        }
      });
      let writing = true;
      const sequencers = replicas.map(async (replica) => {
        while (writing) {
          await sequenceCommittedEvents(replica.db);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        }
      });
      const seen: StoredEvent[] = [];
      const reader = (async () => {
        let cursor = start;
        while (writing || seen.length < written.length) {
          const batch = await readEvents(db, { after: cursor, limit: 7 });
          seen.push(...batch);
          if (batch.length > 0) cursor = batch.at(-1)!.cursor;
          else await new Promise((resolve) => setTimeout(resolve, 2));
          if (!writing) await sequenceCommittedEvents(db);
        }
      })();
      await Promise.all(writers);
      writing = false;
      await Promise.all(sequencers);
      await reader;
      expect(new Set(names(seen)).size).toBe(seen.length);
      expect(names(seen).sort()).toEqual([...written].sort());
      const cursors = seen.map((stored) => stored.cursor);
      expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});

test('a log written before the sequencer existed keeps its cursors, and numbering goes on after the highest one ever handed out', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'cairn-migrations-'));
  const database = await olderDatabase(folder);
  try {
    const db = database.db;
    // Cursors 1..3 handed out, 3 pruned since (retention deletes the newest too once every consumer is past it).
    await db.execute(sql`insert into events.events (type, payload) select 'IssuerCreated', jsonb_build_object('name', 'old ' || n) from generate_series(1, 3) n`);
    await db.execute(sql`delete from events.events where cursor = 3`);
    await migrate(db);
    expect(names(await readEvents(db, { after: 0, limit: 10 }))).toEqual(['old 1', 'old 2']);
    expect(await headCursor(db)).toBe(3);
    await db.transaction((tx) => appendEvents(tx, [event('new')]));
    await sequenceCommittedEvents(db);
    const [added] = await readEvents(db, { after: 2, limit: 10 });
    expect(added).toMatchObject({ cursor: 4, payload: { name: 'new' } });
  } finally {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

/** A database migrated up to the release before the sequencer: the committed migrations without 0003 and later. */
async function olderDatabase(folder: string): Promise<Database> {
  const source = new URL('../../drizzle', import.meta.url).pathname;
  cpSync(source, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((entry) => entry.tag < '0003');
  writeFileSync(journalPath, JSON.stringify(journal));
  const fresh = onPostgres ? await createTestDatabaseUnmigrated() : await createDatabase({ kind: 'pglite', dataDir: null });
  await migrate(fresh.db, folder);
  const [applied] = rowsOf<{ count: number }>(await fresh.db.execute(sql`select count(*)::int as count from drizzle.__drizzle_migrations`));
  expect(applied!.count).toBe(journal.entries.length);
  return fresh;
}

/** A second, empty database beside this file's own on PostgreSQL (dropped when closed). */
async function createTestDatabaseUnmigrated(): Promise<Database> {
  const url = new URL(testDb.url!);
  const name = `${url.pathname.slice(1)}_older`;
  await testDb.database.db.execute(sql.raw(`create database ${name}`));
  url.pathname = `/${name}`;
  const database = await createDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
  return {
    ...database,
    async close() {
      await database.close();
      await testDb.database.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
    },
  };
}
