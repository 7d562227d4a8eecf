import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';

export interface MergeRequest {
  survivorId: string;
  mergedRecipientId: string;
  reason: 'EMAIL_PROOF' | 'ADMIN';
}

/**
 * Who survives a merge. A recipient merging by proof always survives themselves (the record they are signed in
 * as keeps its id, so their session keeps working); an operator names both records.
 */
export function decideMerge(
  viewer: Viewer,
  input: { recipientId?: string | null; otherRecipientId: string; hasProof: boolean },
): MergeRequest {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  let request: MergeRequest;
  if (viewer.kind === 'ADMIN' && !input.hasProof) {
    if (!input.recipientId) throw new AppError('BAD_USER_INPUT', 'An operator names the surviving recipientId', { field: 'recipientId' });
    request = { survivorId: input.recipientId, mergedRecipientId: input.otherRecipientId, reason: 'ADMIN' };
  } else if (viewer.kind === 'RECIPIENT') {
    if (input.recipientId && input.recipientId !== viewer.recipientId) throw new UnauthorizedError('A recipient can merge only into themselves');
    if (!input.hasProof) {
      throw new AppError('BAD_USER_INPUT', 'Prove an e-mail address of the other record first (requestEmailVerification), then pass emailProofCode', {
        field: 'emailProofCode',
      });
    }
    request = { survivorId: viewer.recipientId, mergedRecipientId: input.otherRecipientId, reason: 'EMAIL_PROOF' };
  } else {
    throw new UnauthorizedError('Only operators, or a recipient with proof, may merge recipients');
  }
  if (request.survivorId.toLowerCase() === request.mergedRecipientId.toLowerCase()) {
    throw new AppError('BAD_USER_INPUT', 'A recipient cannot be merged with itself', { field: 'otherRecipientId' });
  }
  return request;
}

/** The survivor keeps its own display name; a nameless survivor takes the merged record's, so nothing known is lost. */
export function survivingName(survivorName: string | null, mergedName: string | null): string | null {
  return survivorName ?? mergedName;
}

/** What a merge did, as `mergeRecipients` and `verifyEmail` answer it. */
export interface MergeResult {
  survivorId: string;
  mergedRecipientId: string;
  movedIdentities: number;
  movedCredentialIds: string[];
  /** Older copies of credentials both records held, dropped for the newer copy (OB equality rule). */
  replacedCredentialIds: string[];
}

/**
 * One wallet holds one copy of a credential: of two equal copies the newer validFrom stays (the OB rule the wallet
 * import applies too; on a tie the survivor's), so a merge keeps every credential exactly once.
 */
export function copyToKeep(pair: {
  mergedId: string;
  survivorId: string;
  mergedValidFrom: Date | null;
  survivorValidFrom: Date | null;
}): { droppedId: string; keptId: string } {
  const mergedIsNewer = (pair.mergedValidFrom?.getTime() ?? 0) > (pair.survivorValidFrom?.getTime() ?? 0);
  return mergedIsNewer ? { droppedId: pair.survivorId, keptId: pair.mergedId } : { droppedId: pair.mergedId, keptId: pair.survivorId };
}
