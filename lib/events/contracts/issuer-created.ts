import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({ issuerId: uuid, name: z.string().min(1), url: z.string().nullable() });

/** An issuer was created. */
export const issuerCreatedEvent = defineEventContract({
  type: EventType.ISSUER_CREATED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId }),
});

export type IssuerCreatedPayload = z.input<typeof schema>;
