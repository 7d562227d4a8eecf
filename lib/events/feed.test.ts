import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { createTestDatabase, type TestDatabase } from '../db/test-db.js';
import { issuerCreatedEvent } from './contracts/issuer-created.js';
import { EventFeed } from './feed.js';
import { appendEvents } from './outbox.js';
import { EventType, type StoredEvent } from './types.js';

const issuerA = '0190a0a0-0000-7000-8000-00000000000a';
const issuerB = '0190a0a0-0000-7000-8000-00000000000b';

/** Statements that read the log itself (the sequencer's writes and existence checks are not reads of events). */
let logReads = 0;
let testDb: TestDatabase;
let feed: EventFeed;
beforeAll(async () => {
  testDb = await createTestDatabase(process.env, {
    onQuery: (statement) => {
      if (/^select .* from "events"\."events"/i.test(statement)) logReads += 1;
    },
  });
  feed = new EventFeed(testDb.database, { pollIntervalMs: 60_000, subscriberBuffer: 5 });
  await feed.start();
});
afterAll(async () => {
  await feed?.close();
  await testDb?.dispose();
});

async function publish(issuerId: string, ...names: string[]): Promise<void> {
  await testDb.database.db.transaction((tx) => appendEvents(tx, names.map((name) => issuerCreatedEvent.build({ issuerId, name, url: null }))));
}

/** Takes the names of the next `count` events from a subscription, leaving it open. */
async function next(events: AsyncIterableIterator<StoredEvent>, count: number): Promise<string[]> {
  const names: string[] = [];
  while (names.length < count) {
    const result = await events.next();
    if (result.done) break;
    names.push(String(result.value.payload.name));
  }
  return names;
}

/** `next`, then ends the subscription as a client going away would. */
async function take(events: AsyncIterableIterator<StoredEvent>, count: number): Promise<string[]> {
  const names = await next(events, count);
  await events.return!();
  return names;
}

test('a hundred live subscribers cost the log one read per batch, each gets its own issuer’s events, in order, once', async () => {
  const head = await feed.head();
  const forA = Array.from({ length: 50 }, () => feed.subscribe({ after: head, issuerId: issuerA }));
  const forB = Array.from({ length: 50 }, () => feed.subscribe({ after: head, issuerId: issuerB, types: [EventType.ISSUER_CREATED] }));
  const received = Promise.all([...forA.map((events) => take(events, 3)), ...forB.map((events) => take(events, 2))]);
  await eventually(async () => feed.subscriberCount, (count) => count === 100);
  logReads = 0;
  await publish(issuerA, 'a1', 'a2');
  await publish(issuerB, 'b1');
  await publish(issuerA, 'a3');
  await publish(issuerB, 'b2');
  const answers = await received;
  expect(answers.slice(0, 50).every((names) => names.join() === 'a1,a2,a3')).toBe(true);
  expect(answers.slice(50).every((names) => names.join() === 'b1,b2')).toBe(true);
  // Four commits: at most one live read each (fewer when notifications coalesce), whatever the number of subscribers.
  expect(logReads).toBeGreaterThan(0);
  expect(logReads).toBeLessThanOrEqual(4);
  await eventually(async () => feed.subscriberCount, (count) => count === 0);
});

test('a subscriber resuming from an older cursor reads its history once, then joins the live feed without a gap or a repeat', async () => {
  const start = await feed.head();
  await publish(issuerA, 'h1', 'h2', 'h3');
  await eventually(() => feed.head(), (head) => head >= start + 3);
  const events = feed.subscribe({ after: start, issuerId: issuerA });
  const first = await next(events, 3);
  await publish(issuerA, 'l1');
  const rest = await take(events, 1);
  expect([...first, ...rest]).toEqual(['h1', 'h2', 'h3', 'l1']);
});

test('a subscriber that stops reading holds at most its buffer; when it reads again it gets everything from the table, in order', async () => {
  const start = await feed.head();
  const events = feed.subscribe({ after: start, issuerId: issuerB });
  const firstEvent = events.next();
  await eventually(async () => feed.subscriberCount, (count) => count >= 1);
  const names = Array.from({ length: 20 }, (_, i) => `slow${i}`);
  for (const name of names) await publish(issuerB, name);
  // The reader has handed all twenty out while the subscriber took one: its buffer of five overflowed.
  await eventually(() => feed.head(), (head) => head >= start + 20);
  const got = [String((await firstEvent).value!.payload.name), ...(await take(events, 19))];
  expect(got).toEqual(names);
});

test('a consumer waiting for news of its own types sleeps through notifications of other types', async () => {
  const abort = new AbortController();
  let woken = false;
  const waiting = feed.waitForNews(abort.signal, [EventType.CREDENTIAL_REVOKED]).then(() => (woken = true));
  const start = await feed.head();
  await publish(issuerA, 'not a revocation');
  await eventually(() => feed.head(), (head) => head > start);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(woken).toBe(false);
  abort.abort();
  await waiting;
});

test('"from now" starts after every event committed before the call, numbered or not, read by this process or not', async () => {
  await publish(issuerA, 'committed just before');
  const events = feed.subscribe({ after: await feed.head(), issuerId: issuerA });
  await publish(issuerA, 'committed after');
  expect(await take(events, 1)).toEqual(['committed after']);
});
