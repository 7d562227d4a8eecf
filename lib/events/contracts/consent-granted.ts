import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  consentId: uuid,
  recipientId: uuid,
  employerOrgId: z.string().min(1),
  scope: z.enum(['PUBLIC_AND_SHARED', 'ALL']),
  replacedConsentIds: z.array(uuid),
});

/** A recipient let an employer organisation query them as a candidate (replacing any standing consent for it). */
export const consentGrantedEvent = defineEventContract({
  type: EventType.CONSENT_GRANTED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type ConsentGrantedPayload = z.input<typeof schema>;
