import { canActForIssuer } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';

/**
 * Which issuer's events a viewer may follow. Operators may follow everything (issuerId null) or one issuer;
 * an issuer member follows its own issuer, whether or not it names it; nobody else follows the log.
 */
export function eventScopeFor(viewer: Viewer, requestedIssuerId: string | null | undefined): string | null {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (viewer.kind === 'ADMIN') return requestedIssuerId ?? null;
  if (viewer.kind === 'ISSUER') {
    const issuerId = requestedIssuerId ?? viewer.issuerId;
    if (!canActForIssuer(viewer, issuerId)) throw new UnauthorizedError(`This key may not follow the events of issuer ${issuerId}`);
    return issuerId;
  }
  throw new UnauthorizedError('Only operators and issuer members may follow credential events');
}

/** Parses a resume cursor: the decimal `cursor` of the last event the client saw ("0": the whole log). */
export function parseEventCursor(after: string): number {
  if (!/^\d{1,15}$/.test(after)) {
    throw new AppError('BAD_USER_INPUT', `"after" must be the cursor of an event, got "${after}"`, { argument: 'after' });
  }
  return Number(after);
}
