import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { newSalt } from '../../../lib/crypto/identity-hash.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, isAppError } from '../../../lib/errors.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import type { PathwayCompletedPayload } from '../../../lib/events/contracts/pathway-completed.js';
import type { PathwayAwardStandingChangedPayload } from '../../../lib/events/contracts/pathway-award-standing-changed.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { PathwayAwardStore } from '../db/pathway-award-store.js';
import type { PathwayAwardRequestRow } from '../db/pathway-award-tables.js';
import type { RecipientIdentitiesService } from './recipient-identities.js';
import type { SignedCredentialStore } from '../db/signed-credential-store.js';
import { buildClrCredential } from '../domain/clr.js';
import { normaliseRecipient, subjectIdentification, type EvidenceRequest, type RecipientRequest } from '../domain/credential.js';
import type { IssuanceService } from './issuance.js';
import type { KeysService } from './keys.js';
import type { StatusListsService } from './status-lists.js';

/** @default 5 // attempts at an award that fails for a passing reason (a key being rotated, the database) before it is left FAILED */
const MAX_ATTEMPTS = 5;
/** @default 20 */
const BATCH = 20;

export interface PathwayAwardsDeps {
  db: Db;
  awards: PathwayAwardStore;
  issuance: IssuanceService;
  signed: SignedCredentialStore;
  statusLists: StatusListsService;
  keyRing: KeysService;
  documentLoader: DocumentLoader;
  /** The identity to award to when a completion names none (every member credential was imported). */
  recipientIdentities: Pick<RecipientIdentitiesService, 'awardIdentityOf'>;
  log: Logger;
}

/**
 * A completion named no identity and the recipient-identities projection knows none yet (it may be behind this
 * consumer, e.g. replaying after a deploy): thrown so the consumer retries the event with backoff and, failing that,
 * dead-letters it for an operator to retry, instead of recording an award that can never be issued.
 */
export class AwardRecipientUnknown extends Error {
  constructor(readonly recipientId: string) {
    super(`No identity of recipient ${recipientId} is known to this hub’s issuers yet (every member credential came from elsewhere)`);
    this.name = 'AwardRecipientUnknown';
  }
}

/** The idempotency key of an award: pathway version + recipient (+ milestone). */
export const awardKey = (p: Pick<PathwayCompletedPayload, 'pathwayId' | 'version' | 'recipientId' | 'milestoneNodeId'>) => `pathway:${p.pathwayId}:v${p.version}:${p.recipientId}:${p.milestoneNodeId ?? 'r'}`;

const REQUEST_FIELDS: Record<string, keyof RecipientRequest> = { EMAIL: 'email', DID: 'did', URL: 'url', PHONE: 'phone', STUDENT_ID: 'studentId' };

/** The award's evidence: one entry per satisfying credential, naming it (OB Evidence needs a narrative or a URL). */
function evidenceOf(p: PathwayCompletedPayload): EvidenceRequest[] {
  const members = p.members ?? [];
  const named = members.length > 0 ? members : p.credentialIds.map((credentialId) => ({ credentialId, nodeId: 'r', document: {} as Record<string, unknown> }));
  return named.map((member) => {
    const name = typeof member.document.name === 'string' ? member.document.name : `credential ${member.credentialId}`;
    return { kind: 'ASSESSMENT', name, narrative: `Satisfied step ${member.nodeId} of the pathway “${p.pathwayName ?? p.pathwayId}” with ${name} (credential ${member.credentialId}).` };
  });
}

/** The award's achievement aligns to each member achievement (OB AlignmentTargetType `ceterms:Credential`), once each. */
function memberAlignments(p: PathwayCompletedPayload): { targetName: string; targetUrl: string; targetType: string }[] {
  const byUrl = new Map<string, string>();
  for (const member of p.members ?? []) {
    const subject = member.document.credentialSubject as { achievement?: { id?: unknown; name?: unknown } } | undefined;
    const url = typeof subject?.achievement?.id === 'string' ? subject.achievement.id : member.achievementUrl;
    if (url && /^https?:\/\//.test(url)) byUrl.set(url, typeof subject?.achievement?.name === 'string' ? subject.achievement.name : url);
  }
  return [...byUrl].map(([targetUrl, targetName]) => ({ targetName, targetUrl, targetType: 'ceterms:Credential' }));
}

/**
 * Issues pathway awards: the award credential (through the issuance ledger, idempotent by the award's key) and, for a
 * completed pathway, a CLR 2.0 record of the credentials that satisfied it, both delivered to the wallet by
 * CredentialIssued. Each step is idempotent, so a crash anywhere is repaired by running the request again.
 */
export function createPathwayAwardsService(deps: PathwayAwardsDeps) {
  const { db, awards, issuance, log } = deps;

  async function issueClr(row: PathwayAwardRequestRow, p: PathwayCompletedPayload, award: { document: Record<string, unknown> }, recipient: RecipientRequest): Promise<void> {
    const issuer = await issuance.issuerOf(p.issuerId);
    const signer = await deps.keyRing.signerFor(issuer);
    const profile = await issuance.profileOf(issuer, signer.did);
    const [status] = await deps.statusLists.allocate(db, issuer.id, 'suspension', 1);
    const clrId = newId();
    const identity = normaliseRecipient(recipient);
    const awardAchievement = (award.document.credentialSubject as Record<string, unknown>).achievement as Record<string, unknown>;
    const name = `${p.pathwayName ?? String(awardAchievement.name)}: comprehensive learner record`;
    const unsigned = buildClrCredential({
      clrId,
      name,
      issuerProfile: profile,
      subject: subjectIdentification(identity, newSalt()),
      validFrom: new Date(p.completedAt),
      awardAchievement,
      members: (p.members ?? []).map((member) => member.document),
      precedes: p.precedes ?? [],
      credentialStatus: status!.entry,
    });
    const document = await signCredential({ credential: unsigned, signer, documentLoader: deps.documentLoader });
    await db.transaction(async (tx) => {
      // Another worker recorded the CLR first: this one's signature is dropped with its transaction.
      if (!(await awards.claimClr(tx, row.idempotencyKey, clrId))) return;
      await deps.signed.insert(tx, { id: clrId, issuerId: issuer.id, credentialUri: `urn:uuid:${clrId}`, statusPurpose: 'suspension', statusListId: status!.listId, statusListIndex: status!.index, document });
      await appendEvents(tx, [
        credentialIssuedEvent.build({
          credentialId: clrId,
          issuerId: issuer.id,
          achievementId: null,
          achievementVersion: null,
          name,
          issuedAt: new Date(p.completedAt).toISOString(),
          validUntil: null,
          recipient: { type: identity.type, value: identity.value },
          document,
        }),
      ]);
    });
  }

  async function issueOne(row: PathwayAwardRequestRow): Promise<void> {
    const p = row.payload;
    const field = row.recipient ? REQUEST_FIELDS[row.recipient.type] : undefined;
    if (!row.recipient || !field) {
      // Only a request recorded before requests carried their identity can get here.
      throw new AppError('BAD_USER_INPUT', 'No identity of the recipient is known to this hub’s issuers (every member credential came from elsewhere)', { field: 'recipient' });
    }
    const recipient: RecipientRequest = { [field]: row.recipient.value };
    // The pathway's own issuer issues its award, as one of its members with the ISSUER role would.
    const viewer: Viewer = { kind: 'ISSUER', issuerId: p.issuerId, role: 'ISSUER', apiKeyId: 'pathway-awards' };
    const award = await issuance.issueCredential(viewer, {
      achievementId: p.achievementId!,
      recipient,
      evidence: evidenceOf(p),
      // Fixed by the event, so a retry is the same request (same hash) and replays instead of conflicting.
      validFrom: new Date(p.completedAt),
      idempotencyKey: row.idempotencyKey,
      // A suspension entry, so the SUSPEND revocation policy can suspend the award and reinstate it.
      statusPurpose: 'suspension',
      extraAlignments: memberAlignments(p),
    });
    if (!row.awardCredentialId) await awards.setAwardCredential(row.idempotencyKey, award.id);
    if (p.milestoneNodeId) {
      await db.transaction((tx) => awards.claimClr(tx, row.idempotencyKey, award.id));
      return;
    }
    await issueClr(row, p, award, recipient);
  }

  return {
    /**
     * PathwayCompleted, in the consumer's transaction: a request to issue, once per award key, to the identity the
     * event names or else the one the recipient-identities projection chooses. A version 1 payload names no award.
     */
    async request(tx: Db, payload: PathwayCompletedPayload): Promise<void> {
      if (!payload.achievementId) return;
      const key = awardKey(payload);
      const recipient = payload.recipient ?? (await deps.recipientIdentities.awardIdentityOf(tx, payload.recipientId));
      if (recipient) await awards.request(tx, key, payload, recipient);
      else if (!(await awards.find(key, tx))) throw new AwardRecipientUnknown(payload.recipientId);
    },

    /** PathwayAwardStandingChanged, in the consumer's transaction: the standing the award credential must follow. */
    async recordStanding(tx: Db, payload: PathwayAwardStandingChangedPayload): Promise<void> {
      const key = awardKey({ ...payload, milestoneNodeId: payload.milestoneNodeId });
      if (!(await awards.setStanding(tx, key, payload.standing))) log.warn({ idempotencyKey: key }, 'standing of an award never requested here; ignored');
    },

    /** Suspends or reinstates award credentials whose standing changed; returns how many it brought in line. */
    async applyStandings(): Promise<number> {
      let applied = 0;
      for (const row of await awards.outOfLine(BATCH)) {
        const suspend = row.standing === 'SUSPENDED';
        const viewer: Viewer = { kind: 'ISSUER', issuerId: row.issuerId, role: 'ISSUER', apiKeyId: 'pathway-awards' };
        const request = { credentialId: row.awardCredentialId!, reason: suspend ? 'A credential this pathway award rests on was revoked, suspended or expired' : null };
        try {
          // Both are idempotent: a repeat after a crash changes nothing.
          await (suspend ? issuance.suspendCredential(viewer, request) : issuance.reinstateCredential(viewer, request));
          await awards.setCredentialSuspended(row.idempotencyKey, suspend);
          applied += 1;
        } catch (error) {
          log.error({ err: error, idempotencyKey: row.idempotencyKey }, 'pathway award standing not applied');
        }
      }
      return applied;
    },

    /** Issues what is pending; returns how many requests it finished. */
    async issuePending(): Promise<number> {
      let finished = 0;
      for (const row of await awards.pending(BATCH)) {
        try {
          await issueOne(row);
          finished += 1;
        } catch (error) {
          // A request the hub cannot fulfil (unknown identity, an archived award) stays FAILED with its reason; other failures are retried.
          const final = (isAppError(error) && error.code !== 'DATABASE_UNAVAILABLE') || row.attempts + 1 >= MAX_ATTEMPTS;
          const message = error instanceof Error ? error.message : String(error);
          await awards.fail(row.idempotencyKey, message, final);
          log.error({ err: error, idempotencyKey: row.idempotencyKey, final }, 'pathway award not issued');
        }
      }
      return finished;
    },
  };
}

export type PathwayAwardsService = ReturnType<typeof createPathwayAwardsService>;
