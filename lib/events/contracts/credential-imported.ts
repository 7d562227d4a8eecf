import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ credentialId: uuid, recipientId: uuid, replaced: z.boolean(), format: z.string().min(1), status: z.string().min(1) });

/** A recipient imported a credential into the wallet (`replaced`: it replaced an older copy); its verdict at import. The issuer scope, when the issuer is this hub's, is given by the producer. */
export const credentialImportedEvent = defineEventContract({
  type: EventType.CREDENTIAL_IMPORTED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type CredentialImportedPayload = z.input<typeof schema>;
