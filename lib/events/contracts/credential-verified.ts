import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';
import { PRINCIPAL_KINDS } from '../../auth/viewer.js';

/** The ways a verification is asked for (see `channel`). */
export const VERIFICATION_CHANNELS = ['GRAPHQL', 'VC_API', 'CREDENTIAL_FIELD'] as const;
export type VerificationChannel = (typeof VERIFICATION_CHANNELS)[number];

const schema = z.object({
  verificationId: uuid,
  credentialId: z.string().nullish(),
  issuer: z.string().nullish(),
  status: z.enum(['VALID', 'INVALID', 'REVOKED', 'SUSPENDED', 'EXPIRED', 'NOT_YET_VALID', 'STATUS_UNKNOWN']),
  verified: z.boolean(),
  format: z.string().min(1),
  verifier: z.object({ kind: z.enum(['ANONYMOUS', ...PRINCIPAL_KINDS]), id: z.string().nullable() }),
  /**
   * Version 2: how the verification was asked for: `verifyCredential` (GRAPHQL), the W3C VC-API endpoints (VC_API),
   * or reading a wallet credential's `Credential.verification` (CREDENTIAL_FIELD). Version 1 events did not say.
   */
  channel: z.enum(VERIFICATION_CHANNELS).optional(),
});


/** A credential was verified (by whom: `verifier`); the issuer scope, when the issuer is this hub's, is given by the producer. */
export const credentialVerifiedEvent = defineEventContract({
  type: EventType.CREDENTIAL_VERIFIED,
  version: 2,
  schema,
  scope: (_p) => ({}),
});

export type CredentialVerifiedPayload = z.input<typeof schema>;
