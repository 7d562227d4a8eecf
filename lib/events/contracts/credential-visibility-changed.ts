import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ credentialId: uuid, recipientId: uuid, visibility: z.enum(['PRIVATE', 'SHARED_ONLY', 'PUBLIC']) });

/**
 * The holder of a credential this hub issued (and delivered to their wallet) chose who may read it. Scoped to the
 * recipient only: a holder's choice is not an issuer's event to follow.
 */
export const credentialVisibilityChangedEvent = defineEventContract({
  type: EventType.CREDENTIAL_VISIBILITY_CHANGED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type CredentialVisibilityChangedPayload = z.input<typeof schema>;
