import { z } from 'zod';
import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { EventType } from '../../../lib/events/types.js';
import { dropVerdict, replaceIssuerDids } from '../db/store.js';

/** The IssuerKeysChanged payload the issuers subgraph publishes (the contract this consumer relies on). */
const issuerKeysChanged = z.object({
  issuerId: z.string(),
  name: z.string(),
  dids: z.array(z.object({ did: z.string().startsWith('did:'), document: z.record(z.string(), z.unknown()).nullable() })),
});

const statusChanged = z.object({ credentialId: z.string() });

/**
 * Keeps what the verifier knows about this hub in step with the event log: its issuers' DIDs and public keys (so
 * Cairn's own credentials verify without HTTP and their issuers are known), and which cached verdicts a revocation,
 * suspension or reinstatement has made stale.
 */
export const knownIssuersConsumer: ConsumerOptions = {
  name: 'verification.known-issuers',
  types: [EventType.ISSUER_KEYS_CHANGED, EventType.CREDENTIAL_REVOKED, EventType.CREDENTIAL_SUSPENDED, EventType.CREDENTIAL_REINSTATED],
  async handle(tx, event) {
    if (event.type === EventType.ISSUER_KEYS_CHANGED) {
      // A payload that breaks the contract is skipped rather than retried forever (it would block every later event).
      const parsed = issuerKeysChanged.safeParse(event.payload);
      if (parsed.success) await replaceIssuerDids(tx, parsed.data.issuerId, parsed.data.name, parsed.data.dids);
      return;
    }
    const parsed = statusChanged.safeParse(event.payload);
    if (parsed.success) await dropVerdict(tx, parsed.data.credentialId);
  },
};
