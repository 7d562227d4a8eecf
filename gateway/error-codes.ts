import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ERROR_CODES, type ErrorCode } from '../lib/errors.js';

const KNOWN = new Set<string>(ERROR_CODES);

/** graphql-js's message when a variable's value does not fit its declared type (it assigns no code). */
const VARIABLE_VALUE = /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/;

interface ErrorLike {
  message: string;
  path?: readonly unknown[];
  extensions?: Record<string, unknown>;
}

/**
 * The closed list at the edge: the code an error should carry when its own is missing or foreign. The GraphQL server
 * inside the gateway assigns codes of its own to malformed requests (OPERATION_RESOLUTION_FAILURE) or none at all
 * (variable coercion, request parsing); those are refusals of the request, not server faults.
 */
function closedCode(error: ErrorLike): ErrorCode {
  const code = error.extensions?.code;
  if (typeof code === 'string' && KNOWN.has(code)) return code as ErrorCode;
  if (code === 'OPERATION_RESOLUTION_FAILURE') return 'BAD_REQUEST';
  if (VARIABLE_VALUE.test(error.message)) return 'BAD_USER_INPUT';
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  if (!error.path && status !== undefined && status >= 400 && status < 500) return 'BAD_REQUEST';
  return 'INTERNAL_SERVER_ERROR';
}

function closeError(error: ErrorLike): void {
  const extensions = error.extensions as Record<string, unknown> | undefined;
  if (!extensions) {
    // A GraphQLError's extensions are always an object; a plain error object from elsewhere may lack one.
    Object.assign(error, { extensions: { code: closedCode(error) } });
    return;
  }
  extensions.code = closedCode(error);
  // A request that is not well-formed is a 400 whatever media type the client accepts (the server would answer some
  // of them 200 to application/json clients and others 400).
  const http = extensions.http as { spec?: boolean } | undefined;
  if (extensions.code === 'BAD_REQUEST' && http?.spec) delete http.spec;
  // In development the server copies the underlying exception (a JSON parser's message, a stack) into the answer.
  delete extensions.originalError;
  delete extensions.stacktrace;
}

/** What the gateway's own executor says when a subgraph answered null for a non-null field (masked or not). */
const CONSEQUENTIAL_NULL = /^(Cannot return null for non-nullable field|Unexpected error\.)/;

/**
 * The errors a subgraph answered alongside `data: null`: a non-null field it refused propagated to its root. The gateway
 * then finds null where its own plan expects a value and reports only that ("Cannot return null for non-nullable
 * field Query.me", masked as an internal error), losing the refusal that explains it. Paths inside an entity fetch
 * (`_entities`) are the subgraph's, not the client's, and are dropped.
 */
function upstreamErrorsOfNulledAnswer(result: unknown): ErrorLike[] {
  const answer = result as { data?: unknown; errors?: ErrorLike[] } | null;
  if (!answer || answer.data != null || !Array.isArray(answer.errors)) return [];
  return answer.errors.map((error) => ({
    message: error.message,
    ...(error.path && error.path[0] !== '_entities' ? { path: error.path } : {}),
    extensions: { ...error.extensions },
  }));
}

/**
 * Every error the gateway answers with carries a code from lib/errors.ts (the list the README documents) and none
 * echoes an internal exception. Subgraphs already keep to the list (lib/graphql/format-error.ts); this catches what
 * the gateway's own GraphQL server produces for requests it refuses before or around execution, and restores a
 * subgraph's refusal that the gateway's null handling would otherwise replace with an internal error.
 */
export function useClosedErrorCodes(): GatewayPlugin {
  const nulledAnswers = new WeakMap<Request, ErrorLike[]>();
  return {
    onSubgraphExecute({ executionRequest }) {
      const request = (executionRequest.context as { request?: Request } | undefined)?.request;
      if (!request) return;
      return ({ result }) => {
        const upstream = upstreamErrorsOfNulledAnswer(result);
        if (upstream.length > 0) nulledAnswers.set(request, [...(nulledAnswers.get(request) ?? []), ...upstream]);
      };
    },
    onResultProcess({ request, result, setResult }) {
      let processed = result;
      const upstream = nulledAnswers.get(request);
      const errors = Array.isArray(result) ? [] : ((result as { errors?: ErrorLike[] }).errors ?? []);
      // Only when the refusal was lost: when the gateway reports it itself (a mutation's payload), nothing is replaced.
      if (upstream && (result as { data?: unknown }).data == null && errors.some((error) => CONSEQUENTIAL_NULL.test(error.message))) {
        const own = errors.filter((error) => !CONSEQUENTIAL_NULL.test(error.message));
        processed = { ...(result as object), errors: [...upstream, ...own] } as never;
        setResult(processed);
      }
      const results = Array.isArray(processed) ? processed : [processed];
      for (const single of results) {
        const errors = (single as { errors?: ErrorLike[] } | null)?.errors;
        if (Array.isArray(errors)) errors.forEach(closeError);
      }
    },
  };
}
