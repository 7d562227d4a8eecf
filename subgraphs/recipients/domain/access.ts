import { canActForIssuer } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';

/**
 * The recipient themselves, or an operator acting for them: who may read a recipient's record and wallet, and who
 * may change what is theirs (portfolios, shares, visibility). A recipient's identities and wallet are personal
 * data: issuers and employers see credentials they are shown, never the person's whole record.
 */
export function canActForRecipient(viewer: Viewer, recipientId: string): boolean {
  return viewer.kind === 'ADMIN' || (viewer.kind === 'RECIPIENT' && viewer.recipientId === recipientId);
}

export function assertCanReadRecipient(viewer: Viewer, recipientId: string): void {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (!canActForRecipient(viewer, recipientId)) throw new UnauthorizedError(`This key may not read recipient ${recipientId}`);
}

/**
 * Issuers register the people they award. Registering is a write, so an issuer member needs at least the
 * ISSUER role: VIEWER keys only read.
 */
export function assertCanCreateRecipient(viewer: Viewer): void {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  const allowed = viewer.kind === 'ADMIN' || (viewer.kind === 'ISSUER' && canActForIssuer(viewer, viewer.issuerId, 'ISSUER'));
  if (!allowed) throw new UnauthorizedError('This key may not register recipients');
}
