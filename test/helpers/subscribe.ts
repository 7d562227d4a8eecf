import { parse, subscribe, type ExecutionResult } from 'graphql';
import type { Viewer } from '../../lib/auth/viewer.js';
import { silentLogger } from '../../lib/log.js';
import type { SubgraphInstance } from '../../lib/server/types.js';

/** Opens a subscription in-process; returns the iterator, or the errors if it was refused. */
export async function subscribeAs(
  subgraph: SubgraphInstance,
  viewer: Viewer,
  source: string,
  variableValues: Record<string, unknown> = {},
): Promise<AsyncGenerator<ExecutionResult<Record<string, any>>> | ExecutionResult> {
  const contextValue = subgraph.createContext({ viewer, requestId: 'test', log: silentLogger() });
  return (await subscribe({ schema: subgraph.schema, document: parse(source), variableValues, contextValue })) as never;
}

/** Takes the next `count` results, failing instead of hanging if they do not come. */
export async function take<T>(iterator: AsyncIterator<T>, count: number, timeoutMs = 10_000): Promise<T[]> {
  const results: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (results.length < count) {
    const remaining = deadline - Date.now();
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${results.length} of ${count}`)), remaining)),
    ]);
    if (next.done) throw new Error(`stream ended after ${results.length} of ${count}`);
    results.push(next.value);
  }
  return results;
}
