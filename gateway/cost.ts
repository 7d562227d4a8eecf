import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getNullableType, getOperationAST, GraphQLError, isListType, type ExecutionArgs } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Viewer } from '../lib/auth/viewer.js';
import { DEFAULT_PAGE_SIZE } from '../lib/graphql/pagination.js';

/** @default 20 // what a plain list (one without a `first` argument) is assumed to hold */
const ASSUMED_LIST_SIZE = 20;

/**
 * What one page read costs beyond its items, in units of one field of one item: a paged field is a database round
 * trip (rows, count, cursor) before any item is resolved. Calibrated against measured resolver time, see
 * BENCHMARKS.md ("Query cost calibration"): a page read took about as long as resolving this many fields of rows
 * already read.
 * @default 100
 */
export const PAGE_READ_COST = 100;

/**
 * What one of the hub's own page queries (gateway/pages/) costs a visitor's rate limit, whatever its estimate: those
 * queries are fixed in code, so their estimate measures the worst case of a list, not what a visitor can make the hub do.
 * @default 100
 */
export const PAGE_OPERATION_COST = PAGE_READ_COST;

/**
 * Relay-aware costing: a paged field costs a page read plus its children once per requested item (`first`, or the
 * default page size); the `edges` list inside it is then not multiplied again; any other list is assumed to hold
 * ASSUMED_LIST_SIZE items. Every field costs 1, so aliases and wide selections add up too.
 */
const pagedListEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (field.args?.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return PAGE_READ_COST + first * childComplexity;
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

/** @default 10_000 // fields visited while estimating, fragments expanded; beyond it the operation is refused unpriced */
const MAX_ESTIMATED_NODES = 10_000;

export interface CostBudgets {
  /** The most an operation of an authenticated caller (an API key or a session) may cost. */
  maxCost: number;
  /** The most an anonymous operation may cost: anyone can send those, so they get less. */
  maxAnonymousCost: number;
}

function tooExpensive(message: string, maxCost: number, cost?: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', ...(cost === undefined ? {} : { cost }), maxCost } });
}

/** @default 1_024 // characters of variables (as JSON) beyond which an estimate is not remembered */
const MAX_REMEMBERED_VARIABLES = 1_024;
/** @default 32 // estimates remembered per document (one per operation name and variables) */
const MAX_ESTIMATES_PER_DOCUMENT = 32;

/**
 * Estimates already made, by schema, then by document, then by operation name and variables. The gateway's parser
 * cache hands the same DocumentNode to every request with the same query text, so a repeated operation is costed
 * once; entries go with their document when the parser cache lets it go. The cost depends only on these three, not
 * on the caller, whose budget is compared afresh every time.
 */
const estimates = new WeakMap<object, WeakMap<object, Map<string, number>>>();

function rememberedKey(args: ExecutionArgs): string | null {
  const variables = args.variableValues ? JSON.stringify(args.variableValues) : '';
  return variables.length > MAX_REMEMBERED_VARIABLES ? null : `${args.operationName ?? ''}\n${variables}`;
}

/** The estimated cost of the operation in `args`. Throws COST_ESTIMATED_TOO_EXPENSIVE when it is too big to estimate. */
export function estimateCost(args: ExecutionArgs, maxCost: number): number {
  const key = rememberedKey(args);
  let bySchema = estimates.get(args.schema);
  if (!bySchema) estimates.set(args.schema, (bySchema = new WeakMap()));
  let byDocument = bySchema.get(args.document);
  const remembered = key === null ? undefined : byDocument?.get(key);
  if (remembered !== undefined) return remembered;
  const cost = estimateUncached(args, maxCost);
  if (key !== null) {
    if (!byDocument) bySchema.set(args.document, (byDocument = new Map()));
    if (byDocument.size >= MAX_ESTIMATES_PER_DOCUMENT) byDocument.delete(byDocument.keys().next().value!);
    byDocument.set(key, cost);
  }
  return cost;
}

function estimateUncached(args: ExecutionArgs, maxCost: number): number {
  try {
    return getComplexity({
      schema: args.schema,
      query: args.document,
      variables: (args.variableValues ?? {}) as Record<string, unknown>,
      operationName: args.operationName ?? undefined,
      estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
      maxQueryNodes: MAX_ESTIMATED_NODES,
    });
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) {
      throw tooExpensive(`The operation expands to more than ${MAX_ESTIMATED_NODES} fields; ask for fewer fields`, maxCost);
    }
    throw error;
  }
}

const costs = new WeakMap<object, number>();

/** The estimated cost `useCostLimit` found for the operation of this GraphQL context (for cost-based rate limits). */
export function estimatedCostOf(context: unknown): number | undefined {
  return context && typeof context === 'object' ? costs.get(context) : undefined;
}

/**
 * Refuses an operation whose estimated cost exceeds the caller's budget, before any subgraph is asked. Estimated on
 * the whole client operation with its variables, so splitting work across subgraphs does not dilute it. The caller
 * is the viewer `useViewerAuth` put in the context (anonymous when there is none).
 */
export function useCostLimit(budgets: CostBudgets, onRefused?: (context: never) => void): GatewayPlugin {
  const check = (args: ExecutionArgs) => {
    if (isIntrospectionOnly(args)) return;
    const viewer = (args.contextValue as { viewer?: Viewer } | undefined)?.viewer;
    const maxCost = viewer && viewer.kind !== 'ANONYMOUS' ? budgets.maxCost : budgets.maxAnonymousCost;
    let cost: number;
    try {
      cost = estimateCost(args, maxCost);
    } catch (error) {
      onRefused?.(args.contextValue as never);
      throw error;
    }
    if (args.contextValue && typeof args.contextValue === 'object') costs.set(args.contextValue, cost);
    if (cost > maxCost) {
      onRefused?.(args.contextValue as never);
      throw tooExpensive(`Query cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages or fewer fields`, maxCost, cost);
    }
  };
  return {
    onExecute: ({ args }) => check(args),
    onSubscribe: ({ args }) => check(args),
  };
}
