import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ recipientId: uuid, employerOrgId: z.string().min(1), consentIds: z.array(uuid) });

/** A recipient withdrew an employer organisation's consent. */
export const consentRevokedEvent = defineEventContract({
  type: EventType.CONSENT_REVOKED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type ConsentRevokedPayload = z.input<typeof schema>;
