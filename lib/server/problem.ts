import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { isTransientDatabaseError } from '../db/errors.js';
import { DatabaseUnavailableError, isAppError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';

const STATUS_FOR_CODE: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  UNAUTHORIZED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  PAYLOAD_TOO_LARGE: 413,
  LENGTH_REQUIRED: 411,
  PNG_RENDERER_UNAVAILABLE: 501,
  DATABASE_UNAVAILABLE: 503,
};

/** An RFC 9457 problem document, with our stable `code` alongside the HTTP status (plain node:http, so express too). */
export function sendProblem(res: ServerResponse, status: number, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: code.replace(/_/g, ' ').toLowerCase(), status, code, detail, ...extra }));
}

/**
 * Express error handler for REST routes: AppErrors become problem documents with their HTTP status;
 * anything else is a bug, logged and answered 500 without internals in production.
 */
export function problemHandler(log: Logger, production: boolean) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    if (isTransientDatabaseError(error)) {
      log.warn({ err: error }, 'database unavailable in a REST route; the client may retry');
      error = new DatabaseUnavailableError();
    }
    if (isAppError(error)) {
      const retryAfter = error.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
      return sendProblem(res, STATUS_FOR_CODE[error.code] ?? 500, error.code, error.message, error.details);
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) return sendProblem(res, 413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    if (status === 400 && (error as { type?: string }).type === 'entity.parse.failed') {
      return sendProblem(res, 400, 'BAD_USER_INPUT', 'Request body is not valid JSON');
    }
    log.error({ err: error }, 'unexpected error in a REST route');
    sendProblem(res, 500, 'INTERNAL_SERVER_ERROR', production ? 'Internal server error' : (error as Error).message);
  };
}
