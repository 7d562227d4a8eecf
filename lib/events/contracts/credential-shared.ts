import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, isoDateTime, uuid } from './contract.js';

const schema = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('SHARE_LINK'),
    shareId: uuid,
    recipientId: uuid,
    credentialIds: z.array(uuid),
    audience: z.enum(['PUBLIC', 'EMPLOYER']),
    employerOrgId: z.string().nullable(),
    expiresAt: isoDateTime,
  }),
  z.object({ channel: z.literal('LINKEDIN'), recipientId: uuid, credentialIds: z.array(uuid) }),
]);

/**
 * A recipient shared credentials: as a share link (public or for one employer) or to LinkedIn. Version 2: one event
 * per issuer of the shared credentials, scoped to that issuer and naming only its credentials, so an issuer following
 * its events learns of its own part of a share and never of another issuer's credentials; the parts of one share link
 * have the same `shareId` (credentials of no issuer here, e.g. imported ones, make a part with no issuer). Version 1
 * events were one per share, with every credential and no issuer scope. The payload's shape is unchanged.
 */
export const credentialSharedEvent = defineEventContract({
  type: EventType.CREDENTIAL_SHARED,
  version: 2,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type CredentialSharedPayload = z.input<typeof schema>;
