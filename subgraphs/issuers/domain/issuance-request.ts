import { createHash } from 'node:crypto';
import { AppError, isAppError } from '../../../lib/errors.js';
import type { AchievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import { addDuration } from '../../../lib/ob/duration.js';
import { checkEvidence } from '../../../lib/ob/evidence-rules.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import { requiredText } from '../../../lib/validation.js';
import { normaliseRecipient, toObEvidence, toObEvidenceEntry, type EvidenceRequest, type RecipientIdentity, type RecipientRequest } from './credential.js';

export interface IssueCredentialRequest {
  achievementId: string;
  recipient: RecipientRequest;
  evidence: EvidenceRequest[];
  validFrom?: Date | null;
  validUntil?: Date | null;
  idempotencyKey: string;
  /** The purpose of the credential's one status entry. @default 'revocation' */
  statusPurpose?: StatusPurpose | null;
  /**
   * OB Alignments added to the embedded achievement for this credential only (not a GraphQL input): a pathway award
   * aligns to the member achievements that earned it (`targetType: ceterms:Credential`).
   */
  extraAlignments?: readonly ObAlignmentEntry[] | null;
}

export interface ObAlignmentEntry {
  targetName: string;
  targetUrl: string;
  targetType: string;
}

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
  /** OB Alignment entries appended to the embedded achievement's `alignment`. */
  extraAlignments: Record<string, unknown>[];
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
  const extraAlignments = (request.extraAlignments ?? []).map((alignment) => ({ type: ['Alignment'], ...alignment }));
  const hashed = {
    ...(extraAlignments.length > 0 ? { extraAlignments } : {}),
    achievementId: achievement.achievementId,
    achievementVersion: achievement.version,
    recipient,
    evidence,
    validFrom: request.validFrom?.toISOString() ?? null,
    validUntil: request.validUntil?.toISOString() ?? null,
    statusPurpose,
  };
  const requestHash = createHash('sha256').update(JSON.stringify(hashed)).digest('base64url');
  return { achievement, idempotencyKey, requestHash, recipient, evidence, validFrom, validUntil, statusPurpose, extraAlignments };
}

/**
 * Every problem of a request, not only the first: each check runs on its own, so a bulk row reports its bad
 * recipient, each bad evidence entry and its dates together. Empty when `prepareIssuance` would succeed.
 */
export function issuanceProblems(achievement: AchievementPublishedPayload, request: IssueCredentialRequest, now = new Date()): AppError[] {
  const problems: AppError[] = [];
  const attempt = (check: () => unknown) => {
    try {
      check();
    } catch (error) {
      if (!isAppError(error)) throw error;
      problems.push(error);
    }
  };
  attempt(() => requiredText(request.idempotencyKey, 'idempotencyKey', 200));
  attempt(() => normaliseRecipient(request.recipient));
  attempt(() => checkEvidence({ rules: achievement.evidenceRules, competencyBased: achievement.competencyBased }, request.evidence));
  request.evidence.forEach((item, index) => attempt(() => toObEvidenceEntry(item, index)));
  if (problems.length === 0) attempt(() => prepareIssuance(achievement, request, now));
  return problems;
}

/** A replay with the same key returns the original; a different request under the same key is a mistake. */
export function replayOrConflict<Credential extends { id: string; requestHash: string }>(existing: Credential, requestHash: string): Credential {
  if (existing.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'idempotencyKey was already used for a different credential request', {
      field: 'idempotencyKey',
      credentialId: existing.id,
    });
  }
  return existing;
}

/** What the ledger keeps of a recipient: a hash of the normalised identity, never the identity itself. */
export function recipientHashOf(recipient: Pick<RecipientIdentity, 'type' | 'value'>): string {
  return createHash('sha256').update(`${recipient.type}:${recipient.value}`).digest('hex');
}
