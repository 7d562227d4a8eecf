import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';
import { PRINCIPAL_KINDS } from '../../auth/viewer.js';

const schema = z.object({
  verificationId: uuid,
  credentialId: z.string().nullish(),
  issuer: z.string().nullish(),
  status: z.enum(['VALID', 'INVALID', 'REVOKED', 'SUSPENDED', 'EXPIRED', 'NOT_YET_VALID', 'STATUS_UNKNOWN']),
  verified: z.boolean(),
  format: z.string().min(1),
  verifier: z.object({ kind: z.enum(['ANONYMOUS', ...PRINCIPAL_KINDS]), id: z.string().nullable() }),
});

/** A credential was verified (by whom: `verifier`); the issuer scope, when the issuer is this hub's, is given by the producer. */
export const credentialVerifiedEvent = defineEventContract({
  type: EventType.CREDENTIAL_VERIFIED,
  version: 1,
  schema,
  scope: (_p) => ({}),
});

export type CredentialVerifiedPayload = z.input<typeof schema>;
