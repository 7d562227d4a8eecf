import { reassignRecipientKeys } from '../../../lib/auth/recipient-tokens.js';
import type { Db } from '../../../lib/db/client.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { EventType, type NewEvent } from '../../../lib/events/types.js';
import type { IdentityStore } from '../db/identity-store.js';
import { survivingName, type MergeRequest } from '../domain/merge.js';

/**
 * Extra work a merge must do on other tables of this subgraph keyed by recipient (wallet visibility, portfolios,
 * shares...). Steps run in the merge transaction, before identities and credentials move, so a step can settle
 * duplicates (the same credential in both wallets) first.
 */
export type RecipientMergeStep = (tx: Db, merge: { survivorId: string; mergedRecipientId: string }) => Promise<void>;

export interface MergeResult {
  survivorId: string;
  mergedRecipientId: string;
  movedIdentities: number;
  movedCredentialIds: string[];
}

/**
 * Folds one recipient record into another inside the caller's transaction: every identity, credential and key of
 * the merged record moves to the survivor, the merged record is retired, and RecipientMerged is appended by the
 * caller with the rest of its events (returned here).
 */
export async function mergeRecipientsInto(
  tx: Db,
  deps: { identities: IdentityStore; mergeSteps: readonly RecipientMergeStep[] },
  request: MergeRequest,
  mergedBy: string | null,
): Promise<{ result: MergeResult; events: NewEvent[] }> {
  const { survivorId, mergedRecipientId } = request;
  const locked = await deps.identities.lockRecipients(tx, [survivorId, mergedRecipientId]);
  const survivor = locked.find((row) => row.id === survivorId.toLowerCase());
  const merged = locked.find((row) => row.id === mergedRecipientId.toLowerCase());
  if (!survivor) throw new NotFoundError('Recipient', survivorId);
  if (!merged) throw new NotFoundError('Recipient', mergedRecipientId);

  for (const step of deps.mergeSteps) await step(tx, { survivorId: survivor.id, mergedRecipientId: merged.id });
  const identities = await deps.identities.moveIdentities(tx, merged.id, survivor.id);
  let movedCredentialIds: string[];
  try {
    movedCredentialIds = await deps.identities.moveCredentials(tx, merged.id, survivor.id);
  } catch (error) {
    // Both wallets hold an equal credential (same issuer and credential id: one copy per wallet) and no merge step
    // settled it: refuse the whole merge rather than silently drop either copy.
    if (!isUniqueViolation(error)) throw error;
    throw new AppError('CONFLICT', 'Both recipients hold the same credential; the merge was not made', { recipientId: merged.id });
  }
  await deps.identities.movePortfolios(tx, merged.id, survivor.id);
  await reassignRecipientKeys(tx, merged.id, survivor.id);
  const name = survivingName(survivor.name, merged.name);
  if (name !== survivor.name) await deps.identities.renameRecipient(tx, survivor.id, name);
  await deps.identities.retireMergedRecipient(tx, { mergedRecipientId: merged.id, survivorId: survivor.id, mergedBy, reason: request.reason });

  const result = { survivorId: survivor.id, mergedRecipientId: merged.id, movedIdentities: identities.length, movedCredentialIds };
  const event: NewEvent = {
    type: EventType.RECIPIENT_MERGED,
    recipientId: survivor.id,
    payload: {
      survivorId: survivor.id,
      mergedRecipientId: merged.id,
      reason: request.reason,
      identities: identities.map(({ type, value }) => ({ type, value })),
      credentialIds: movedCredentialIds,
    },
  };
  return { result, events: [event] };
}
