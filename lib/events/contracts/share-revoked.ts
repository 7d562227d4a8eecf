import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ shareId: uuid, recipientId: uuid });

/** A share link stopped working at its owner's request. */
export const shareRevokedEvent = defineEventContract({
  type: EventType.SHARE_REVOKED,
  version: 1,
  schema,
  scope: (p) => ({ recipientId: p.recipientId }),
});

export type ShareRevokedPayload = z.input<typeof schema>;
