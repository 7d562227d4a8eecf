import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  pathwayId: uuid,
  version: z.number().int().min(1),
  issuerId: uuid,
  recipientId: uuid,
  /** The group of a milestone award; null for the pathway's own award. */
  milestoneNodeId: z.string().min(1).nullable(),
  standing: z.enum(['ACTIVE', 'FLAGGED', 'SUSPENDED']),
  /** What the standing was before (SUSPENDED → ACTIVE is a reinstatement). */
  previous: z.enum(['ACTIVE', 'FLAGGED', 'SUSPENDED']),
  /** The member credentials that lapsed, when the standing fell. */
  lapsedCredentialIds: z.array(uuid),
});

/** A pathway award's standing changed under the pathway's revocation policy (FLAG or SUSPEND). */
export const pathwayAwardStandingChangedEvent = defineEventContract({
  type: EventType.PATHWAY_AWARD_STANDING_CHANGED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId, recipientId: p.recipientId }),
});

export type PathwayAwardStandingChangedPayload = z.input<typeof schema>;
