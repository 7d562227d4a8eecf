import type { NextFunction, Request, Response } from 'express';
import { isAppError, type ErrorCode } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/log.js';

/** The spec's code minor values this API answers with. */
export type ImsxCodeMinor = 'forbidden' | 'invalid_data' | 'invalid_query_parameter' | 'not_allowed' | 'not_found' | 'unauthorizedrequest' | 'server_busy' | 'internal_server_error';

/** A refusal of the OB API, answered as Imsx_StatusInfo with its HTTP status (thrown by handlers, sent by `imsxErrorHandler`). */
export class ImsxError extends Error {
  constructor(
    readonly status: number,
    readonly codeMinor: ImsxCodeMinor,
    message: string,
    /** RFC 6750 `WWW-Authenticate` value for 401/403 from the bearer-token check. */
    readonly wwwAuthenticate?: string,
  ) {
    super(message);
  }
}

/** The Imsx_StatusInfo document (ob_v3p0_imsx_statusinfo_schema.json). */
export function statusInfo(codeMinor: ImsxCodeMinor, description: string) {
  return {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: description,
    imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: codeMinor }] },
  };
}

export function sendImsx(res: Response, error: ImsxError): void {
  if (error.wwwAuthenticate) res.set('WWW-Authenticate', error.wwwAuthenticate);
  res.status(error.status).json(statusInfo(error.codeMinor, error.message));
}

const FROM_APP_ERROR: Partial<Record<ErrorCode, [number, ImsxCodeMinor]>> = {
  BAD_USER_INPUT: [400, 'invalid_data'],
  UNAUTHENTICATED: [401, 'unauthorizedrequest'],
  UNAUTHORIZED: [403, 'forbidden'],
  NOT_FOUND: [404, 'not_found'],
  CONFLICT: [400, 'invalid_data'],
  TOO_MANY_REQUESTS: [429, 'server_busy'],
  PAYLOAD_TOO_LARGE: [413, 'invalid_data'],
};

/** Every error of the OB API resource routes as Imsx_StatusInfo; unexpected ones logged and hidden in production. */
export function imsxErrorHandler(log: Logger, production: boolean) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    if (error instanceof ImsxError) return sendImsx(res, error);
    if (isAppError(error)) {
      const [status, codeMinor] = FROM_APP_ERROR[error.code] ?? [500, 'internal_server_error'];
      return sendImsx(res, new ImsxError(status, codeMinor, error.message));
    }
    const { status, type } = error as { status?: number; type?: string };
    if (status === 413) return sendImsx(res, new ImsxError(413, 'invalid_data', 'Request body is too large'));
    if (status === 400 && type === 'entity.parse.failed') return sendImsx(res, new ImsxError(400, 'invalid_data', 'Request body is not valid JSON'));
    log.error({ err: error }, 'unexpected error in the OB 3.0 API');
    sendImsx(res, new ImsxError(500, 'internal_server_error', production ? 'Internal server error' : (error as Error).message));
  };
}
