import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, isoDateTime, uuid } from './contract.js';

/** The steps in a career that count as mobility (contract: clients send these names). */
export const CAREER_EVENT_TYPES = ['PROMOTION', 'ROLE_CHANGE', 'HIRE', 'INTERNAL_MOVE', 'LATERAL_MOVE', 'STRETCH_ASSIGNMENT'] as const;
export type CareerEventType = (typeof CAREER_EVENT_TYPES)[number];

const schema = z.object({
  careerEventId: uuid,
  recipientId: uuid,
  type: z.enum(CAREER_EVENT_TYPES),
  occurredAt: isoDateTime,
  /** Who recorded it: an issuer member (corporate L&D, `kind` ISSUER with the issuer id) or an employer the recipient consented to. */
  recordedBy: z.object({ kind: z.enum(['ISSUER', 'EMPLOYER']), id: z.string().min(1) }),
});

/**
 * A step in a recipient's career (a promotion, a hire…), recorded for the career-impact metric. Scoped to the
 * recipient, and to the recording issuer when an issuer member recorded it.
 */
export const careerEventRecordedEvent = defineEventContract({
  type: EventType.CAREER_EVENT_RECORDED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId, issuerId: p.recordedBy.kind === 'ISSUER' ? p.recordedBy.id : null }),
});

export type CareerEventRecordedPayload = z.input<typeof schema>;
