import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, isoDateTime, uuid } from './contract.js';
import { PRINCIPAL_KINDS } from '../../auth/viewer.js';

const schema = z.object({
  shareId: uuid.optional(),
  consentId: uuid.optional(),
  via: z.enum(['GRAPHQL', 'PRESENTATION', 'CANDIDATE']),
  recipientId: uuid,
  viewer: z.object({ kind: z.enum(['ANONYMOUS', ...PRINCIPAL_KINDS]), id: z.string().nullable() }),
  /**
   * Version 2: how many openings this event stands for. Openings are counted in memory and appended every few
   * seconds, one event per (share or consent, via, viewer, UTC day); version 1 events are one opening each.
   */
  count: z.number().int().positive().default(1),
  /** Version 2: the first and last of the counted openings, always within one UTC day (version 1: the event's `occurredAt`). */
  firstViewedAt: isoDateTime.optional(),
  lastViewedAt: isoDateTime.optional(),
  /**
   * Version 2: the viewer was the recipient themself, so these are not views by others. Version 1 events did not
   * say: there it is `viewer.kind === 'RECIPIENT' && viewer.id === recipientId`.
   */
  byHolder: z.boolean().optional(),
  /** Version 2: the append these counts came in; the events of one batch are appended once, whatever the retries. */
  batchId: uuid.optional(),
});

/**
 * Someone opened a share (`shareId`) or a consented candidate view (`consentId`), `count` times; `viewer` says who
 * (kind and id; every anonymous viewer is one). Views per day: sum `count` by the UTC day of `lastViewedAt`.
 */
export const shareViewedEvent = defineEventContract({
  type: EventType.SHARE_VIEWED,
  version: 2,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type ShareViewedPayload = z.input<typeof schema>;
