import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';
import { IdentityType, type Identity } from '../../../lib/identity.js';

/** The recipient a signed-in recipient acts as; everyone else is refused (operators name a recipient instead). */
export function signedInRecipientId(viewer: Viewer): string {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError('Sign in first (requestSignInCode, then signIn)');
  if (viewer.kind !== 'RECIPIENT') throw new UnauthorizedError('Only a signed-in recipient can do this');
  return viewer.recipientId;
}

/**
 * Which recipient gets a new identity. An identity routes every future credential issued to it, so claiming one
 * without proof would let anyone collect someone else's credentials: recipients add e-mail addresses by proving
 * them (`verifyEmail`); other types need an operator until they can be proven too (DID Auth, SMS).
 */
export function recipientForNewIdentity(viewer: Viewer, requestedRecipientId: string | null | undefined, identity: Identity): string {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (viewer.kind === 'ADMIN') {
    if (!requestedRecipientId) throw new AppError('BAD_USER_INPUT', 'An operator names the recipientId', { field: 'recipientId' });
    return requestedRecipientId;
  }
  if (viewer.kind !== 'RECIPIENT') throw new UnauthorizedError('Only the recipient or an operator may add identities');
  if (requestedRecipientId && requestedRecipientId !== viewer.recipientId) throw new UnauthorizedError('A recipient may add identities only to themselves');
  if (identity.type === IdentityType.EMAIL) {
    throw new AppError('BAD_USER_INPUT', 'Prove an e-mail address instead: requestEmailVerification, then verifyEmail', { field: 'type' });
  }
  throw new UnauthorizedError(`A ${identity.type} identity cannot be proven yet, so only an operator may add it`);
}
