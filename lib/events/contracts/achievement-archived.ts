import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ achievementId: uuid, issuerId: uuid, versions: z.array(z.number().int().min(1)) });

/** An achievement was archived: these versions take no new issuance (issued credentials stay valid). */
export const achievementArchivedEvent = defineEventContract({
  type: EventType.ACHIEVEMENT_ARCHIVED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId }),
});

export type AchievementArchivedPayload = z.input<typeof schema>;
