import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  credentialId: uuid,
  recipientId: uuid,
  replaced: z.boolean(),
  format: z.string().min(1),
  status: z.string().min(1),
  /** Version 2: the credential as the wallet stores it, so the verifier keeps a copy and verdicts cross as a digest. */
  document: z.record(z.string(), z.unknown()).optional(),
  /** Version 2: the compact JWS exactly as received (VC-JWT, signed OB 2.0), or null. */
  encoded: z.string().nullable().optional(),
  /** Version 3: the verifier knew and trusted the issuer (this hub's, or on the operator's trust list): what pathways accepting TRUSTED issuers count. */
  issuerTrusted: z.boolean().optional(),
});

/** A recipient imported a credential into the wallet (`replaced`: it replaced an older copy); its verdict at import. The issuer scope, when the issuer is this hub's, is given by the producer. */
export const credentialImportedEvent = defineEventContract({
  type: EventType.CREDENTIAL_IMPORTED,
  version: 3,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type CredentialImportedPayload = z.input<typeof schema>;
