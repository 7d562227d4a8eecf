import { getEventListeners } from 'node:events';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { parse } from 'graphql';
import { afterEach, expect, test } from 'vitest';

// The HTTP executor the gateway sends subgraph requests with (patches/@graphql-tools+executor-http+*.patch): a query
// that has been answered leaves no listener behind on the executor's long-lived signals. Node walks a signal's whole
// listener list on every add, so left listeners made each upstream request slower than the last until a collection.

const addEventListener = AbortSignal.prototype.addEventListener;
afterEach(() => {
  AbortSignal.prototype.addEventListener = addEventListener;
});

test('answered upstream queries leave no abort listeners behind', async () => {
  const listenedTo = new Set<AbortSignal>();
  AbortSignal.prototype.addEventListener = function (this: AbortSignal, ...args: Parameters<AbortSignal['addEventListener']>) {
    listenedTo.add(this);
    return addEventListener.apply(this, args);
  };
  const executor = buildHTTPExecutor({
    endpoint: 'http://subgraph.invalid/graphql',
    deduplicateInflightRequests: false,
    fetch: async () => new Response(JSON.stringify({ data: { ok: true } }), { headers: { 'content-type': 'application/json' } }),
  });
  const document = parse('{ ok }');
  for (let n = 0; n < 200; n++) {
    // Each operation has its own signal, as the gateway's execution timeout gives it (gateway/limits.ts).
    const operation = new AbortController();
    expect(await executor({ document, signal: operation.signal })).toEqual({ data: { ok: true } });
  }
  const mostListeners = Math.max(...[...listenedTo].map((signal) => getEventListeners(signal, 'abort').length));
  expect(mostListeners).toBeLessThanOrEqual(1);
});
