import { expect, test } from 'vitest';
import { coalescedAnswers } from './coalesce.js';

/** A source of change signals the test pushes into. */
function signals() {
  const queue: Array<(result: IteratorResult<number>) => void> = [];
  const pending: number[] = [];
  let closed = false;
  return {
    push(value: number) {
      const waiting = queue.shift();
      if (waiting) waiting({ value, done: false });
      else pending.push(value);
    },
    iterator: {
      next: () =>
        new Promise<IteratorResult<number>>((resolve) => {
          if (closed) return resolve({ value: undefined, done: true });
          if (pending.length > 0) return resolve({ value: pending.shift()!, done: false });
          queue.push(resolve);
        }),
      async return() {
        closed = true;
        for (const waiting of queue.splice(0)) waiting({ value: undefined, done: true });
        return { value: undefined, done: true } as IteratorResult<number>;
      },
    } satisfies AsyncIterator<number>,
  };
}

test('the first answer comes at once; a burst of changes is one answer, no sooner than the interval after the last', async () => {
  const source = signals();
  let version = 0;
  const answers = coalescedAnswers(source.iterator, async () => version, { minIntervalMs: 200 });
  const started = Date.now();
  expect((await answers.next()).value).toBe(0);
  for (let change = 1; change <= 50; change += 1) {
    version = change;
    source.push(change);
  }
  const second = await answers.next();
  expect(second.value).toBe(50);
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  // Nothing changed since: closing ends the stream instead of answering again.
  const pending = answers.next();
  await answers.return!();
  expect((await pending).done).toBe(true);
});
