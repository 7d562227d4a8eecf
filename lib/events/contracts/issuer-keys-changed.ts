import { z } from 'zod';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

const schema = z.object({
  issuerId: uuid,
  name: z.string(),
  dids: z.array(z.object({ did: z.string().startsWith('did:'), document: z.record(z.string(), z.unknown()).nullable() })),
});

/** An issuer's DIDs and public keys after a creation or rotation (did:web documents carry public keys only); the verification subgraph projects it to resolve this hub's DIDs without HTTP. */
export const issuerKeysChangedEvent = defineEventContract({
  type: EventType.ISSUER_KEYS_CHANGED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId }),
});

export type IssuerKeysChangedPayload = z.input<typeof schema>;
