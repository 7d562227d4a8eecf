import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { EventType, type CredentialStatusChangedPayload } from '../../../lib/events/types.js';
import { optionalText } from '../../../lib/validation.js';
import type { IssuedCredentialRow } from '../db/tables.js';
import { statusChange, type StatusAction } from '../domain/status-change.js';
import type { IssuanceDeps } from './issue-credential.js';

export interface StatusChangeRequest {
  credentialId: string;
  reason?: string | null;
}

const EVENT_OF: Record<StatusAction, EventType> = {
  revoke: EventType.CREDENTIAL_REVOKED,
  suspend: EventType.CREDENTIAL_SUSPENDED,
  reinstate: EventType.CREDENTIAL_REINSTATED,
};

/** Revokes for good: sets the bit of the credential's status entry (revocation or suspension) and never clears it. */
export const revokeCredential = (deps: IssuanceDeps, viewer: Viewer, input: StatusChangeRequest) => changeCredentialStatus(deps, viewer, input, 'revoke');

/** Suspends a credential issued with a suspension entry: its bit is set until it is reinstated. */
export const suspendCredential = (deps: IssuanceDeps, viewer: Viewer, input: StatusChangeRequest) => changeCredentialStatus(deps, viewer, input, 'suspend');

/** Reinstates a suspended credential: its bit is cleared. A revoked credential is never reinstated. */
export const reinstateCredential = (deps: IssuanceDeps, viewer: Viewer, input: StatusChangeRequest) =>
  changeCredentialStatus(deps, viewer, input, 'reinstate');

/**
 * One status change: the credential's bit in its status list, the ledger row (status, reason, time) and the event
 * change in one transaction. A repeat changes nothing and returns the credential as it is; what the credential's
 * entry rules out is refused (domain/status-change.ts).
 */
async function changeCredentialStatus(deps: IssuanceDeps, viewer: Viewer, input: StatusChangeRequest, action: StatusAction): Promise<IssuedCredentialRow> {
  const existing = await deps.store.findCredential(input.credentialId);
  if (!existing) throw new NotFoundError('Credential', input.credentialId);
  assertIssuerAccess(viewer, existing.issuerId, 'ISSUER');
  const reason = optionalText(input.reason, 'reason', 1_000);
  // Refusals and repeats need no transaction.
  if (!statusChange(existing, action)) return existing;
  return deps.db.transaction(async (tx) => {
    // Decided again on the locked row: a concurrent change may have got there first.
    const current = (await deps.store.lockCredential(tx, existing.id))!;
    const change = statusChange(current, action);
    if (!change) return current;
    const changed = await deps.store.updateStatus(tx, current.id, { status: change.status, reason });
    await deps.statusLists.setBit(tx, current.statusListId, current.statusListIndex, change.bit);
    const payload: CredentialStatusChangedPayload = { credentialId: current.id, issuerId: current.issuerId, statusPurpose: current.statusPurpose, reason };
    await appendEvents(tx, [{ type: EVENT_OF[action], issuerId: current.issuerId, payload }]);
    return changed;
  });
}
