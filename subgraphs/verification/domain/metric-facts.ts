import { achievementCreatedEvent } from '../../../lib/events/contracts/achievement-created.js';
import { credentialDeliveredEvent } from '../../../lib/events/contracts/credential-delivered.js';
import { credentialImportedEvent } from '../../../lib/events/contracts/credential-imported.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import { credentialSharedEvent } from '../../../lib/events/contracts/credential-shared.js';
import { readCredentialStatusChange } from '../../../lib/events/contracts/credential-status-changed.js';
import { credentialVerifiedEvent, type CredentialVerifiedPayload } from '../../../lib/events/contracts/credential-verified.js';
import { pathwayCompletedEvent } from '../../../lib/events/contracts/pathway-completed.js';
import { pathwayStartedEvent } from '../../../lib/events/contracts/pathway-started.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { recipientSignedInEvent } from '../../../lib/events/contracts/recipient-signed-in.js';
import { shareViewedEvent } from '../../../lib/events/contracts/share-viewed.js';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import { isUuid } from '../../../lib/ids.js';

/**
 * Who asked for a verification, as the metrics group them. ANONYMOUS, EMPLOYER and VC_API are third parties (relying
 * parties); the holder, the issuer's own members and operators checking a credential are not.
 */
export const RELYING_PARTIES = ['ANONYMOUS', 'EMPLOYER', 'VC_API', 'HOLDER', 'ISSUER', 'OPERATOR'] as const;
export type RelyingParty = (typeof RELYING_PARTIES)[number];
export const THIRD_PARTIES: ReadonlySet<RelyingParty> = new Set(['ANONYMOUS', 'EMPLOYER', 'VC_API']);

/** The day-count kinds of `metric_daily` (docs/metrics.md). */
export type DailyKind =
  | 'ACHIEVEMENT_CREATED'
  | 'ISSUED'
  | 'REVOKED'
  | 'SUSPENDED'
  | 'REINSTATED'
  | 'DELIVERED'
  | 'CLAIMED'
  | 'SHARED'
  | 'SHARE_VIEWED'
  | 'VERIFIED';

/**
 * What one event changes in the program-metric projections. The projection store applies it; which credential,
 * issuer and achievement it touches is looked up there (a share or a status change names only the credential).
 */
export type MetricFact =
  | { kind: 'achievementCreated'; achievementId: string; issuerId: string; at: Date }
  | { kind: 'issued'; credentialId: string; issuerId: string; achievementId: string | null; at: Date }
  | { kind: 'statusChanged'; credentialId: string; status: 'REVOKED' | 'SUSPENDED' | 'REINSTATED'; at: Date }
  | { kind: 'delivered'; credentialId: string; recipientId: string; at: Date }
  /** The holder imported a copy of a credential this hub issued (its document's `urn:uuid:` id names the ledger row). */
  | { kind: 'imported'; credentialId: string; recipientId: string; at: Date }
  | { kind: 'signedIn'; recipientId: string; at: Date }
  | { kind: 'shared'; credentialIds: string[]; recipientId: string; shareId: string | null; at: Date }
  /**
   * Openings of a share by someone other than its holder (the holder's own views never become a fact), of the
   * credentials named (one issuer's part of the share), or of all the share's credentials when null (before version 3).
   */
  | { kind: 'shareViewed'; shareId: string; credentialIds: string[] | null; count: number; at: Date }
  | { kind: 'verified'; credentialId: string | null; issuerId: string | null; relyingParty: RelyingParty; verdict: string; at: Date }
  | { kind: 'recipientsMerged'; survivorId: string; mergedRecipientId: string }
  | { kind: 'pathwayProgressed'; pathwayId: string; issuerId: string; recipientId: string; startedAt: Date | null; completedAt: Date | null };

/** Every event type the projections read. */
export const METRIC_EVENT_TYPES: readonly EventType[] = [
  EventType.ACHIEVEMENT_CREATED,
  EventType.CREDENTIAL_ISSUED,
  EventType.CREDENTIAL_REVOKED,
  EventType.CREDENTIAL_SUSPENDED,
  EventType.CREDENTIAL_REINSTATED,
  EventType.CREDENTIAL_DELIVERED,
  EventType.CREDENTIAL_IMPORTED,
  EventType.RECIPIENT_SIGNED_IN,
  EventType.CREDENTIAL_SHARED,
  EventType.SHARE_VIEWED,
  EventType.CREDENTIAL_VERIFIED,
  EventType.RECIPIENT_MERGED,
  EventType.PATHWAY_STARTED,
  EventType.PATHWAY_COMPLETED,
];

/** A ledger id from a credential's own id (`urn:uuid:<ledger id>`), or null for anyone else's credential. */
export function ledgerIdOf(credentialId: string | null | undefined): string | null {
  const id = credentialId?.replace(/^urn:uuid:/i, '') ?? null;
  return id && isUuid(id) ? id.toLowerCase() : null;
}

export function relyingPartyOf(verifier: CredentialVerifiedPayload['verifier'], channel: CredentialVerifiedPayload['channel']): RelyingParty {
  switch (verifier.kind) {
    case 'RECIPIENT':
      return 'HOLDER';
    case 'ISSUER':
      return 'ISSUER';
    case 'ADMIN':
      return 'OPERATOR';
    default:
      // An employer's or an anonymous caller's software calling the W3C VC-API is counted as the VC-API.
      return channel === 'VC_API' ? 'VC_API' : verifier.kind;
  }
}

/** Version 1 ShareViewed events did not say whether the holder was the viewer; the rule they stood for. */
function viewedByHolder(payload: { byHolder?: boolean | undefined; viewer: { kind: string; id: string | null }; recipientId: string }): boolean {
  return payload.byHolder ?? (payload.viewer.kind === 'RECIPIENT' && payload.viewer.id === payload.recipientId);
}

/**
 * The fact an event stands for, or null when it changes no metric (the holder's own share views, a verification of
 * a credential that names no id, a payload that breaks its contract: skipped, as retrying could never succeed).
 */
export function metricFactOf(event: StoredEvent): MetricFact | null {
  const at = event.occurredAt;
  switch (event.type) {
    case EventType.ACHIEVEMENT_CREATED: {
      const read = achievementCreatedEvent.read(event.payload);
      return 'payload' in read ? { kind: 'achievementCreated', achievementId: read.payload.achievementId, issuerId: read.payload.issuerId, at } : null;
    }
    case EventType.CREDENTIAL_ISSUED: {
      const read = credentialIssuedEvent.read(event.payload);
      if (!('payload' in read)) return null;
      const { credentialId, issuerId, achievementId, issuedAt } = read.payload;
      return { kind: 'issued', credentialId, issuerId, achievementId: achievementId ?? null, at: new Date(issuedAt) };
    }
    case EventType.CREDENTIAL_REVOKED:
    case EventType.CREDENTIAL_SUSPENDED:
    case EventType.CREDENTIAL_REINSTATED: {
      const read = readCredentialStatusChange(event.payload);
      const status = event.type === EventType.CREDENTIAL_REVOKED ? 'REVOKED' : event.type === EventType.CREDENTIAL_SUSPENDED ? 'SUSPENDED' : 'REINSTATED';
      return 'payload' in read ? { kind: 'statusChanged', credentialId: read.payload.credentialId, status, at } : null;
    }
    case EventType.CREDENTIAL_DELIVERED: {
      const read = credentialDeliveredEvent.read(event.payload);
      return 'payload' in read ? { kind: 'delivered', credentialId: read.payload.credentialId, recipientId: read.payload.recipientId, at } : null;
    }
    case EventType.CREDENTIAL_IMPORTED: {
      const read = credentialImportedEvent.read(event.payload);
      if (!('payload' in read)) return null;
      const credentialId = ledgerIdOf(typeof read.payload.document?.id === 'string' ? read.payload.document.id : null);
      return credentialId ? { kind: 'imported', credentialId, recipientId: read.payload.recipientId, at } : null;
    }
    case EventType.RECIPIENT_SIGNED_IN: {
      const read = recipientSignedInEvent.read(event.payload);
      return 'payload' in read ? { kind: 'signedIn', recipientId: read.payload.recipientId, at } : null;
    }
    case EventType.CREDENTIAL_SHARED: {
      const read = credentialSharedEvent.read(event.payload);
      if (!('payload' in read)) return null;
      const shareId = read.payload.channel === 'SHARE_LINK' ? read.payload.shareId : null;
      return { kind: 'shared', credentialIds: read.payload.credentialIds, recipientId: read.payload.recipientId, shareId, at };
    }
    case EventType.SHARE_VIEWED: {
      const read = shareViewedEvent.read(event.payload);
      // A consented candidate view (no shareId) shows no fixed set of credentials: it is not a share view.
      if (!('payload' in read) || !read.payload.shareId || viewedByHolder(read.payload)) return null;
      const viewedAt = read.payload.lastViewedAt ? new Date(read.payload.lastViewedAt) : at;
      const { shareId, credentialIds, count } = read.payload;
      return { kind: 'shareViewed', shareId, credentialIds: credentialIds ?? null, count, at: viewedAt };
    }
    case EventType.CREDENTIAL_VERIFIED: {
      const read = credentialVerifiedEvent.read(event.payload);
      if (!('payload' in read)) return null;
      const { credentialId, verifier, channel, status } = read.payload;
      return { kind: 'verified', credentialId: ledgerIdOf(credentialId), issuerId: event.issuerId, relyingParty: relyingPartyOf(verifier, channel), verdict: status, at };
    }
    case EventType.RECIPIENT_MERGED: {
      const read = recipientMergedEvent.read(event.payload);
      return 'payload' in read ? { kind: 'recipientsMerged', survivorId: read.payload.survivorId, mergedRecipientId: read.payload.mergedRecipientId } : null;
    }
    case EventType.PATHWAY_STARTED: {
      const read = pathwayStartedEvent.read(event.payload);
      if (!('payload' in read)) return null;
      const { pathwayId, issuerId, recipientId, startedAt } = read.payload;
      return { kind: 'pathwayProgressed', pathwayId, issuerId, recipientId, startedAt: new Date(startedAt), completedAt: null };
    }
    case EventType.PATHWAY_COMPLETED: {
      const read = pathwayCompletedEvent.read(event.payload);
      // A milestone reached is not the pathway completed.
      if (!('payload' in read) || read.payload.milestoneNodeId) return null;
      const { pathwayId, issuerId, recipientId, completedAt } = read.payload;
      return { kind: 'pathwayProgressed', pathwayId, issuerId, recipientId, startedAt: null, completedAt: new Date(completedAt) };
    }
    default:
      return null;
  }
}

/** The UTC day of an instant, as `metric_daily.day` stores it. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The achievement key of `metric_daily` for facts that name none (a verification of a credential this hub did not issue). */
export const NO_ACHIEVEMENT = '00000000-0000-0000-0000-000000000000';
