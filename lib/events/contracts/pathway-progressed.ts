import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  pathwayId: uuid,
  version: z.number().int().min(1),
  issuerId: uuid,
  recipientId: uuid,
  /** The pathway's name in this version, for what the follower is told (the recipients service knows no pathways). */
  pathwayName: z.string().min(1),
  percent: z.number().int().min(0).max(100),
  previousPercent: z.number().int().min(0).max(100),
  /** The requirement nodes (path ids) that would advance the pathway soonest now. */
  next: z.array(z.string().min(1)),
});

/** A credential moved a follower of a pathway forward (only followers: what their wallet or an e-mail tells them). */
export const pathwayProgressedEvent = defineEventContract({
  type: EventType.PATHWAY_PROGRESSED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId, recipientId: p.recipientId }),
});

export type PathwayProgressedPayload = z.input<typeof schema>;
