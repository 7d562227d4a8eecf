import type { Db } from '../../../lib/db/client.js';
import { credentialReinstatedEvent, credentialRevokedEvent, credentialSuspendedEvent } from '../../../lib/events/contracts/credential-status-changed.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import { statusChange, type LedgerStatus, type StatusAction } from '../domain/status-change.js';
import type { StatusListsService } from './status-lists.js';

/** A status change's event: CredentialRevoked, CredentialSuspended or CredentialReinstated. */
function statusChangedEvent(action: StatusAction, credential: StatusHolder, reason: string | null): NewEvent {
  const payload = { credentialId: credential.id, issuerId: credential.issuerId, statusPurpose: credential.statusPurpose, reason };
  switch (action) {
    case 'revoke':
      return credentialRevokedEvent.build(payload);
    case 'suspend':
      return credentialSuspendedEvent.build(payload);
    case 'reinstate':
      return credentialReinstatedEvent.build(payload);
  }
}

/** A credential this hub signed with one status entry: a ledger row or a VC-API signed credential. */
interface StatusHolder {
  id: string;
  issuerId: string;
  status: LedgerStatus;
  statusPurpose: StatusPurpose;
  statusListId: string;
  statusListIndex: number;
}

/** Where such credentials are recorded: locked for the change, then updated. */
interface StatusRecords<Row extends StatusHolder> {
  lock(tx: Db, id: string): Promise<Row | null>;
  updateStatus(tx: Db, id: string, change: { status: LedgerStatus; reason: string | null }): Promise<Row>;
}

/**
 * Revokes, suspends or reinstates a credential (the rules: domain/status-change.ts): its recorded status, its bit in
 * its status list and its event commit together. Refusals and repeats need no transaction; the change is decided
 * again on the locked row, since a concurrent change may have got there first.
 */
export async function changeCredentialStatus<Row extends StatusHolder>(
  deps: { db: Db; statusLists: StatusListsService; records: StatusRecords<Row> },
  existing: Row,
  action: StatusAction,
  reason: string | null,
): Promise<Row> {
  if (!statusChange(existing, action)) return existing;
  return deps.db.transaction(async (tx) => {
    const current = (await deps.records.lock(tx, existing.id))!;
    const change = statusChange(current, action);
    if (!change) return current;
    const updated = await deps.records.updateStatus(tx, current.id, { status: change.status, reason });
    await deps.statusLists.setBit(tx, current.statusListId, current.statusListIndex, change.bit);
    await appendEvents(tx, [statusChangedEvent(action, current, reason)]);
    return updated;
  });
}
