import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { isTransientDatabaseError } from '../db/errors.js';
import { DatabaseUnavailableError, isAppError, type AppError } from '../errors.js';
import type { Logger } from '../log.js';

/** Codes GraphQL servers assign themselves and that we let through unchanged. */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'UNAUTHORIZED',
]);

/**
 * Apollo `formatError`: AppErrors carry their code and details into `extensions`; codes the server assigns
 * pass through; a lost database connection or a database timeout is the retryable DATABASE_UNAVAILABLE; anything
 * else is a bug, logged in full and shown as INTERNAL_SERVER_ERROR (with the message hidden in production).
 */
export function createFormatError(log: Logger, production: boolean) {
  const asAppError = (appError: AppError, formatted: GraphQLFormattedError): GraphQLFormattedError => ({
    ...formatted,
    message: appError.message,
    extensions: { ...appError.details, code: appError.code },
  });
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    if (isAppError(original)) return asAppError(original, formatted);
    if (isTransientDatabaseError(original)) {
      log.warn({ err: original, path: formatted.path }, 'database unavailable while resolving; the client may retry');
      return asAppError(new DatabaseUnavailableError(), formatted);
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
    return {
      message: production ? 'Internal server error' : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
