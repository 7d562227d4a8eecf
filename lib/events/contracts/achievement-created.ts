import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ achievementId: uuid, issuerId: uuid, name: z.string().min(1) });

/** A draft achievement was defined. */
export const achievementCreatedEvent = defineEventContract({
  type: EventType.ACHIEVEMENT_CREATED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId }),
});

export type AchievementCreatedPayload = z.input<typeof schema>;
