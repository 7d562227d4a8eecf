import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';
import { IdentityType } from '../../identity.js';

const schema = z.object({
  recipientId: uuid,
  identity: z.object({ type: z.enum(IdentityType), value: z.string().min(1) }),
  /** Version 2: the recipient proved the identity (a code sent to the address); false when an operator added it. Absent in version 1. */
  verified: z.boolean().optional(),
});

/** A recipient proved (or an operator added) an identity. */
export const recipientIdentityAddedEvent = defineEventContract({
  type: EventType.RECIPIENT_IDENTITY_ADDED,
  version: 2,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type RecipientIdentityAddedPayload = z.input<typeof schema>;
