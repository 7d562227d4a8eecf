import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ recipientId: uuid });

/** A recipient record was opened (by an operator, a first sign-in or a first delivery). */
export const recipientCreatedEvent = defineEventContract({
  type: EventType.RECIPIENT_CREATED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type RecipientCreatedPayload = z.input<typeof schema>;
