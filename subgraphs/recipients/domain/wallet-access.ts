import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';
import { canActForRecipient } from './access.js';

interface HeldCredential {
  recipientId: string;
  issuerId: string | null;
  visibility: 'PRIVATE' | 'SHARED_ONLY' | 'PUBLIC';
}

/**
 * Who may read a wallet credential through `credential(id)`: anyone when the holder made it PUBLIC; otherwise the
 * holder, operators, and the members of the Cairn issuer that awarded it (who hold its ledger entry and its public
 * document URL anyway). SHARED_ONLY credentials are also read through shares, which grant that themselves.
 */
export function canReadCredential(viewer: Viewer, credential: HeldCredential): boolean {
  if (credential.visibility === 'PUBLIC') return true;
  if (canActForRecipient(viewer, credential.recipientId)) return true;
  return viewer.kind === 'ISSUER' && credential.issuerId !== null && viewer.issuerId === credential.issuerId;
}

/**
 * Whether a credential's readers may see its holder's name: only once the holder made that credential PUBLIC, which
 * is their choice to show it to anyone with its link. Otherwise a visitor learns only what kind of identity it was
 * issued to (what its own credentialSubject says), even one who may read it (its issuer, an operator).
 */
export function holderNameIsPublic(credential: Pick<HeldCredential, 'visibility'>): boolean {
  return credential.visibility === 'PUBLIC';
}

/**
 * Whose wallet a wallet write acts on: a recipient's own, or for operators the one they name. Everyone else is
 * refused, before anything is read.
 */
export function walletOwnerFor(viewer: Viewer, requestedRecipientId: string | null | undefined): string {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (viewer.kind === 'RECIPIENT') {
    if (requestedRecipientId && requestedRecipientId !== viewer.recipientId) throw new UnauthorizedError('A recipient key acts only on its own wallet');
    return viewer.recipientId;
  }
  if (viewer.kind === 'ADMIN') {
    if (!requestedRecipientId) throw new AppError('BAD_USER_INPUT', 'Operators name the recipient whose wallet this is', { field: 'recipientId' });
    return requestedRecipientId;
  }
  throw new UnauthorizedError('Only the recipient (or an operator) may change a wallet');
}
