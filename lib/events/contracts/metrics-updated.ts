import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ issuerId: uuid, scope: z.object({ kind: z.enum(['ISSUER', 'ACHIEVEMENT', 'PATHWAY']), id: uuid }) });

/** Fresh program metrics for one scope (an issuer, an achievement or a pathway), coalesced to at most one per second per scope. */
export const metricsUpdatedEvent = defineEventContract({
  type: EventType.METRICS_UPDATED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId }),
});

export type MetricsUpdatedPayload = z.input<typeof schema>;
