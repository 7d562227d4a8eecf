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

/**
 * Every error the gateway answers with carries a code from lib/errors.ts (the list the README documents) and none
 * echoes an internal exception. Subgraphs already keep to the list (lib/graphql/format-error.ts); this catches what
 * the gateway's own GraphQL server produces for requests it refuses before or around execution.
 */
export function useClosedErrorCodes(): GatewayPlugin {
  return {
    onResultProcess({ result }) {
      const results = Array.isArray(result) ? result : [result];
      for (const single of results) {
        const errors = (single as { errors?: ErrorLike[] } | null)?.errors;
        if (Array.isArray(errors)) errors.forEach(closeError);
      }
    },
  };
}
