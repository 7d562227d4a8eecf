/**
 * Turns a stream of "something changed" signals into fresh answers, at most one per `minIntervalMs`: the first answer
 * at once, then, after each change, one answer once the interval since the last has passed, however many changes came
 * meanwhile (they are coalesced, never queued). Closing the result closes the source.
 */
export function coalescedAnswers<T>(
  source: AsyncIterator<unknown>,
  answer: () => Promise<T>,
  options: { minIntervalMs: number; now?: () => number },
): AsyncIterableIterator<T> {
  const now = options.now ?? Date.now;
  let changed = false;
  let ended = false;
  /** Resolves the wait for a change (set while the answers wait for one). */
  let wake: (() => void) | null = null;
  /** Cuts a pause short: only the end of the source does, never a change (that would defeat the interval). */
  let endPause = (): void => {};
  const signal = () => {
    wake?.();
    wake = null;
  };
  const pump = (async () => {
    try {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        changed = true;
        signal();
      }
    } finally {
      ended = true;
      signal();
      endPause();
    }
  })();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      endPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function* answers(): AsyncGenerator<T> {
    yield await answer();
    let last = now();
    for (;;) {
      if (!changed && !ended) await new Promise<void>((resolve) => (wake = resolve));
      if (ended) return;
      const wait = last + options.minIntervalMs - now();
      if (wait > 0) await pause(wait);
      if (ended) return;
      changed = false;
      last = now();
      yield await answer();
    }
  }
  const generator = answers();
  return {
    next: () => generator.next(),
    async return() {
      await source.return?.();
      await pump.catch(() => {});
      return generator.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
