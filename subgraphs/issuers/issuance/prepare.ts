import { createHash } from 'node:crypto';
import { newSalt } from '../../../lib/crypto/identity-hash.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { EventType } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { AchievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import { addDuration } from '../../../lib/ob/duration.js';
import { checkEvidence } from '../../../lib/ob/evidence-rules.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import { requiredText } from '../../../lib/validation.js';
import type { IssuedCredentialRow, IssuerRow } from '../db/tables.js';
import {
  buildOpenBadgeCredential,
  normaliseRecipient,
  subjectIdentification,
  toObEvidence,
  type RecipientIdentity,
} from '../domain/credential.js';
import { toObProfile } from '../domain/profile.js';
import type { IssuanceDeps, IssueCredentialRequest } from './issue-credential.js';
import type { StatusAllocation } from './status-lists.js';

/** A request that passed every check: all that is left is to allocate a status index, sign and record. */
export interface PreparedIssuance {
  achievement: AchievementPublishedPayload;
  idempotencyKey: string;
  requestHash: string;
  recipient: RecipientIdentity;
  evidence: Record<string, unknown>[];
  validFrom: Date;
  validUntil: Date | null;
  /** The purpose of the credential's one status entry: only a suspension entry can be suspended and reinstated. */
  statusPurpose: StatusPurpose;
}

export interface UnsignedIssuance {
  credentialId: string;
  status: StatusAllocation;
  credential: Record<string, unknown>;
}

export async function publishedVersion(deps: IssuanceDeps, achievementId: string): Promise<AchievementPublishedPayload> {
  let version = await deps.store.currentAchievementVersion(achievementId);
  if (!version) {
    await deps.catchUpAchievements();
    version = await deps.store.currentAchievementVersion(achievementId);
  }
  if (!version && (await deps.store.isArchived(achievementId))) {
    throw new AppError('CONFLICT', `achievement ${achievementId} is archived: it issues no new credentials`, { field: 'achievementId' });
  }
  if (!version) throw new NotFoundError('Published achievement', achievementId);
  return version.snapshot as unknown as AchievementPublishedPayload;
}

/** A replay with the same key returns the original; a different request under the same key is a mistake. */
export function replayOrConflict(existing: IssuedCredentialRow, requestHash: string): IssuedCredentialRow {
  if (existing.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'idempotencyKey was already used for a different credential request', {
      field: 'idempotencyKey',
      credentialId: existing.id,
    });
  }
  return existing;
}

/** Every check that needs no database: identity, evidence rules, dates. Throws BAD_USER_INPUT naming the field. */
export function prepareIssuance(achievement: AchievementPublishedPayload, request: IssueCredentialRequest, now = new Date()): PreparedIssuance {
  const idempotencyKey = requiredText(request.idempotencyKey, 'idempotencyKey', 200);
  const recipient = normaliseRecipient(request.recipient);
  checkEvidence({ rules: achievement.evidenceRules, competencyBased: achievement.competencyBased }, request.evidence);
  const evidence = toObEvidence(request.evidence);
  const validFrom = request.validFrom ?? now;
  const validUntil = request.validUntil ?? (achievement.validity ? addDuration(validFrom, achievement.validity) : null);
  if (validUntil && validUntil <= validFrom) throw new AppError('BAD_USER_INPUT', 'validUntil must be after validFrom', { field: 'validUntil' });
  const statusPurpose = request.statusPurpose ?? 'revocation';
  if (statusPurpose !== 'revocation' && statusPurpose !== 'suspension') {
    throw new AppError('BAD_USER_INPUT', 'statusPurpose must be revocation or suspension', { field: 'statusPurpose' });
  }
  const hashed = {
    achievementId: achievement.achievementId,
    achievementVersion: achievement.version,
    recipient,
    evidence,
    validFrom: request.validFrom?.toISOString() ?? null,
    validUntil: request.validUntil?.toISOString() ?? null,
    statusPurpose,
  };
  const requestHash = createHash('sha256').update(JSON.stringify(hashed)).digest('base64url');
  return { achievement, idempotencyKey, requestHash, recipient, evidence, validFrom, validUntil, statusPurpose };
}

/** The issuer's OB Profile, with its parent organisation embedded when it has one on this hub. */
export async function profileOf(deps: IssuanceDeps, issuer: IssuerRow, did: string): Promise<Record<string, unknown>> {
  const [parent] = issuer.parentIssuerId ? await deps.issuers.findByIds([issuer.parentIssuerId]) : [];
  return toObProfile(issuer, did, parent ? { profile: parent, did: await deps.keyRing.didFor(parent) } : null);
}

/**
 * Allocates an index on a status list of the requested purpose and builds the unsigned credential (the profile
 * comes from `profileOf`, once per issuer).
 */
export async function unsignedCredentialFor(
  deps: IssuanceDeps,
  issuerProfile: Record<string, unknown>,
  prepared: PreparedIssuance,
): Promise<UnsignedIssuance> {
  const credentialId = newId();
  const status = await deps.statusLists.allocate(deps.db, prepared.achievement.issuerId, prepared.statusPurpose);
  const credential = buildOpenBadgeCredential({
    credentialId,
    issuerProfile,
    achievement: prepared.achievement.achievement as unknown as Record<string, unknown>,
    subject: subjectIdentification(prepared.recipient, newSalt()),
    evidence: prepared.evidence,
    validFrom: prepared.validFrom,
    validUntil: prepared.validUntil,
    credentialStatus: status.entry,
    imageUrl: prepared.achievement.imageUrl ?? `${deps.publicBaseUrl}/credentials/${credentialId}/badge.svg`,
  });
  return { credentialId, status, credential };
}

/** Records a signed credential and its CredentialIssued event, inside the caller's transaction. */
export async function recordIssuance(
  deps: IssuanceDeps,
  tx: Db,
  prepared: PreparedIssuance,
  unsigned: UnsignedIssuance,
  document: Record<string, unknown>,
): Promise<IssuedCredentialRow> {
  const { achievement, recipient } = prepared;
  const row = await deps.store.insertCredential(tx, {
    id: unsigned.credentialId,
    issuerId: achievement.issuerId,
    achievementId: achievement.achievementId,
    achievementVersion: achievement.version,
    idempotencyKey: prepared.idempotencyKey,
    requestHash: prepared.requestHash,
    recipientType: recipient.type,
    recipientHash: createHash('sha256').update(`${recipient.type}:${recipient.value}`).digest('hex'),
    statusPurpose: unsigned.status.purpose,
    statusListId: unsigned.status.listId,
    statusListIndex: unsigned.status.index,
    document,
    issuedAt: prepared.validFrom,
    validUntil: prepared.validUntil,
  });
  await appendEvents(tx, [
    {
      type: EventType.CREDENTIAL_ISSUED,
      issuerId: achievement.issuerId,
      payload: {
        credentialId: row.id,
        issuerId: achievement.issuerId,
        achievementId: achievement.achievementId,
        achievementVersion: achievement.version,
        name: achievement.achievement.name,
        issuedAt: prepared.validFrom.toISOString(),
        validUntil: prepared.validUntil?.toISOString() ?? null,
        recipient: { type: recipient.type, value: recipient.value, name: recipient.name },
        document,
      },
    },
  ]);
  return row;
}
