import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { ErrorCode } from '../lib/errors.js';
import { nestsDeeperThan } from '../lib/json-depth.js';

/** Which structural limit an operation broke; sent as `extensions.limit` beside the code QUERY_TOO_COMPLEX. */
export type StructuralLimit = 'tokens' | 'nesting' | 'aliases' | 'directives' | 'fields';

export interface QueryTextLimits {
  /** Most lexical tokens a query document may have (graphql-armor's max-tokens). */
  maxTokens: number;
  /** Deepest nesting of `{`, `[` and `(` in the document: selections, object and list literals, arguments. */
  maxNesting: number;
}

export interface OperationLimits {
  /** Most aliases, counted with every fragment spread expanded (graphql-armor's max-aliases). */
  maxAliases: number;
  /** Most directives, fragments expanded (graphql-armor's max-directives). */
  maxDirectives: number;
  /** Most field selections, fragments expanded: what the operation asks resolvers to do, before list sizes. */
  maxFields: number;
}

export function tooComplex(limit: StructuralLimit, max: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, http: { status: 400 } } });
}

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Checks a query document's size and nesting with graphql's own lexer, before the recursive-descent parser sees it:
 * an object literal, list literal or selection nested a few thousand deep overflows the parser's (and every later
 * visitor's) stack, and a document of tens of thousands of tokens (4,500 aliases) costs seconds before any limit on
 * the parsed operation could refuse it. Lexing is iterative and stops at the first broken limit. A document the
 * lexer rejects is left to the parser, which answers GRAPHQL_PARSE_FAILED.
 */
export function queryTextProblem(query: string, limits: QueryTextLimits): GraphQLError | null {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens += 1;
      if (tokens > limits.maxTokens) {
        return tooComplex('tokens', limits.maxTokens, `The query has more than ${limits.maxTokens} tokens; split it into smaller operations`);
      }
      if (OPENING.has(token.kind)) nesting += 1;
      else if (CLOSING.has(token.kind)) nesting -= 1;
      if (nesting > limits.maxNesting) {
        return tooComplex('nesting', limits.maxNesting, `The query nests braces, brackets or parentheses deeper than ${limits.maxNesting} levels`);
      }
    }
  } catch {
    return null;
  }
  return null;
}

interface Tally {
  aliases: number;
  directives: number;
  fields: number;
}

/**
 * Counts aliases, directives and fields of a selection set with fragment spreads expanded, each fragment counted once
 * and reused (so a fragment spread a thousand times costs one walk, and a "fragment bomb" is priced at its expansion).
 * A fragment cycle counts nothing: validation refuses it anyway.
 */
function tallySelections(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, memo: Map<string, Tally | null>): Tally {
  const tally: Tally = { aliases: 0, directives: 0, fields: 0 };
  const add = (other: Tally) => {
    tally.aliases += other.aliases;
    tally.directives += other.directives;
    tally.fields += other.fields;
  };
  for (const selection of selectionSet.selections) {
    tally.directives += selection.directives?.length ?? 0;
    if (selection.kind === Kind.FIELD) {
      tally.fields += 1;
      if (selection.alias) tally.aliases += 1;
      if (selection.selectionSet) add(tallySelections(selection.selectionSet, fragments, memo));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      add(tallySelections(selection.selectionSet, fragments, memo));
    } else {
      const name = selection.name.value;
      if (!memo.has(name)) {
        memo.set(name, null); // in progress: a cycle back to it counts nothing
        const fragment = fragments.get(name);
        memo.set(name, fragment ? tallySelections(fragment.selectionSet, fragments, memo) : null);
      }
      const fragmentTally = memo.get(name);
      if (fragmentTally) add(fragmentTally);
    }
  }
  return tally;
}

/** The first structural limit an operation of `document` breaks, or null. */
export function operationProblem(document: DocumentNode, limits: OperationLimits): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, Tally | null>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const tally = tallySelections(definition.selectionSet, fragments, memo);
    tally.directives += definition.directives?.length ?? 0;
    if (tally.aliases > limits.maxAliases) {
      return tooComplex('aliases', limits.maxAliases, `The operation uses ${tally.aliases} aliases; the limit is ${limits.maxAliases}`);
    }
    if (tally.directives > limits.maxDirectives) {
      return tooComplex('directives', limits.maxDirectives, `The operation uses ${tally.directives} directives; the limit is ${limits.maxDirectives}`);
    }
    if (tally.fields > limits.maxFields) {
      return tooComplex('fields', limits.maxFields, `The operation selects ${tally.fields} fields; the limit is ${limits.maxFields}`);
    }
  }
  return null;
}

/**
 * Refuses a query document that is too large or nested too deep (checked on the text, before parsing) and an
 * operation with too many aliases, directives or fields (checked as a validation rule, before anything executes),
 * with QUERY_TOO_COMPLEX and HTTP 400.
 */
export function useStructuralLimits(limits: QueryTextLimits & OperationLimits, onRefused?: (context: never) => void): GatewayPlugin {
  return {
    onParams({ params, setResult, request, context }) {
      if (typeof params.query !== 'string') return;
      const problem = queryTextProblem(params.query, limits);
      if (!problem) return;
      // Not spread: the server context's `req` may live on its prototype.
      onRefused?.({ request, req: (context as { req?: unknown }).req } as never);
      setResult({ errors: [problem] });
    },
    onValidate({ addValidationRule, context: requestContext }) {
      addValidationRule((context: ValidationContext) => ({
        Document(document: DocumentNode) {
          const problem = operationProblem(document, limits);
          if (!problem) return;
          onRefused?.(requestContext as never);
          context.reportError(problem);
        },
      }));
    },
  };
}

/**
 * Refuses operations nested deeper than `maxDepth` with a coded error. Fragments are flattened,
 * so hiding depth inside fragments does not get past it; introspection is exempt (GraphiQL needs it).
 */
export function useDepthLimit(maxDepth: number) {
  return maxDepthPlugin({
    n: maxDepth,
    flattenFragments: true,
    ignoreIntrospection: true,
    propagateOnRejection: false,
    onReject: [
      (context, error) =>
        context?.reportError(
          new GraphQLError(`Query is too deep: ${error.message.replace(/^Syntax Error: /, '')}`, {
            extensions: { code: 'QUERY_TOO_DEEP', maxDepth },
          }),
        ),
    ],
  });
}

/**
 * Refuses variables nested deeper than `maxDepth` with BAD_USER_INPUT before anything walks them: JSON.parse copes
 * with any depth, but value coercion and JSON.stringify (forwarding to a subgraph) recurse and would overflow the
 * stack on, say, a 50,000-level credential handed to verifyCredential.
 */
export function useVariablesDepthLimit(maxDepth: number) {
  return {
    onParams({ params, setResult }: { params: { variables?: unknown }; setResult: (result: { errors: GraphQLError[] }) => void }) {
      if (params.variables && nestsDeeperThan(params.variables, maxDepth)) {
        setResult({
          errors: [new GraphQLError(`Variables nest deeper than ${maxDepth} levels`, { extensions: { code: 'BAD_USER_INPUT', maxDepth } })],
        });
      }
    },
  };
}

/**
 * Checks a request body's declared size before the gateway reads it. Returns false (and answers)
 * when the request is refused: too large (413), or a POST without a Content-Length (411), since an
 * unbounded chunked body could only be limited after buffering it.
 */
export function admitRequestBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  if (req.method !== 'POST') return true;
  const declared = req.headers['content-length'];
  if (declared === undefined) {
    refuse(res, 411, 'LENGTH_REQUIRED', 'POST requests must declare a Content-Length');
    return false;
  }
  if (Number(declared) > maxBytes) {
    refuse(res, 413, 'PAYLOAD_TOO_LARGE', `Request body is ${declared} bytes; the limit is ${maxBytes}`, { maxBytes });
    return false;
  }
  return true;
}

function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] }));
}

/**
 * Answers an operation that runs longer than `timeoutMs` with QUERY_TIMEOUT and aborts its execution (the signal
 * reaches the upstream requests still in flight), so one slow operation holds neither its client nor a gateway
 * slot for long. Subscriptions are long-lived by design and not timed.
 */
export function useExecutionTimeout(timeoutMs: number): GatewayPlugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args: ExecutionArgs & { signal?: AbortSignal }) => {
        const controller = new AbortController();
        const signal = args.signal ? AbortSignal.any([args.signal, controller.signal]) : controller.signal;
        // Every upstream request of the operation listens to it; a wide operation has more than Node's default ten.
        setMaxListeners(0, signal);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise((resolve) => {
          timer = setTimeout(() => {
            controller.abort(new Error('query timeout'));
            resolve({
              errors: [new GraphQLError(`The operation ran longer than ${timeoutMs} ms and was stopped`, { extensions: { code: 'QUERY_TIMEOUT', timeoutMs } })],
            });
          }, timeoutMs);
        });
        try {
          return await Promise.race([executeFn({ ...args, signal } as ExecutionArgs), timedOut]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}
