import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  recipientId: uuid,
  /** EMAIL_CODE: a GraphQL sign-in session; OAUTH: the OB 3.0 API's authorization (the person proved the address). */
  method: z.enum(['EMAIL_CODE', 'OAUTH']),
});

/** A recipient signed in. Analytics counts a delivered credential as claimed at its holder's first sign-in after delivery. */
export const recipientSignedInEvent = defineEventContract({
  type: EventType.RECIPIENT_SIGNED_IN,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type RecipientSignedInPayload = z.input<typeof schema>;
