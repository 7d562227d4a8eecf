import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  recipientId: uuid,
  /** EMAIL_CODE: a GraphQL sign-in session; OAUTH: the OB 3.0 API's authorization (the person proved the address). */
  method: z.enum(['EMAIL_CODE', 'OAUTH']),
  /** Version 2: the sign-in this event is a part of (one part per issuer, below); version 1 events were whole sign-ins. */
  signInId: uuid.optional(),
});

/**
 * A recipient signed in. Analytics counts a delivered credential as claimed at its holder's first sign-in after
 * delivery. Version 2: one event per issuer whose credentials the recipient holds, scoped to that issuer, so its
 * members learn that a holder of their credentials signed in (and how), nothing about the holder's other issuers;
 * a recipient holding no credential of an issuer here gets one unscoped event. Count sign-ins by `signInId`.
 */
export const recipientSignedInEvent = defineEventContract({
  type: EventType.RECIPIENT_SIGNED_IN,
  version: 2,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type RecipientSignedInPayload = z.input<typeof schema>;
