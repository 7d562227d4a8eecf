import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';
import { IdentityType } from '../../identity.js';

const schema = z.object({
  survivorId: uuid,
  mergedRecipientId: uuid,
  reason: z.string().nullable(),
  identities: z.array(z.object({ type: z.enum(IdentityType), value: z.string() })),
  credentialIds: z.array(uuid),
  /** Credentials of the survivor replaced by a newer copy from the merged record. */
  replacedCredentialIds: z.array(uuid),
});

/** Two recipient records turned out to be one person: every identity and credential of `mergedRecipientId` now belongs to `survivorId`, and the merged id no longer exists. Subgraphs keyed by recipient id re-point their rows. */
export const recipientMergedEvent = defineEventContract({
  type: EventType.RECIPIENT_MERGED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.survivorId }),
});

export type RecipientMergedPayload = z.input<typeof schema>;
