import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { EventType } from '../../../lib/events/types.js';
import { optionalText } from '../../../lib/validation.js';
import type { IssuedCredentialRow } from '../db/tables.js';
import type { IssuanceDeps } from './issue-credential.js';

/**
 * Revokes a credential: its bit in the issuer's revocation list, the ledger row and the CredentialRevoked event
 * change in one transaction. Revoking a revoked credential changes nothing and reports it as it is.
 */
export async function revokeCredential(
  deps: IssuanceDeps,
  viewer: Viewer,
  input: { credentialId: string; reason?: string | null },
): Promise<IssuedCredentialRow> {
  const existing = await deps.store.findCredential(input.credentialId);
  if (!existing) throw new NotFoundError('Credential', input.credentialId);
  assertIssuerAccess(viewer, existing.issuerId, 'ISSUER');
  const reason = optionalText(input.reason, 'reason', 1_000);
  if (existing.status === 'REVOKED') return existing;
  return deps.db.transaction(async (tx) => {
    const revoked = await deps.store.markRevoked(tx, existing.id, reason);
    if (!revoked) return (await deps.store.findCredential(existing.id))!;
    await deps.statusLists.setBit(tx, revoked.revocationListId, revoked.revocationIndex, true);
    await appendEvents(tx, [
      { type: EventType.CREDENTIAL_REVOKED, issuerId: revoked.issuerId, payload: { credentialId: revoked.id, issuerId: revoked.issuerId, reason } },
    ]);
    return revoked;
  });
}
