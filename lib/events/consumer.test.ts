import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertEventsUnchecked } from '../../test/helpers/events.js';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { createTestDatabase, type TestDatabase } from '../db/test-db.js';
import { silentLogger } from '../log.js';
import { backoffDelay, consumeBatch, ConsumerEventFailed, startConsumer, type ConsumerOptions } from './consumer.js';
import { listDeadLetters, requestDeadLetterRetry } from './dead-letters.js';
import { EventFeed } from './feed.js';
import { consumerCheckpoints } from './tables.js';
import { EventType, type StoredEvent } from './types.js';

let testDb: TestDatabase;
/** Every statement run on the test database, for the tests that count a consumer's steps. */
const statements: string[] = [];
beforeAll(async () => {
  testDb = await createTestDatabase(process.env, { onQuery: (statement) => statements.push(statement) });
});
afterAll(() => testDb?.dispose());

const db = () => testDb.database.db;

/**
 * Writes one event per label for the consumer `name`; a label starting with "poison" makes its handler throw. The
 * payloads are the test's own markers (the consumer machinery never reads payloads), so they go past the contracts.
 */
async function publish(name: string, ...labels: string[]): Promise<StoredEvent[]> {
  return insertEventsUnchecked(db(), labels.map((label) => ({ type: EventType.ISSUER_CREATED, payload: { name, label } })));
}

/**
 * A consumer whose handler fails on its poison events while `poisoned` says so, recording what it applied. Every
 * test's consumer reads the one log from the start, so each ignores the events published for the others.
 */
function poisonSensitive(name: string, retry: ConsumerOptions['retry']) {
  const state = { poisoned: true, calls: 0, applied: [] as string[] };
  const consumer: ConsumerOptions = {
    name,
    types: [EventType.ISSUER_CREATED],
    retry,
    async handle(_tx, event) {
      if (event.payload.name !== name) return;
      state.calls += 1;
      const label = String(event.payload.label);
      if (state.poisoned && label.startsWith('poison')) throw new Error(`cannot apply ${label}`);
      state.applied.push(label);
    },
  };
  return { consumer, state };
}

async function checkpointOf(name: string) {
  const [row] = await db().select().from(consumerCheckpoints).where(eq(consumerCheckpoints.consumer, name));
  return row!;
}

async function failureOf(run: Promise<unknown>): Promise<ConsumerEventFailed> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConsumerEventFailed);
  return error as ConsumerEventFailed;
}

describe('backoffDelay', () => {
  const policy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 10_000 };
  test('doubles per attempt up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 9].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(2_000);
    const jittered = Array.from({ length: 50 }, () => backoffDelay(3, policy));
    expect(Math.min(...jittered)).toBeGreaterThanOrEqual(2_000);
    expect(Math.max(...jittered)).toBeLessThanOrEqual(4_000);
    expect(new Set(jittered).size).toBeGreaterThan(1);
  });
});

describe('a consumer whose handler keeps failing on one event (issue 10, item 11)', () => {
  test('retries it with attempts counted, then dead-letters it, and later events go on', async () => {
    const { consumer, state } = poisonSensitive('dead-letter-test', { maxAttempts: 3, baseDelayMs: 0 });
    const [, poison] = await publish(consumer.name, 'first', 'poison-1', 'after');

    const firstFailure = await failureOf(consumeBatch(db(), consumer));
    expect(firstFailure).toMatchObject({ attempts: 1, event: { cursor: poison!.cursor } });
    expect(state.applied).toEqual(['first']); // applied, then rolled back with the batch
    // The events before the failing one go through on their own.
    expect(await consumeBatch(db(), consumer)).toBe(1);
    expect(await checkpointOf(consumer.name)).toMatchObject({ failingCursor: poison!.cursor, attempts: 1, lastError: 'Error: cannot apply poison-1' });

    expect((await failureOf(consumeBatch(db(), consumer))).attempts).toBe(2);
    const last = await failureOf(consumeBatch(db(), consumer));
    expect(last).toMatchObject({ attempts: 3, retryInMs: null });
    expect(await checkpointOf(consumer.name)).toMatchObject({ cursor: poison!.cursor, failingCursor: null, attempts: 0 });
    expect(await listDeadLetters(db(), consumer.name)).toEqual([
      expect.objectContaining({ consumer: consumer.name, cursor: poison!.cursor, eventType: EventType.ISSUER_CREATED, attempts: 3, retryRequestedAt: null }),
    ]);

    state.applied.length = 0;
    expect(await consumeBatch(db(), consumer)).toBe(1);
    expect(state.applied).toEqual(['after']);
  });

  test('a dead letter is applied again on request; failing again, it stays dead with one attempt more', async () => {
    const { consumer, state } = poisonSensitive('dead-letter-retry-test', { maxAttempts: 1, baseDelayMs: 0 });
    const [poison] = await publish(consumer.name, 'poison-2');
    await failureOf(consumeBatch(db(), consumer));
    expect(await listDeadLetters(db(), consumer.name)).toHaveLength(1);

    expect(await requestDeadLetterRetry(db(), { consumer: consumer.name })).toBe(1);
    expect((await failureOf(consumeBatch(db(), consumer))).retryInMs).toBeNull();
    expect(await listDeadLetters(db(), consumer.name)).toEqual([expect.objectContaining({ cursor: poison!.cursor, attempts: 2, retryRequestedAt: null })]);
    expect(await consumeBatch(db(), consumer)).toBe(0); // not requested again: left alone

    state.poisoned = false;
    expect(await requestDeadLetterRetry(db(), { consumer: consumer.name, cursor: poison!.cursor })).toBe(1);
    expect(await consumeBatch(db(), consumer)).toBe(1);
    expect(state.applied).toEqual(['poison-2']);
    expect(await listDeadLetters(db(), consumer.name)).toEqual([]);
  });

  test('before its backoff is over the failing event is not tried again, however often the consumer wakes', async () => {
    const { consumer, state } = poisonSensitive('backoff-test', { maxAttempts: 5, baseDelayMs: 60_000 });
    await publish(consumer.name, 'poison-3');
    const failure = await failureOf(consumeBatch(db(), consumer));
    expect(failure.retryInMs).toBeGreaterThanOrEqual(30_000);
    expect(failure.retryInMs).toBeLessThanOrEqual(60_000);
    await consumeBatch(db(), consumer); // the other tests' events before it go through
    const calls = state.calls;
    for (let wake = 0; wake < 5; wake++) expect(await consumeBatch(db(), consumer)).toBe(0);
    expect(state.calls).toBe(calls);
    expect((await checkpointOf(consumer.name)).attempts).toBe(1);
  });

  test('a running consumer sets the failing event aside and delivers the events behind it', async () => {
    const feed = new EventFeed(testDb.database, 100);
    await feed.start();
    const { consumer, state } = poisonSensitive('running-test', { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 });
    const running = startConsumer(db(), feed, consumer, silentLogger());
    try {
      await publish(consumer.name, 'before-poison', 'poison-4', 'behind-1', 'behind-2');
      const deadline = Date.now() + 15_000;
      while (!state.applied.includes('behind-2') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(state.applied.filter((label) => !label.startsWith('poison'))).toEqual(expect.arrayContaining(['before-poison', 'behind-1', 'behind-2']));
      expect(await listDeadLetters(db(), consumer.name)).toEqual([expect.objectContaining({ attempts: 3 })]);
    } finally {
      await running.stop();
      await feed.close();
    }
  });
});

describe('a consumer that applies a step’s events at once (handleBatch)', () => {
  test('a batch that throws leaves nothing behind and is applied event by event: the event that fails is the one retried', async () => {
    await db().execute(sql`create table if not exists batch_applied (label text not null)`);
    const name = 'batch-test';
    const state = { handleFails: true };
    const ours = (events: StoredEvent[]) => events.filter((event) => event.payload.name === name).map((event) => String(event.payload.label));
    /** Writes the labels, then throws if one is a poison (always in a batch; one by one only while `handleFails`). */
    const apply = async (tx: Db, labels: string[], failOnPoison: boolean) => {
      for (const label of labels) await tx.execute(sql`insert into batch_applied (label) values (${label})`);
      const poison = labels.find((label) => label.startsWith('poison'));
      if (poison && failOnPoison) throw new Error(`cannot apply ${poison}`);
    };
    const consumer: ConsumerOptions = {
      name,
      types: [EventType.ISSUER_CREATED],
      retry: { maxAttempts: 3, baseDelayMs: 0 },
      handleBatch: (tx, events) => apply(tx, ours(events), true),
      handle: (tx, event) => apply(tx, ours([event]), state.handleFails),
    };
    const applied = async () => rowsOf<{ label: string }>(await db().execute(sql`select label from batch_applied order by label`)).map((row) => row.label);

    const [, poison] = await publish(name, 'one', 'poison-5', 'two');
    expect(await failureOf(consumeBatch(db(), consumer))).toMatchObject({ attempts: 1, event: { cursor: poison!.cursor } });
    expect(await applied()).toEqual([]);
    await consumeBatch(db(), consumer); // the events before the failing one
    expect(await applied()).toEqual(['one']);

    state.handleFails = false;
    while ((await consumeBatch(db(), consumer)) > 0);
    expect(await applied()).toEqual(['one', 'poison-5', 'two']);
    // A poison that applies one by one, though never in a batch: the batch's own writes are rolled back, so each
    // event of it is written once, and the step goes on without a failure.
    await publish(name, 'three', 'poison-6', 'four');
    while ((await consumeBatch(db(), consumer)) > 0);
    expect(await applied()).toEqual(['four', 'one', 'poison-5', 'poison-6', 'three', 'two']);
    expect(await checkpointOf(name)).toMatchObject({ failingCursor: null, attempts: 0 });
  });
});

describe('a consumer of types the log seldom carries', () => {
  test('moves its checkpoint past the events of other types, so it holds back neither retention nor its next read', async () => {
    const name = 'rare-types-test';
    const consumer: ConsumerOptions = { name, types: [EventType.PATHWAY_COMPLETED], handle: async () => {} };
    const written = await publish(name, 'not-for-it-1', 'not-for-it-2');
    while ((await consumeBatch(db(), consumer)) > 0);
    expect(Number((await checkpointOf(name)).cursor)).toBeGreaterThanOrEqual(written.at(-1)!.cursor);
  });
});

describe('a consumer whose step fills its batch exactly (a bulk chunk of `batchSize` credentials)', () => {
  test('ends its drain there, instead of taking another step that finds nothing', async () => {
    const feed = new EventFeed(testDb.database, 60_000); // not started: only the drains below run
    const applied: string[] = [];
    const consumer: ConsumerOptions = {
      name: 'exact-batch-test',
      types: [EventType.SHARE_REVOKED],
      batchSize: 3,
      handle: async (_tx, event) => void applied.push(String(event.payload.label)),
    };
    await insertEventsUnchecked(db(), ['a', 'b', 'c'].map((label) => ({ type: EventType.SHARE_REVOKED, payload: { label } })));
    statements.length = 0;
    const running = startConsumer(db(), feed, consumer, silentLogger());
    try {
      // Two drains: the one the consumer starts with, which applies the three events in one step, and this one,
      // which finds nothing. A drain that went on after a full batch would read the log three times.
      await running.catchUp();
      expect(applied).toEqual(['a', 'b', 'c']);
      expect(statements.filter((statement) => /from "events"\."events"/i.test(statement))).toHaveLength(2);
    } finally {
      await running.stop();
    }
  });
});
