import { createHash } from 'node:crypto';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { newSalt } from '../../../lib/crypto/identity-hash.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { Db } from '../../../lib/db/client.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { EventType } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { AchievementPublishedPayload } from '../../../lib/ob/achievement-published.js';
import { addDuration } from '../../../lib/ob/duration.js';
import { checkEvidence } from '../../../lib/ob/evidence-rules.js';
import { requiredText } from '../../../lib/validation.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuerStore } from '../db/store.js';
import type { IssuedCredentialRow } from '../db/tables.js';
import {
  buildOpenBadgeCredential,
  normaliseRecipient,
  subjectIdentification,
  toObEvidence,
  type EvidenceRequest,
  type RecipientRequest,
} from '../domain/credential.js';
import { toObProfile } from '../domain/profile.js';
import type { KeyRing } from './key-ring.js';
import type { StatusLists } from './status-lists.js';

export interface IssueCredentialRequest {
  achievementId: string;
  recipient: RecipientRequest;
  evidence: EvidenceRequest[];
  validFrom?: Date | null;
  validUntil?: Date | null;
  idempotencyKey: string;
}

export interface IssuanceDeps {
  db: Db;
  store: IssuanceStore;
  issuers: IssuerStore;
  keyRing: KeyRing;
  statusLists: StatusLists;
  documentLoader: DocumentLoader;
  /** Brings the achievement projection up to date, so issuing right after publishing finds the new version. */
  catchUpAchievements: () => Promise<void>;
}

/** @default 5 // retries after losing a (rare) race for the same random status-list index */
const MAX_INDEX_ATTEMPTS = 5;

async function publishedVersion(deps: IssuanceDeps, achievementId: string): Promise<AchievementPublishedPayload> {
  let version = await deps.store.currentAchievementVersion(achievementId);
  if (!version) {
    await deps.catchUpAchievements();
    version = await deps.store.currentAchievementVersion(achievementId);
  }
  if (!version) throw new NotFoundError('Published achievement', achievementId);
  return version.snapshot as unknown as AchievementPublishedPayload;
}

function requestHashOf(request: IssueCredentialRequest, recipient: object, achievement: AchievementPublishedPayload): string {
  const normalised = { ...request, recipient, achievementVersion: achievement.version };
  return createHash('sha256').update(JSON.stringify(normalised)).digest('base64url');
}

/** A replay with the same key returns the original; a different request under the same key is a mistake. */
function replayOrConflict(existing: IssuedCredentialRow, requestHash: string): IssuedCredentialRow {
  if (existing.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'idempotencyKey was already used for a different credential request', {
      field: 'idempotencyKey',
      credentialId: existing.id,
    });
  }
  return existing;
}

/**
 * Issues one signed OpenBadgeCredential: checks the achievement's evidence rules, allocates a random revocation
 * index, signs with the issuer's active key, and records the credential and its CredentialIssued event in one
 * transaction (the recipients subgraph delivers it to the wallet from that event). Idempotent per issuer and key,
 * also under concurrent retries: the ledger's unique index decides, and the loser returns the winner's credential.
 */
export async function issueCredential(deps: IssuanceDeps, viewer: Viewer, request: IssueCredentialRequest): Promise<IssuedCredentialRow> {
  const achievement = await publishedVersion(deps, request.achievementId);
  assertIssuerAccess(viewer, achievement.issuerId, 'ISSUER');
  const idempotencyKey = requiredText(request.idempotencyKey, 'idempotencyKey', 200);
  const recipient = normaliseRecipient(request.recipient);
  const requestHash = requestHashOf({ ...request, idempotencyKey }, recipient, achievement);
  const existing = await deps.store.findByIdempotencyKey(achievement.issuerId, idempotencyKey);
  if (existing) return replayOrConflict(existing, requestHash);

  checkEvidence({ rules: achievement.evidenceRules, competencyBased: achievement.competencyBased }, request.evidence);
  const evidence = toObEvidence(request.evidence);
  const validFrom = request.validFrom ?? new Date();
  const validUntil = request.validUntil ?? (achievement.validity ? addDuration(validFrom, achievement.validity) : null);
  if (validUntil && validUntil <= validFrom) {
    throw new AppError('BAD_USER_INPUT', 'validUntil must be after validFrom', { field: 'validUntil' });
  }
  const [issuer] = await deps.issuers.findByIds([achievement.issuerId]);
  if (!issuer) throw new NotFoundError('Issuer', achievement.issuerId);
  const signer = await deps.keyRing.signerFor(issuer);
  const salt = newSalt();

  for (let attempt = 1; ; attempt += 1) {
    const credentialId = newId();
    const status = await deps.statusLists.allocate(deps.db, issuer.id);
    const unsigned = buildOpenBadgeCredential({
      credentialId,
      issuerProfile: toObProfile(issuer, signer.did),
      achievement: achievement.achievement as unknown as Record<string, unknown>,
      subject: subjectIdentification(recipient, salt),
      evidence,
      validFrom,
      validUntil,
      credentialStatus: status.entry,
    });
    const document = await signCredential({ credential: unsigned, signer, documentLoader: deps.documentLoader });
    try {
      return await deps.db.transaction(async (tx) => {
        const row = await deps.store.insertCredential(tx, {
          id: credentialId,
          issuerId: issuer.id,
          achievementId: achievement.achievementId,
          achievementVersion: achievement.version,
          idempotencyKey,
          requestHash,
          recipientType: recipient.type,
          recipientHash: createHash('sha256').update(`${recipient.type}:${recipient.value}`).digest('hex'),
          revocationListId: status.listId,
          revocationIndex: status.index,
          document,
          issuedAt: validFrom,
          validUntil,
        });
        await appendEvents(tx, [
          {
            type: EventType.CREDENTIAL_ISSUED,
            issuerId: issuer.id,
            payload: {
              credentialId,
              issuerId: issuer.id,
              achievementId: achievement.achievementId,
              achievementVersion: achievement.version,
              name: achievement.achievement.name,
              issuedAt: validFrom.toISOString(),
              validUntil: validUntil?.toISOString() ?? null,
              recipient: { type: recipient.type, value: recipient.value, name: recipient.name },
              document,
            },
          },
        ]);
        return row;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await deps.store.findByIdempotencyKey(issuer.id, idempotencyKey);
      if (winner) return replayOrConflict(winner, requestHash);
      if (attempt >= MAX_INDEX_ATTEMPTS) throw error;
    }
  }
}
