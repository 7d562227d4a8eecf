import { readCredentialStatusChange } from '../../../lib/events/contracts/credential-status-changed.js';
import { issuerKeysChangedEvent } from '../../../lib/events/contracts/issuer-keys-changed.js';
import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { EventType } from '../../../lib/events/types.js';
import { dropVerdict, replaceIssuerDids } from '../db/store.js';

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
      const read = issuerKeysChangedEvent.read(event.payload);
      if ('payload' in read) await replaceIssuerDids(tx, read.payload.issuerId, read.payload.name, read.payload.dids);
      return;
    }
    const read = readCredentialStatusChange(event.payload);
    if ('payload' in read) await dropVerdict(tx, read.payload.credentialId);
  },
};
