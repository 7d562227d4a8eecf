import type { Client } from 'graphql-ws';

/** Collects a graphql-ws subscription's results so a test can wait for the next ones without sleeping. */
export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: T[] = [];
  const errors: unknown[] = [];
  let waiters: Array<() => void> = [];
  let completed = false;
  const notify = () => {
    for (const wake of waiters) wake();
    waiters = [];
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) results.push(value.data as T);
        notify();
      },
      error: (error) => {
        errors.push(error);
        notify();
      },
      complete: () => {
        completed = true;
        notify();
      },
    },
  );
  return {
    results,
    errors,
    unsubscribe,
    /** Resolves once `count` results have arrived; rejects on an error, completion or timeout. */
    async waitFor(count: number, timeoutMs = 15_000): Promise<T[]> {
      const deadline = Date.now() + timeoutMs;
      while (results.length < count) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (completed) throw new Error(`subscription completed after ${results.length} of ${count} results`);
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`timed out with ${results.length} of ${count} results`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return results.slice(0, count);
    },
  };
}
