import { z } from 'zod';
import { IdentityType } from '../../identity.js';
import { EventType } from '../types.js';
import { defineEventContract, isoDateTime, uuid } from './contract.js';

const schema = z.object({
  pathwayId: uuid,
  version: z.number().int().min(1),
  issuerId: uuid,
  recipientId: uuid,
  credentialIds: z.array(uuid).min(1),
  completedAt: isoDateTime,
  /** Version 2: the achievement to award (the pathway's award, or a milestone's). */
  achievementId: uuid.optional(),
  /** Version 2: the group a milestone award is for; absent or null for the pathway's own award. */
  milestoneNodeId: z.string().min(1).nullish(),
  /** Version 2: the pathway's name, for the award's evidence and the CLR's name. */
  pathwayName: z.string().min(1).optional(),
  /**
   * Version 2: an identity the recipient is known by to this hub's issuers (the one named on their most recent member
   * credential issued here), which the award is issued to; null when every member credential came from elsewhere.
   */
  recipient: z.object({ type: z.enum(IdentityType), value: z.string().min(1) }).nullish(),
  /** Version 2: the satisfying credentials whole (their own proofs), for the CLR, with the leaf each satisfied. */
  members: z
    .array(z.object({ credentialId: uuid, nodeId: z.string().min(1), achievementUrl: z.string().nullable(), document: z.record(z.string(), z.unknown()) }))
    .optional(),
  /** Version 2: `precedes` between consecutive SEQUENCE elements, by Achievement.id URL, for the CLR's associations. */
  precedes: z.array(z.object({ sourceId: z.string().min(1), targetId: z.string().min(1) })).optional(),
});

/**
 * A recipient completed a pathway (or reached one of its milestones): the credentials that satisfied it, for the award.
 * Appended exactly once per recipient, pathway version and milestone (the achievements subgraph's `pathway_awards` key).
 */
export const pathwayCompletedEvent = defineEventContract({
  type: EventType.PATHWAY_COMPLETED,
  version: 2,
  schema,
  scope: (p) => ({ issuerId: p.issuerId, recipientId: p.recipientId }),
});

export type PathwayCompletedPayload = z.input<typeof schema>;
