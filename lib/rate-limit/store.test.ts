import { pino } from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { freePort } from '../../test/helpers/process.js';
import { createRateLimitStore, FailOpenBuckets } from './store.js';
import type { RateLimitStore, TakeResult } from './token-buckets.js';

/** The buckets' clock, fixed: a slow machine must not refill them between takes. */
const NOW = 1_000_000;

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, warnings: () => lines.filter((line) => line.level === 40).map((line) => line.msg) };
}

/** A shared store that is down until `up` is set. */
class FlakyStore implements RateLimitStore {
  up = false;
  hang = false;
  takes = 0;
  async take(): Promise<TakeResult> {
    this.takes += 1;
    if (this.hang) return new Promise(() => {});
    if (!this.up) throw new Error('connection refused');
    return { allowed: true };
  }
  async charge(): Promise<void> {
    if (!this.up) throw new Error('connection refused');
  }
}

describe('a shared store fails open', () => {
  test('while it is out of reach, requests are decided by this process’s buckets, with one warning per outage', async () => {
    const shared = new FlakyStore();
    const { log, lines, warnings } = capturingLogger();
    const store = new FailOpenBuckets(shared, log);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await store.take('ip:a', 1, 3, NOW));
    expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true, false]);
    await store.charge('ip:a', 1, 3, 5, NOW);
    // Left alone for a while after failing: one attempt, not one per request.
    expect(shared.takes).toBe(1);
    expect(warnings()).toEqual(['the shared rate-limit store is out of reach; each replica limits on its own until it answers']);
    expect(lines).toHaveLength(1);
  });

  test('a store that does not answer is given up on at the deadline', async () => {
    const shared = Object.assign(new FlakyStore(), { hang: true });
    const store = new FailOpenBuckets(shared, capturingLogger().log, { deadlineMs: 50 });
    const started = Date.now();
    expect(await store.take('ip:b', 1, 3)).toEqual({ allowed: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('once it answers again it decides again, and says so', async () => {
    const shared = new FlakyStore();
    const { log, lines } = capturingLogger();
    const store = new FailOpenBuckets(shared, log, { retryPauseMs: 0 });
    await store.take('ip:c', 1, 1);
    shared.up = true;
    await store.take('ip:c', 1, 1);
    await store.take('ip:c', 1, 1);
    expect(shared.takes).toBe(3);
    expect(lines.map((line) => line.msg)).toEqual([
      'the shared rate-limit store is out of reach; each replica limits on its own until it answers',
      'the shared rate-limit store answers again; limits are shared across replicas again',
    ]);
  });
});

describe('createRateLimitStore', () => {
  const stores: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  test('with Redis unreachable the hub still starts, and each process limits on its own', async () => {
    const { log, warnings } = capturingLogger();
    const url = `redis://127.0.0.1:${await freePort()}`;
    const store = await createRateLimitStore({ kind: 'redis', url }, {} as Database, log);
    stores.push(store);
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await store.take('ip:d', 1, 2, NOW));
    expect(answers.map((answer) => answer.allowed)).toEqual([true, true, false]);
    expect(warnings()).toHaveLength(1);
  });
});
