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
export type RecipientMergeStep = (
  tx: Db,
  merge: { survivorId: string; mergedRecipientId: string; replacedCredentials: ReadonlyArray<{ droppedId: string; keptId: string }> },
) => Promise<void>;

export interface MergeResult {
  survivorId: string;
  mergedRecipientId: string;
  movedIdentities: number;
  movedCredentialIds: string[];
  /** Older copies of credentials both records held, dropped for the newer copy (OB equality rule). */
  replacedCredentialIds: string[];
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

  // One wallet holds one copy of a credential: of two equal copies the newer validFrom stays (the OB rule the
  // wallet import applies too; on a tie the survivor's), so the merge keeps every credential exactly once.
  const replacedCredentials: Array<{ droppedId: string; keptId: string }> = [];
  for (const pair of await deps.identities.equalCredentialPairs(tx, merged.id, survivor.id)) {
    const mergedIsNewer = (pair.mergedValidFrom?.getTime() ?? 0) > (pair.survivorValidFrom?.getTime() ?? 0);
    const [dropped, kept] = mergedIsNewer ? [pair.survivorId, pair.mergedId] : [pair.mergedId, pair.survivorId];
    await deps.identities.replaceCredential(tx, dropped, kept);
    replacedCredentials.push({ droppedId: dropped, keptId: kept });
  }
  const replacedCredentialIds = replacedCredentials.map((replaced) => replaced.droppedId);
  // Tables added later (shares, consents) follow in the same transaction, told which copies replaced which.
  for (const step of deps.mergeSteps) await step(tx, { survivorId: survivor.id, mergedRecipientId: merged.id, replacedCredentials });
  const identities = await deps.identities.moveIdentities(tx, merged.id, survivor.id);
  let movedCredentialIds: string[];
  try {
    movedCredentialIds = await deps.identities.moveCredentials(tx, merged.id, survivor.id);
  } catch (error) {
    // A copy the wallet rules still forbid (a race with an import): refuse the whole merge rather than drop it.
    if (!isUniqueViolation(error)) throw error;
    throw new AppError('CONFLICT', 'Both recipients hold the same credential; the merge was not made', { recipientId: merged.id });
  }
  await deps.identities.movePortfolios(tx, merged.id, survivor.id);
  await reassignRecipientKeys(tx, merged.id, survivor.id);
  const name = survivingName(survivor.name, merged.name);
  if (name !== survivor.name) await deps.identities.renameRecipient(tx, survivor.id, name);
  await deps.identities.retireMergedRecipient(tx, { mergedRecipientId: merged.id, survivorId: survivor.id, mergedBy, reason: request.reason });

  const result = { survivorId: survivor.id, mergedRecipientId: merged.id, movedIdentities: identities.length, movedCredentialIds, replacedCredentialIds };
  const event: NewEvent = {
    type: EventType.RECIPIENT_MERGED,
    recipientId: survivor.id,
    payload: {
      survivorId: survivor.id,
      mergedRecipientId: merged.id,
      reason: request.reason,
      identities: identities.map(({ type, value }) => ({ type, value })),
      credentialIds: movedCredentialIds,
      replacedCredentialIds,
    },
  };
  return { result, events: [event] };
}
