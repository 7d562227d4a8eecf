import { execute, parse, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { createFormatError } from '../../lib/graphql/format-error.js';
import type { Viewer } from '../../lib/auth/viewer.js';
import { silentLogger } from '../../lib/log.js';
import type { SubgraphInstance } from '../../lib/server/types.js';

const formatError = createFormatError(silentLogger(), process.env.CAIRN_TEST_SHOW_ERRORS !== "1");

export interface FormattedResult<T> {
  data?: T | null;
  /** As a client would see them: codes and details in `extensions`, via the servers' own formatError. */
  errors?: GraphQLFormattedError[];
}

/** Runs an operation against a subgraph schema in-process, as the given viewer: no HTTP, no gateway. */
export async function executeAs<T = Record<string, any>>(
  subgraph: SubgraphInstance,
  viewer: Viewer,
  source: string,
  variableValues: Record<string, unknown> = {},
): Promise<FormattedResult<T>> {
  const contextValue = subgraph.createContext({ viewer, requestId: 'test', log: silentLogger() });
  const result = (await execute({ schema: subgraph.schema, document: parse(source), variableValues, contextValue })) as ExecutionResult<T>;
  return { data: result.data, errors: result.errors?.map((error) => formatError(error.toJSON(), error)) };
}
