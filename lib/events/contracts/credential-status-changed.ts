import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

/**
 * The payload CredentialRevoked, CredentialSuspended and CredentialReinstated share: which credential, which kind of
 * status entry it carries (`suspension` entries can be reinstated, `revocation` ones never), and the issuer's reason.
 */
const schema = z.object({
  credentialId: uuid,
  issuerId: uuid,
  statusPurpose: z.enum(['revocation', 'suspension']),
  reason: z.string().nullable(),
});

export type CredentialStatusChangedPayload = z.input<typeof schema>;

export const STATUS_CHANGE_EVENT_TYPES = [EventType.CREDENTIAL_REVOKED, EventType.CREDENTIAL_SUSPENDED, EventType.CREDENTIAL_REINSTATED] as const;

function statusChangeContract<Type extends (typeof STATUS_CHANGE_EVENT_TYPES)[number]>(type: Type) {
  return defineEventContract({ type, version: 1, schema, scope: (p) => ({ issuerId: p.issuerId }) });
}

/** An issuer revoked a credential for good. */
export const credentialRevokedEvent = statusChangeContract(EventType.CREDENTIAL_REVOKED);
/** An issuer suspended a credential issued with a suspension entry. */
export const credentialSuspendedEvent = statusChangeContract(EventType.CREDENTIAL_SUSPENDED);
/** An issuer lifted a suspension. */
export const credentialReinstatedEvent = statusChangeContract(EventType.CREDENTIAL_REINSTATED);

/** Reads the payload of any of the three (they share one schema), for consumers that treat them alike. */
export const readCredentialStatusChange = (payload: unknown) => credentialRevokedEvent.read(payload);
