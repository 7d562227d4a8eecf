import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  jobId: uuid,
  status: z.enum(['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED']),
  total: z.number().int().min(0),
  issued: z.number().int().min(0),
  failed: z.number().int().min(0),
});

/** A bulk issuance job's counters and status after a change (its issuer is the event's scope, not in the payload). */
export const issuanceJobProgressedEvent = defineEventContract({
  type: EventType.ISSUANCE_JOB_PROGRESSED,
  version: 1,
  schema,
  scope: (_p) => ({}),
});

export type IssuanceJobProgressedPayload = z.input<typeof schema>;
