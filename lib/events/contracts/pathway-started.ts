import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, isoDateTime, uuid } from './contract.js';

const schema = z.object({
  pathwayId: uuid,
  version: z.number().int().min(1),
  issuerId: uuid,
  recipientId: uuid,
  /** When the first of their credentials that belongs to the pathway was earned (its completion is measured from it). */
  startedAt: isoDateTime,
});

/**
 * A recipient started a published pathway version: they hold one of its member credentials, whether they follow it or
 * not. Appended once per recipient and version (with their first progress row), for the completion metrics.
 */
export const pathwayStartedEvent = defineEventContract({
  type: EventType.PATHWAY_STARTED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId, recipientId: p.recipientId }),
});

export type PathwayStartedPayload = z.input<typeof schema>;
