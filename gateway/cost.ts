import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getNullableType, getOperationAST, GraphQLError, isListType, type ExecutionArgs } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../lib/graphql/pagination.js';

/** @default 20 // what a plain list (one without a `first` argument) is assumed to hold */
const ASSUMED_LIST_SIZE = 20;

/**
 * Relay-aware costing: a paged field costs its children once per requested item (`first`, or the default
 * page size); the `edges` list inside it is then not multiplied again; any other list is assumed to hold
 * ASSUMED_LIST_SIZE items. Every field costs 1, so aliases and wide selections add up too.
 */
const pagedListEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if ('first' in (field.args ? Object.fromEntries(field.args.map((arg) => [arg.name, true])) : {})) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + first * childComplexity;
  }
  if (isListType(getNullableType(field.type)) && field.name !== 'edges') return 1 + ASSUMED_LIST_SIZE * childComplexity;
  return undefined;
};

/**
 * Introspection (what GraphiQL and code generators ask first) is exempt, as from the depth limit: its cost is bounded
 * by the schema, not by data, and its nested type lists would otherwise be priced as if they were pages of rows.
 */
function isIntrospectionOnly(args: ExecutionArgs): boolean {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  return (
    operation != null &&
    operation.selectionSet.selections.every((selection) => selection.kind === 'Field' && selection.name.value.startsWith('__'))
  );
}

/**
 * Refuses an operation whose estimated cost exceeds `maxCost`, before any subgraph is asked. Estimated on the
 * whole client operation with its variables, so splitting work across subgraphs does not dilute it.
 */
export function useCostLimit(maxCost: number): GatewayPlugin {
  const check = (args: ExecutionArgs) => {
    if (isIntrospectionOnly(args)) return;
    const cost = getComplexity({
      schema: args.schema,
      query: args.document,
      variables: (args.variableValues ?? {}) as Record<string, unknown>,
      operationName: args.operationName ?? undefined,
      estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
    if (cost > maxCost) {
      throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages or fewer fields`, {
        extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost, maxCost },
      });
    }
  };
  return {
    onExecute: ({ args }) => check(args),
    onSubscribe: ({ args }) => check(args),
  };
}
