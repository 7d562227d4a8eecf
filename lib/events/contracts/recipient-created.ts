import { z } from 'zod';
import { IdentityType } from '../../identity.js';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  recipientId: uuid,
  /**
   * Version 2: the identities the record was opened with, so other subgraphs know how to reach the recipient;
   * `verified` when opening it proved the identity (a sign-in with a code sent to the address). Absent in version 1.
   */
  identities: z.array(z.object({ type: z.enum(IdentityType), value: z.string().min(1), verified: z.boolean() })).optional(),
});

/** A recipient record was opened (by an operator, a first sign-in or a first delivery). */
export const recipientCreatedEvent = defineEventContract({
  type: EventType.RECIPIENT_CREATED,
  version: 2,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type RecipientCreatedPayload = z.input<typeof schema>;
