/**
 * Every event Cairn publishes (contract: dashboards filter on these names).
 * Keys are the GraphQL enum values; values are what the `events.type` column stores.
 */
export enum EventType {
  ISSUER_CREATED = 'IssuerCreated',
  /** An issuer's DIDs and public keys after a creation or rotation (payload: issuerId, name, dids[{ did, document }]). */
  ISSUER_KEYS_CHANGED = 'IssuerKeysChanged',
  ACHIEVEMENT_CREATED = 'AchievementCreated',
  ACHIEVEMENT_PUBLISHED = 'AchievementPublished',
  ACHIEVEMENT_ARCHIVED = 'AchievementArchived',
  CREDENTIAL_ISSUED = 'CredentialIssued',
  CREDENTIAL_REVOKED = 'CredentialRevoked',
  CREDENTIAL_SUSPENDED = 'CredentialSuspended',
  CREDENTIAL_REINSTATED = 'CredentialReinstated',
  ISSUANCE_JOB_PROGRESSED = 'IssuanceJobProgressed',
  RECIPIENT_CREATED = 'RecipientCreated',
  /** A recipient proved (or an operator added) an identity (payload: recipientId, identity { type, value }). */
  RECIPIENT_IDENTITY_ADDED = 'RecipientIdentityAdded',
  /**
   * Two recipient records turned out to be one person: every identity and credential of `mergedRecipientId` now
   * belongs to `survivorId`, and the merged id no longer exists. Subgraphs keyed by recipient id re-point their rows
   * (payload: survivorId, mergedRecipientId, identities [{ type, value }], credentialIds).
   */
  RECIPIENT_MERGED = 'RecipientMerged',
  CREDENTIAL_DELIVERED = 'CredentialDelivered',
  CREDENTIAL_IMPORTED = 'CredentialImported',
  /**
   * The holder of a credential this hub issued chose who may read it (payload: credentialId, recipientId, visibility
   * PRIVATE | SHARED_ONLY | PUBLIC); the issuers service serves its hosted copy accordingly. Delivered credentials
   * start PRIVATE without this event.
   */
  CREDENTIAL_VISIBILITY_CHANGED = 'CredentialVisibilityChanged',
  /** A recipient shared credentials (payload: channel SHARE_LINK with shareId, audience, employerOrgId; or LINKEDIN; credentialIds). */
  CREDENTIAL_SHARED = 'CredentialShared',
  /** A share link stopped working at its owner's request (payload: shareId, recipientId). */
  SHARE_REVOKED = 'ShareRevoked',
  /**
   * Openings of a share or a consented candidate view, counted (payload: shareId or consentId, via, viewer { kind, id },
   * count, firstViewedAt, lastViewedAt within one UTC day, byHolder, batchId).
   */
  SHARE_VIEWED = 'ShareViewed',
  /** payload: consentId, recipientId, employerOrgId, scope, replacedConsentIds. */
  CONSENT_GRANTED = 'ConsentGranted',
  /** payload: recipientId, employerOrgId, consentIds. */
  CONSENT_REVOKED = 'ConsentRevoked',
  CREDENTIAL_VERIFIED = 'CredentialVerified',
  METRICS_UPDATED = 'MetricsUpdated',
  PATHWAY_COMPLETED = 'PathwayCompleted',
  /**
   * A pathway award's standing changed under the pathway's revocation policy: FLAGGED or SUSPENDED when a credential it
   * rests on lapsed, ACTIVE again when the requirement is met again (payload: pathwayId, version, issuerId, recipientId,
   * milestoneNodeId, standing). The issuers subgraph suspends or reinstates a SUSPENDED award's credential.
   */
  PATHWAY_AWARD_STANDING_CHANGED = 'PathwayAwardStandingChanged',
  /**
   * A credential moved a recipient who follows a pathway forward (payload: pathwayId, version, issuerId, recipientId,
   * percent, previousPercent, next): what a wallet, or an e-mail, tells the follower.
   */
  PATHWAY_PROGRESSED = 'PathwayProgressed',
  /**
   * A recipient started a published pathway version: they hold one of its member credentials, following it or not
   * (payload: pathwayId, version, issuerId, recipientId, startedAt = the earning of their first such credential).
   * Once per recipient and version; what the completion rate and the median time to complete count from.
   */
  PATHWAY_STARTED = 'PathwayStarted',
  /** A recipient signed in (e-mail code, or the OB API's OAuth sign-in): what claims the credentials delivered to them (payload: recipientId, method). */
  RECIPIENT_SIGNED_IN = 'RecipientSignedIn',
  /** An issuer member or a consented employer recorded a step in a recipient's career (payload: careerEventId, recipientId, type, occurredAt, recordedBy). */
  CAREER_EVENT_RECORDED = 'CareerEventRecorded',
}

/** What a service hands to the outbox; the cursor and time are assigned by the database. */
export interface NewEvent {
  type: EventType;
  issuerId?: string | null;
  recipientId?: string | null;
  payload: Record<string, unknown>;
}

/** An event as readers see it: `cursor` is its position in the one global, gap-tolerant, commit-ordered log. */
export interface StoredEvent {
  cursor: number;
  type: EventType;
  occurredAt: Date;
  issuerId: string | null;
  recipientId: string | null;
  payload: Record<string, unknown>;
}

/** Readers LISTEN here: the sequencer numbered new events (the payload is the newest cursor; NOTIFY caps payloads at 8000 bytes). */
export const EVENTS_CHANNEL = 'cairn_events';

/** Sequencers LISTEN here: a transaction that appended events committed, and its rows wait for their cursors. */
export const EVENTS_APPENDED_CHANNEL = 'cairn_events_appended';
