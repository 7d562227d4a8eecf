import { assertIssuerAccess, assertMayIssue } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { newSalt } from '../../../lib/crypto/identity-hash.js';
import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { Db } from '../../../lib/db/client.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { isUuid, newId } from '../../../lib/ids.js';
import type { AchievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import { optionalText } from '../../../lib/validation.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuerStore } from '../db/store.js';
import type { IssuedCredentialRow, IssuerRow, NewIssuedCredentialRow } from '../db/tables.js';
import { buildOpenBadgeCredential, subjectIdentification } from '../domain/credential.js';
import { prepareIssuance, recipientHashOf, replayOrConflict, type IssueCredentialRequest, type PreparedIssuance } from '../domain/issuance-request.js';
import { toObProfile } from '../domain/profile.js';
import type { StatusAction } from '../domain/status-change.js';
import type { IssuerLoaders } from '../loaders.js';
import { changeCredentialStatus } from './credential-status.js';
import type { KeysService } from './keys.js';
import type { StatusAllocation, StatusListsService } from './status-lists.js';

/** What the issuance services work with; the single and the bulk path share it. */
export interface IssuanceDeps {
  db: Db;
  store: IssuanceStore;
  issuers: IssuerStore;
  keyRing: KeysService;
  statusLists: StatusListsService;
  documentLoader: DocumentLoader;
  publicBaseUrl: string;
  /** Brings the achievement projection up to date, so issuing right after publishing finds the new version. */
  catchUpAchievements: () => Promise<void>;
}

/** A request's loaders, when the service serves a GraphQL request: the credentials it changes are refreshed in them. */
export interface RequestLoaders {
  loaders?: Pick<IssuerLoaders, 'issuedCredentialById'>;
}

export interface StatusChangeRequest {
  credentialId: string;
  reason?: string | null;
}

/** A credential built and given its status entry, waiting for its signature. */
export interface UnsignedIssuance {
  credentialId: string;
  status: StatusAllocation;
  credential: Record<string, unknown>;
}

/** A signed credential ready for the ledger, with the request it answers. */
export interface SignedIssuance {
  prepared: PreparedIssuance;
  unsigned: UnsignedIssuance;
  document: Record<string, unknown>;
}

/**
 * The CredentialIssued event: the recipients subgraph delivers the credential to the wallet from it (the only place
 * this payload is built).
 */
function issuedEvent(row: Pick<IssuedCredentialRow, 'id'>, prepared: PreparedIssuance, document: Record<string, unknown>): NewEvent {
  const { achievement, recipient } = prepared;
  return credentialIssuedEvent.build({
    credentialId: row.id,
    issuerId: achievement.issuerId,
    achievementId: achievement.achievementId,
    achievementVersion: achievement.version,
    name: achievement.achievement.name,
    issuedAt: prepared.validFrom.toISOString(),
    validUntil: prepared.validUntil?.toISOString() ?? null,
    recipient: { type: recipient.type, value: recipient.value, name: recipient.name },
    document,
  });
}


/** The achievement to embed, with the request's extra alignments after its own (the published version is unchanged). */
function withAlignments(achievement: Record<string, unknown>, extra: readonly Record<string, unknown>[]): Record<string, unknown> {
  if (extra.length === 0) return achievement;
  const own = Array.isArray(achievement.alignment) ? (achievement.alignment as Record<string, unknown>[]) : [];
  return { ...achievement, alignment: [...own, ...extra] };
}

/**
 * Issuance: credentials signed and recorded one at a time, their status changes, and the achievement versions they
 * are issued from (projected from the achievements subgraph's events).
 */
export function createIssuanceService({ loaders, ...deps }: IssuanceDeps & RequestLoaders) {
  const { db, store, keyRing, statusLists, documentLoader, publicBaseUrl } = deps;

  async function issuerOf(issuerId: string): Promise<IssuerRow> {
    const [issuer] = await deps.issuers.findByIds([issuerId]);
    if (!issuer) throw new NotFoundError('Issuer', issuerId);
    return issuer;
  }

  /**
   * The version new credentials of an achievement are issued from; an archived achievement issues none. Access comes
   * first: a viewer who may issue nothing is refused before an unknown id costs the catch-up of the projection.
   */
  async function publishedVersion(viewer: Viewer, achievementId: string): Promise<AchievementPublishedPayload> {
    assertMayIssue(viewer);
    if (!isUuid(achievementId)) throw new NotFoundError('Published achievement', achievementId);
    let version = await store.currentAchievementVersion(achievementId);
    if (!version) {
      await deps.catchUpAchievements();
      version = await store.currentAchievementVersion(achievementId);
    }
    if (!version && (await store.isArchived(achievementId))) {
      throw new AppError('CONFLICT', `achievement ${achievementId} is archived: it issues no new credentials`, { field: 'achievementId' });
    }
    if (!version) throw new NotFoundError('Published achievement', achievementId);
    return version.snapshot as unknown as AchievementPublishedPayload;
  }

  /** The issuer's OB Profile, with its parent organisation embedded when it has one on this hub. */
  async function profileOf(issuer: IssuerRow, did: string): Promise<Record<string, unknown>> {
    const [parent] = issuer.parentIssuerId ? await deps.issuers.findByIds([issuer.parentIssuerId]) : [];
    return toObProfile(issuer, did, parent ? { profile: parent, did: await keyRing.didFor(parent) } : null);
  }

  /** Builds the unsigned credential around its status entry (the profile comes from `profileOf`, once per issuer). */
  function unsignedCredentialFor(issuerProfile: Record<string, unknown>, prepared: PreparedIssuance, status: StatusAllocation): UnsignedIssuance {
    const credentialId = newId();
    const credential = buildOpenBadgeCredential({
      credentialId,
      issuerProfile,
      achievement: withAlignments(prepared.achievement.achievement as unknown as Record<string, unknown>, prepared.extraAlignments),
      subject: subjectIdentification(prepared.recipient, newSalt()),
      evidence: prepared.evidence,
      validFrom: prepared.validFrom,
      validUntil: prepared.validUntil,
      credentialStatus: status.entry,
      imageUrl: prepared.achievement.imageUrl ?? `${publicBaseUrl}/credentials/${credentialId}/badge.svg`,
    });
    return { credentialId, status, credential };
  }

  /** The ledger row of a signed credential. */
  function ledgerRowOf({ prepared, unsigned, document }: SignedIssuance): NewIssuedCredentialRow {
    const { achievement, recipient } = prepared;
    return {
      id: unsigned.credentialId,
      issuerId: achievement.issuerId,
      achievementId: achievement.achievementId,
      achievementVersion: achievement.version,
      idempotencyKey: prepared.idempotencyKey,
      requestHash: prepared.requestHash,
      recipientType: recipient.type,
      recipientHash: recipientHashOf(recipient),
      statusPurpose: unsigned.status.purpose,
      statusListId: unsigned.status.listId,
      statusListIndex: unsigned.status.index,
      document,
      issuedAt: prepared.validFrom,
      validUntil: prepared.validUntil,
    };
  }

  /** Records a signed credential and its CredentialIssued event, inside the caller's transaction. */
  async function recordIssuance(tx: Db, issuance: SignedIssuance): Promise<IssuedCredentialRow> {
    const row = await store.insertCredential(tx, ledgerRowOf(issuance));
    await appendEvents(tx, [issuedEvent(row, issuance.prepared, issuance.document)]);
    return row;
  }

  /**
   * Records many signed credentials with one statement, inside the caller's transaction, and returns the ids of
   * those recorded with their CredentialIssued events, for the caller to append with its own. One whose idempotency
   * key is recorded already is left out (another worker issued it): the caller looks up that one's credential.
   */
  async function recordIssuances(tx: Db, issuances: readonly SignedIssuance[]): Promise<{ recorded: Map<string, string>; events: NewEvent[] }> {
    const inserted = await store.insertCredentialsUnlessIssued(tx, issuances.map(ledgerRowOf));
    const recorded = new Map(inserted.map((row) => [row.idempotencyKey, row.id]));
    const events = issuances
      .filter((issuance) => recorded.get(issuance.prepared.idempotencyKey) === issuance.unsigned.credentialId)
      .map((issuance) => issuedEvent({ id: issuance.unsigned.credentialId }, issuance.prepared, issuance.document));
    return { recorded, events };
  }

  /**
   * The sequence of one issuance: the achievement's published version, access, every check that needs no database
   * (domain/issuance-request.ts), a replay by idempotency key, the issuer's signer and profile, then status index,
   * signature and record. Idempotent per issuer and key, also under concurrent retries: the ledger's unique index
   * decides, and the loser returns the winner's credential.
   */
  async function issue(viewer: Viewer, request: IssueCredentialRequest): Promise<IssuedCredentialRow> {
    const achievement = await publishedVersion(viewer, request.achievementId);
    assertIssuerAccess(viewer, achievement.issuerId, 'ISSUER');
    const prepared = prepareIssuance(achievement, request);
    const existing = await store.findByIdempotencyKey(achievement.issuerId, prepared.idempotencyKey);
    if (existing) return replayOrConflict(existing, prepared.requestHash);

    const issuer = await issuerOf(achievement.issuerId);
    const signer = await keyRing.signerFor(issuer);
    const profile = await profileOf(issuer, signer.did);
    const [status] = await statusLists.allocate(db, issuer.id, prepared.statusPurpose, 1);
    const unsigned = unsignedCredentialFor(profile, prepared, status!);
    const document = await signCredential({ credential: unsigned.credential, signer, documentLoader });
    try {
      return await db.transaction((tx) => recordIssuance(tx, { prepared, unsigned, document }));
    } catch (error) {
      // A lost race for the idempotency key: the winner's credential is the answer. (The status index cannot
      // collide: every allocation gets indexes of its own.)
      if (!isUniqueViolation(error)) throw error;
      const winner = await store.findByIdempotencyKey(issuer.id, prepared.idempotencyKey);
      if (!winner) throw error;
      return replayOrConflict(winner, prepared.requestHash);
    }
  }

  /**
   * One status change: the credential's bit in its status list, the ledger row (status, reason, time) and the event
   * change in one transaction. A repeat changes nothing and returns the credential as it is; what the credential's
   * entry rules out is refused (domain/status-change.ts).
   */
  async function changeStatus(viewer: Viewer, input: StatusChangeRequest, action: StatusAction): Promise<IssuedCredentialRow> {
    const existing = await store.findCredential(input.credentialId);
    if (!existing) throw new NotFoundError('Credential', input.credentialId);
    assertIssuerAccess(viewer, existing.issuerId, 'ISSUER');
    const reason = optionalText(input.reason, 'reason', 1_000);
    const records = { lock: store.lockCredential, updateStatus: store.updateStatus };
    return refreshed(await changeCredentialStatus({ db, statusLists, records }, existing, action, reason));
  }

  /** The request's loader shows the credential as the use case left it. */
  function refreshed(row: IssuedCredentialRow): IssuedCredentialRow {
    loaders?.issuedCredentialById.clear(row.id).prime(row.id, row);
    return row;
  }

  return {
    issuerOf,
    publishedVersion,
    profileOf,

    /**
     * Issues one signed OpenBadgeCredential: checks the achievement's evidence rules, allocates an index on
     * the issuer's status list of the requested purpose (revocation unless suspension is asked for), signs with the
     * issuer's active key, and records the credential and its CredentialIssued event in one transaction.
     */
    async issueCredential(viewer: Viewer, request: IssueCredentialRequest): Promise<IssuedCredentialRow> {
      const row = await issue(viewer, request);
      loaders?.issuedCredentialById.prime(row.id, row);
      return row;
    },

    /** Revokes for good: sets the bit of the credential's status entry (revocation or suspension) and never clears it. */
    revokeCredential: (viewer: Viewer, input: StatusChangeRequest) => changeStatus(viewer, input, 'revoke'),

    /** Suspends a credential issued with a suspension entry: its bit is set until it is reinstated. */
    suspendCredential: (viewer: Viewer, input: StatusChangeRequest) => changeStatus(viewer, input, 'suspend'),

    /** Reinstates a suspended credential: its bit is cleared. A revoked credential is never reinstated. */
    reinstateCredential: (viewer: Viewer, input: StatusChangeRequest) => changeStatus(viewer, input, 'reinstate'),

    /** The steps of `issue` that the bulk issuance service runs on a chunk of rows at once. */
    unsignedCredentialFor,
    recordIssuances,

    /** AchievementPublished, projected inside the consumer's transaction: a version new credentials may be issued from. */
    async recordAchievementVersion(tx: Db, payload: AchievementPublishedPayload, publishedAt: Date): Promise<void> {
      await store.insertAchievementVersion(tx, {
        achievementId: payload.achievementId,
        version: payload.version,
        issuerId: payload.issuerId,
        snapshot: payload as unknown as Record<string, unknown>,
        publishedAt,
      });
    },

    /** AchievementArchived, projected inside the consumer's transaction: the achievement issues nothing from now on. */
    async archiveAchievement(tx: Db, achievementId: string, archivedAt: Date): Promise<void> {
      await store.archiveAchievement(tx, achievementId, archivedAt);
    },
  };
}

export type IssuanceService = ReturnType<typeof createIssuanceService>;
