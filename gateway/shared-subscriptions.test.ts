import type { ExecutionResult } from 'graphql';
import { describe, expect, test } from 'vitest';
import { SharedStream } from './shared-subscriptions.js';

/** An upstream the test feeds by hand, recording whether it was stopped. */
function upstream() {
  const pending: ((result: IteratorResult<ExecutionResult>) => void)[] = [];
  const queued: ExecutionResult[] = [];
  let stopped = false;
  const source: AsyncIterator<ExecutionResult> = {
    next: () => {
      const value = queued.shift();
      if (value) return Promise.resolve({ value, done: false });
      return new Promise((resolve) => pending.push(resolve));
    },
    return: async () => {
      stopped = true;
      pending.splice(0).forEach((resolve) => resolve({ value: undefined, done: true }));
      return { value: undefined, done: true };
    },
  };
  return {
    source,
    emit(n: number) {
      const value = { data: { n } };
      const waiting = pending.shift();
      if (waiting) waiting({ value, done: false });
      else queued.push(value);
    },
    get stopped() {
      return stopped;
    },
  };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedStream', () => {
  test('every client gets every result from its joining on; the last to leave stops the upstream', async () => {
    const feed = upstream();
    let idle = 0;
    const stream = new SharedStream(feed.source, () => (idle += 1));
    const first = stream.join();
    feed.emit(1);
    await tick();
    const second = stream.join();
    feed.emit(2);
    await tick();
    expect([(await first.next()).value, (await first.next()).value]).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }]);
    expect((await second.next()).value).toEqual({ data: { n: 2 } });
    await first.return!();
    expect(feed.stopped).toBe(false);
    await second.return!();
    expect(feed.stopped).toBe(true);
    expect(idle).toBeGreaterThan(0);
  });

  test('a client without a socket that falls too far behind is ended with SUBSCRIBER_TOO_SLOW; the others go on', async () => {
    const feed = upstream();
    const stream = new SharedStream(feed.source, () => {}, 3);
    const slow = stream.join();
    const quick = stream.join();
    const seen: unknown[] = [];
    for (let n = 1; n <= 5; n += 1) {
      feed.emit(n);
      await tick();
      seen.push((await quick.next()).value);
    }
    expect(seen).toHaveLength(5);
    await expect(slow.next()).rejects.toMatchObject({ extensions: { code: 'SUBSCRIBER_TOO_SLOW' } });
    feed.emit(6);
    await tick();
    expect((await quick.next()).value).toEqual({ data: { n: 6 } });
    expect(feed.stopped).toBe(false);
  });

  test('a client dropped for being too slow is handed to onTooSlow (which closes its socket) and its iterator ends', async () => {
    const feed = upstream();
    const stream = new SharedStream(feed.source, () => {}, 2);
    let dropped = 0;
    const slow = stream.join(() => (dropped += 1));
    const quick = stream.join(() => (dropped += 100));
    for (let n = 1; n <= 4; n += 1) {
      feed.emit(n);
      await tick();
      expect((await quick.next()).value).toEqual({ data: { n } });
    }
    expect(dropped).toBe(1);
    // What was queued for it went with it: nothing more is held for a client that is gone.
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(feed.stopped).toBe(false);
  });

  test('the upstream ending or failing ends every client the same way', async () => {
    const feed = upstream();
    const stream = new SharedStream(feed.source, () => {});
    const [a, b] = [stream.join(), stream.join()];
    const waiting = [a.next(), b.next()];
    await feed.source.return!();
    expect(await Promise.all(waiting)).toEqual([{ value: undefined, done: true }, { value: undefined, done: true }]);
    const failing = new SharedStream({ next: () => Promise.reject(new Error('upstream lost')) }, () => {});
    await expect(failing.join().next()).rejects.toThrow('upstream lost');
  });
});
