import { execute, parse, type ExecutionResult } from 'graphql';
import type { Viewer } from '../../lib/auth/viewer.js';
import { silentLogger } from '../../lib/log.js';
import type { SubgraphInstance } from '../../lib/server/types.js';

/** Runs an operation against a subgraph schema in-process, as the given viewer: no HTTP, no gateway. */
export async function executeAs<T = Record<string, any>>(
  subgraph: SubgraphInstance,
  viewer: Viewer,
  source: string,
  variableValues: Record<string, unknown> = {},
): Promise<ExecutionResult<T>> {
  const contextValue = subgraph.createContext({ viewer, requestId: 'test', log: silentLogger() });
  return (await execute({ schema: subgraph.schema, document: parse(source), variableValues, contextValue })) as ExecutionResult<T>;
}
