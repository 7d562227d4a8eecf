import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ credentialId: uuid, recipientId: uuid, issuerId: uuid });

/** A credential this hub issued landed in its recipient's wallet. */
export const credentialDeliveredEvent = defineEventContract({
  type: EventType.CREDENTIAL_DELIVERED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId, recipientId: p.recipientId }),
});

export type CredentialDeliveredPayload = z.input<typeof schema>;
