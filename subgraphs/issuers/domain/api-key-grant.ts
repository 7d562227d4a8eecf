import { canActForIssuer } from '../../../lib/auth/access.js';
import type { ApiKeyGrant } from '../../../lib/auth/api-keys.js';
import type { IssuerRole, PrincipalKind, Viewer } from '../../../lib/auth/viewer.js';
import { AppError, UnauthorizedError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';

export interface ApiKeyRequest {
  principal: PrincipalKind;
  issuerId?: string | null;
  role?: IssuerRole | null;
  employerId?: string | null;
  recipientId?: string | null;
}

function requiredId(value: string | null | undefined, field: string, principal: PrincipalKind): string {
  if (!value) throw new AppError('BAD_USER_INPUT', `${field} is required for ${principal} keys`, { field });
  if (!isUuid(value)) throw new AppError('BAD_USER_INPUT', `${field} is not a valid id`, { field });
  return value;
}

/**
 * Decides what key a viewer may mint. Operators mint anything; an issuer OWNER mints keys for its own
 * issuer only; nobody else mints keys. `newEmployerId` names a fresh employer organisation when none is given.
 */
export function decideApiKeyGrant(viewer: Viewer, request: ApiKeyRequest, newEmployerId: () => string): ApiKeyGrant {
  const grant = toGrant(request, newEmployerId);
  const allowed =
    viewer.kind === 'ADMIN' || (grant.principal === 'ISSUER' && canActForIssuer(viewer, grant.issuerId, 'OWNER'));
  if (!allowed) throw new UnauthorizedError(`This key may not create ${grant.principal} keys${grant.principal === 'ISSUER' ? ` for issuer ${grant.issuerId}` : ''}`);
  return grant;
}

function toGrant(request: ApiKeyRequest, newEmployerId: () => string): ApiKeyGrant {
  switch (request.principal) {
    case 'ADMIN':
      return { principal: 'ADMIN' };
    case 'ISSUER':
      return { principal: 'ISSUER', issuerId: requiredId(request.issuerId, 'issuerId', 'ISSUER'), role: request.role ?? 'ISSUER' };
    case 'EMPLOYER':
      return {
        principal: 'EMPLOYER',
        employerId: request.employerId ? requiredId(request.employerId, 'employerId', 'EMPLOYER') : newEmployerId(),
      };
    case 'RECIPIENT':
      return { principal: 'RECIPIENT', recipientId: requiredId(request.recipientId, 'recipientId', 'RECIPIENT') };
  }
}
