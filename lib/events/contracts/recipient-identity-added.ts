import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';
import { IdentityType } from '../../identity.js';

const schema = z.object({ recipientId: uuid, identity: z.object({ type: z.enum(IdentityType), value: z.string().min(1) }) });

/** A recipient proved (or an operator added) an identity. */
export const recipientIdentityAddedEvent = defineEventContract({
  type: EventType.RECIPIENT_IDENTITY_ADDED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type RecipientIdentityAddedPayload = z.input<typeof schema>;
