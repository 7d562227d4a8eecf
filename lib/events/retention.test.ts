import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createTestDeps } from '../../test/helpers/deps.js';
import { isAppError } from '../errors.js';
import { credentialDeliveredEvent } from './contracts/credential-delivered.js';
import { appendSequenced } from '../../test/helpers/events.js';
import { readEvents } from './outbox.js';
import { pruneEvents, prunedThrough } from './retention.js';
import { consumerCheckpoints, deadLetters, events, logHorizons } from './tables.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const recipientId = '0190a0a0-0000-7000-8000-0000000000cc';
const DAY = 86_400_000;
const policy = { retainDays: 7, resumeWindowDays: 3 };

async function append(count: number): Promise<number[]> {
  const written = await appendSequenced(
    deps.database.db,
    Array.from({ length: count }, (_, i) => credentialDeliveredEvent.build({ credentialId: `0190a0a0-0000-7000-8000-${String(i).padStart(12, '0')}`, recipientId, issuerId })),
  );
  return written.map((event) => event.cursor);
}

async function checkpoint(consumer: string, cursor: number) {
  await deps.database.db.insert(consumerCheckpoints).values({ consumer, cursor }).onConflictDoUpdate({ target: consumerCheckpoints.consumer, set: { cursor } });
}

const remaining = async () => (await readEvents(deps.database.db, { after: 0, limit: 1000 })).map((event) => event.cursor);

beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.dispose());
beforeEach(async () => {
  await deps.database.db.delete(events);
  await deps.database.db.delete(consumerCheckpoints);
  await deps.database.db.delete(logHorizons);
  await deps.database.db.delete(deadLetters);
});

describe('event log retention', () => {
  test('nothing younger than the retention period goes, however far consumers are', async () => {
    const cursors = await append(5);
    await checkpoint('a', cursors.at(-1)!);
    expect(await pruneEvents(deps.database.db, policy, new Date(Date.now() + 6 * DAY))).toEqual({ prunedThrough: 0, deleted: 0 });
    expect(await remaining()).toEqual(cursors);
  });

  test('the resume window holds events even when the retention period is shorter', async () => {
    const cursors = await append(3);
    await checkpoint('a', cursors.at(-1)!);
    const shortRetention = { retainDays: 1, resumeWindowDays: 30 };
    expect((await pruneEvents(deps.database.db, shortRetention, new Date(Date.now() + 10 * DAY))).deleted).toBe(0);
    expect((await pruneEvents(deps.database.db, shortRetention, new Date(Date.now() + 31 * DAY))).deleted).toBe(3);
  });

  test('old events go only as far as the slowest consumer has applied, and the horizon is recorded', async () => {
    const cursors = await append(6);
    await checkpoint('fast', cursors[5]!);
    await checkpoint('slow', cursors[2]!);
    const result = await pruneEvents(deps.database.db, policy, new Date(Date.now() + 8 * DAY), 2);
    expect(result).toEqual({ prunedThrough: cursors[2], deleted: 3 });
    expect(await remaining()).toEqual(cursors.slice(3));
    expect(await prunedThrough(deps.database.db)).toBe(cursors[2]);
  });

  test('a dead-lettered event awaiting a retry is kept, with everything after it', async () => {
    const cursors = await append(5);
    await checkpoint('a', cursors.at(-1)!);
    await deps.database.db.insert(deadLetters).values({ consumer: 'a', cursor: cursors[2]!, eventType: 'CredentialDelivered' as never, attempts: 8, lastError: 'boom' });
    expect(await pruneEvents(deps.database.db, policy, new Date(Date.now() + 8 * DAY))).toEqual({ prunedThrough: cursors[1], deleted: 2 });
    expect(await remaining()).toEqual(cursors.slice(2));
  });

  test('a subscriber resuming below the horizon is refused with EVENTS_PRUNED; at the horizon it gets the rest', async () => {
    const cursors = await append(4);
    await checkpoint('all', cursors.at(-1)!);
    await pruneEvents(deps.database.db, { retainDays: 1, resumeWindowDays: 1 }, new Date(Date.now() + 2 * DAY));
    const fresh = await append(1);
    const refused = await deps.feed.stream({ after: cursors[0]! }).next().catch((error: unknown) => error);
    expect(isAppError(refused) && refused.code).toBe('EVENTS_PRUNED');
    expect(isAppError(refused) && refused.details).toEqual({ prunedThrough: String(cursors.at(-1)) });
    const resumed = deps.feed.stream({ after: cursors.at(-1)! });
    expect((await resumed.next()).value?.cursor).toBe(fresh[0]);
    await resumed.return(undefined);
  });

  test('replicas pruning at once: one prunes, the other finds nothing left to do', async () => {
    const cursors = await append(4);
    await checkpoint('all', cursors.at(-1)!);
    const later = new Date(Date.now() + 8 * DAY);
    const results = await Promise.all([pruneEvents(deps.database.db, policy, later), pruneEvents(deps.database.db, policy, later)]);
    expect(results.reduce((sum, result) => sum + result.deleted, 0)).toBe(4);
    expect(await remaining()).toEqual([]);
  });
});
