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
  /**
   * Version 3: the credentials of the share this event counts views of: a share's views are appended as one event per
   * issuer of its credentials (its CredentialShared parts), scoped to that issuer and naming only its credentials.
   * Earlier versions (one event per share, no issuer scope) did not say: there it is every credential of the share.
   */
  credentialIds: z.array(uuid).optional(),
});

/**
 * Someone opened a share (`shareId`) or a consented candidate view (`consentId`), `count` times; `viewer` says who
 * (kind and id; every anonymous viewer is one). Views per day: sum `count` by the UTC day of `lastViewedAt`. A share's
 * views come in one event per issuer part (version 3, `credentialIds`); a candidate view stays one unscoped event.
 */
export const shareViewedEvent = defineEventContract({
  type: EventType.SHARE_VIEWED,
  version: 3,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type ShareViewedPayload = z.input<typeof schema>;
