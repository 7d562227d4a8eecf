import { consentGrantedEvent } from '../../../lib/events/contracts/consent-granted.js';
import { consentRevokedEvent } from '../../../lib/events/contracts/consent-revoked.js';
import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { EventType } from '../../../lib/events/types.js';
import { grantEmployerConsent, withdrawEmployerConsents } from '../db/metrics-store.js';

/** Which employers each recipient consented to, so a consented employer may record the recipient's career events. */
export const employerConsentsConsumer: ConsumerOptions = {
  name: 'verification.employer-consents',
  types: [EventType.CONSENT_GRANTED, EventType.CONSENT_REVOKED],
  async handle(tx, event) {
    // A payload that breaks its contract is skipped: retrying could never succeed and would block later events.
    if (event.type === EventType.CONSENT_GRANTED) {
      const read = consentGrantedEvent.read(event.payload);
      if ('payload' in read) await grantEmployerConsent(tx, read.payload);
      return;
    }
    const read = consentRevokedEvent.read(event.payload);
    if ('payload' in read) await withdrawEmployerConsents(tx, read.payload.consentIds);
  },
};
