/**
 * The one closed list of error codes a client can see in `extensions.code`. The gateway assigns the parse,
 * validation, depth, cost and size codes; services assign the rest.
 * No GraphQL import here, so `domain/` code may throw these too.
 */
export const ERROR_CODES = [
  /** Not a GraphQL request the hub accepts: malformed JSON, a batch, a mutation over GET, an unknown operation name. */
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CONFLICT',
  /** A rate limit was hit (e.g. too many one-time codes for one e-mail address); retry after `details.retryAfterSeconds`. */
  'TOO_MANY_REQUESTS',
  /** A subscription asked to resume from a cursor the event log's retention has pruned; `details.prunedThrough` says where it may resume. */
  'EVENTS_PRUNED',
  /** A subscriber fell too far behind a shared live stream and was ended; it resumes with `after` (the last cursor it saw). */
  'SUBSCRIBER_TOO_SLOW',
  'QUERY_TOO_DEEP',
  /** Too many tokens, aliases, directives or fields, or nested too deep in the text; `extensions.limit` says which. */
  'QUERY_TOO_COMPLEX',
  'COST_ESTIMATED_TOO_EXPENSIVE',
  /** The operation ran longer than the gateway's execution timeout and was stopped. */
  'QUERY_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'LENGTH_REQUIRED',
  /**
   * The database connection was lost, or a statement timed out or lost a conflict: nothing was wrong with the request.
   * `details.retryable` is true; retry after `details.retryAfterSeconds` (mutations with their idempotency key, since
   * a commit that lost its connection may or may not have happened).
   */
  'DATABASE_UNAVAILABLE',
  'BAD_GATEWAY',
  /** This platform has no binary for the PNG renderer (@resvg/resvg-js): everything but rendering a PNG works. */
  'PNG_RENDERER_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${id} was not found`, { entity, id });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication is required: send Authorization: Bearer <api key>') {
    super('UNAUTHENTICATED', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'You are not allowed to do this', details: Record<string, unknown> = {}) {
    super('UNAUTHORIZED', message, details);
  }
}

export class DatabaseUnavailableError extends AppError {
  constructor() {
    super('DATABASE_UNAVAILABLE', 'The database is briefly unavailable; retry the request', { retryable: true, retryAfterSeconds: 1 });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
