import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, isoDateTime, uuid } from './contract.js';

const schema = z.object({
  pathwayId: uuid,
  version: z.number().int().min(1),
  issuerId: uuid,
  recipientId: uuid,
  credentialIds: z.array(uuid).min(1),
  completedAt: isoDateTime,
});

/** A recipient completed a pathway: the credentials that satisfied it, for the award (appended exactly once per recipient and pathway version). */
export const pathwayCompletedEvent = defineEventContract({
  type: EventType.PATHWAY_COMPLETED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId, recipientId: p.recipientId }),
});

export type PathwayCompletedPayload = z.input<typeof schema>;
