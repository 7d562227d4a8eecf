import { z } from 'zod';
import { IdentityType } from '../../identity.js';
import { EventType } from '../types.js';
import { defineEventContract, isoDateTime, uuid } from './contract.js';

const schema = z.object({
  credentialId: uuid,
  issuerId: uuid,
  achievementId: uuid.nullish(),
  achievementVersion: z.number().int().min(1).nullish(),
  name: z.string().trim().min(1),
  issuedAt: isoDateTime,
  validUntil: isoDateTime.nullish(),
  /** The identity the issuer named; wallet delivery finds (or opens) the recipient holding it. */
  recipient: z.object({ type: z.enum(IdentityType), value: z.string(), name: z.string().nullish() }),
  /** The signed OB 3.0 credential. */
  document: z.record(z.string(), z.unknown()),
});

/** This hub signed a credential; the recipients subgraph delivers it to the wallet of whoever holds the identity. */
export const credentialIssuedEvent = defineEventContract({
  type: EventType.CREDENTIAL_ISSUED,
  version: 1,
  schema,
  scope: (p) => ({ issuerId: p.issuerId }),
});

export type CredentialIssuedPayload = z.input<typeof schema>;
