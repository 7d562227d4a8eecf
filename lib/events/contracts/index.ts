import { EventType } from '../types.js';
import { achievementArchivedEvent } from './achievement-archived.js';
import { achievementCreatedEvent } from './achievement-created.js';
import { achievementPublishedEvent } from './achievement-published.js';
import { careerEventRecordedEvent } from './career-event-recorded.js';
import { consentGrantedEvent } from './consent-granted.js';
import { consentRevokedEvent } from './consent-revoked.js';
import type { EventContract } from './contract.js';
import { credentialDeliveredEvent } from './credential-delivered.js';
import { credentialImportedEvent } from './credential-imported.js';
import { credentialIssuedEvent } from './credential-issued.js';
import { credentialSharedEvent } from './credential-shared.js';
import { credentialReinstatedEvent, credentialRevokedEvent, credentialSuspendedEvent } from './credential-status-changed.js';
import { credentialVerifiedEvent } from './credential-verified.js';
import { credentialVisibilityChangedEvent } from './credential-visibility-changed.js';
import { issuanceJobProgressedEvent } from './issuance-job-progressed.js';
import { issuerCreatedEvent } from './issuer-created.js';
import { issuerKeysChangedEvent } from './issuer-keys-changed.js';
import { metricsUpdatedEvent } from './metrics-updated.js';
import { pathwayAwardStandingChangedEvent } from './pathway-award-standing-changed.js';
import { pathwayCompletedEvent } from './pathway-completed.js';
import { pathwayProgressedEvent } from './pathway-progressed.js';
import { pathwayStartedEvent } from './pathway-started.js';
import { recipientCreatedEvent } from './recipient-created.js';
import { recipientIdentityAddedEvent } from './recipient-identity-added.js';
import { recipientMergedEvent } from './recipient-merged.js';
import { recipientSignedInEvent } from './recipient-signed-in.js';
import { shareRevokedEvent } from './share-revoked.js';
import { shareViewedEvent } from './share-viewed.js';

/** Every event type's contract; a type missing here does not compile, so no event can be appended without one. */
export const EVENT_CONTRACTS: { readonly [Type in EventType]: EventContract<Type, any, any> } = {
  [EventType.ISSUER_CREATED]: issuerCreatedEvent,
  [EventType.ISSUER_KEYS_CHANGED]: issuerKeysChangedEvent,
  [EventType.ACHIEVEMENT_CREATED]: achievementCreatedEvent,
  [EventType.ACHIEVEMENT_PUBLISHED]: achievementPublishedEvent,
  [EventType.ACHIEVEMENT_ARCHIVED]: achievementArchivedEvent,
  [EventType.CREDENTIAL_ISSUED]: credentialIssuedEvent,
  [EventType.CREDENTIAL_REVOKED]: credentialRevokedEvent,
  [EventType.CREDENTIAL_SUSPENDED]: credentialSuspendedEvent,
  [EventType.CREDENTIAL_REINSTATED]: credentialReinstatedEvent,
  [EventType.ISSUANCE_JOB_PROGRESSED]: issuanceJobProgressedEvent,
  [EventType.RECIPIENT_CREATED]: recipientCreatedEvent,
  [EventType.RECIPIENT_IDENTITY_ADDED]: recipientIdentityAddedEvent,
  [EventType.RECIPIENT_MERGED]: recipientMergedEvent,
  [EventType.CREDENTIAL_DELIVERED]: credentialDeliveredEvent,
  [EventType.CREDENTIAL_IMPORTED]: credentialImportedEvent,
  [EventType.CREDENTIAL_VISIBILITY_CHANGED]: credentialVisibilityChangedEvent,
  [EventType.CREDENTIAL_SHARED]: credentialSharedEvent,
  [EventType.SHARE_REVOKED]: shareRevokedEvent,
  [EventType.SHARE_VIEWED]: shareViewedEvent,
  [EventType.CONSENT_GRANTED]: consentGrantedEvent,
  [EventType.CONSENT_REVOKED]: consentRevokedEvent,
  [EventType.CREDENTIAL_VERIFIED]: credentialVerifiedEvent,
  [EventType.METRICS_UPDATED]: metricsUpdatedEvent,
  [EventType.PATHWAY_COMPLETED]: pathwayCompletedEvent,
  [EventType.PATHWAY_AWARD_STANDING_CHANGED]: pathwayAwardStandingChangedEvent,
  [EventType.PATHWAY_PROGRESSED]: pathwayProgressedEvent,
  [EventType.PATHWAY_STARTED]: pathwayStartedEvent,
  [EventType.RECIPIENT_SIGNED_IN]: recipientSignedInEvent,
  [EventType.CAREER_EVENT_RECORDED]: careerEventRecordedEvent,
};

/** The contract of a stored or new event's type. */
export function contractOf(type: EventType): EventContract {
  const contract = EVENT_CONTRACTS[type];
  if (!contract) throw new TypeError(`No event contract for type ${String(type)}`);
  return contract as EventContract;
}
