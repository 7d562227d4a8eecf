import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';
import { PRINCIPAL_KINDS } from '../../auth/viewer.js';

const schema = z.object({
  shareId: uuid.optional(),
  consentId: uuid.optional(),
  via: z.enum(['GRAPHQL', 'PRESENTATION', 'CANDIDATE']),
  recipientId: uuid,
  viewer: z.object({ kind: z.enum(['ANONYMOUS', ...PRINCIPAL_KINDS]), id: z.string().nullable() }),
});

/** Someone opened a share (`shareId`) or a consented candidate view (`consentId`); `viewer` says who (kind and id, or anonymous). */
export const shareViewedEvent = defineEventContract({
  type: EventType.SHARE_VIEWED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type ShareViewedPayload = z.input<typeof schema>;
