import { AppError } from '../../../lib/errors.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';

/** A credential's state in the issuer's ledger. */
export type LedgerStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

/** A real change: the ledger status to record and the value of the credential's bit in its status list. */
export interface StatusChange {
  status: LedgerStatus;
  bit: boolean;
}

/**
 * What a status action does to a credential, given the one status entry it was issued with (OB 3.0 allows only one).
 * Null means "already so": repeating an action changes nothing, like revoking a revoked credential.
 *
 * - A revocation entry can only be revoked; its bit never clears.
 * - A suspension entry is suspended (bit set) and reinstated (bit cleared); revoking it sets the bit for good, so
 *   a revoked credential is never reinstated or suspended again. Revoking a suspended credential is allowed.
 *
 * Throws AppError('CONFLICT') when the credential's entry or state rules the action out.
 */
export function statusChange(credential: { id: string; status: LedgerStatus; statusPurpose: StatusPurpose }, action: StatusAction): StatusChange | null {
  if (action === 'revoke') return credential.status === 'REVOKED' ? null : { status: 'REVOKED', bit: true };
  if (credential.statusPurpose === 'revocation') {
    throw new AppError(
      'CONFLICT',
      `credential ${credential.id} was issued with a revocation-only status entry, so it cannot be suspended or reinstated (only revoked); issue with statusPurpose SUSPENSION to allow suspension`,
      { field: 'credentialId', credentialId: credential.id, statusPurpose: credential.statusPurpose },
    );
  }
  if (credential.status === 'REVOKED') {
    throw new AppError('CONFLICT', `credential ${credential.id} is revoked, and revocation is permanent: it can no longer be ${action === 'suspend' ? 'suspended' : 'reinstated'}`, {
      field: 'credentialId',
      credentialId: credential.id,
      status: credential.status,
    });
  }
  if (action === 'suspend') return credential.status === 'SUSPENDED' ? null : { status: 'SUSPENDED', bit: true };
  return credential.status === 'ACTIVE' ? null : { status: 'ACTIVE', bit: false };
}
