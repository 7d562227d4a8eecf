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

/** A recipient shared credentials: as a share link (public or for one employer) or to LinkedIn. */
export const credentialSharedEvent = defineEventContract({
  type: EventType.CREDENTIAL_SHARED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type CredentialSharedPayload = z.input<typeof schema>;
