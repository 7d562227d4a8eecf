import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { Db } from '../../../lib/db/client.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { NotFoundError } from '../../../lib/errors.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuerStore } from '../db/store.js';
import type { IssuedCredentialRow, IssuerRow } from '../db/tables.js';
import type { EvidenceRequest, RecipientRequest } from '../domain/credential.js';
import type { KeyRing } from './key-ring.js';
import { prepareIssuance, profileOf, publishedVersion, recordIssuance, replayOrConflict, unsignedCredentialFor } from './prepare.js';
import type { StatusLists } from './status-lists.js';

export interface IssueCredentialRequest {
  achievementId: string;
  recipient: RecipientRequest;
  evidence: EvidenceRequest[];
  validFrom?: Date | null;
  validUntil?: Date | null;
  idempotencyKey: string;
  /** The purpose of the credential's one status entry. @default 'revocation' */
  statusPurpose?: StatusPurpose | null;
}

export interface IssuanceDeps {
  db: Db;
  store: IssuanceStore;
  issuers: IssuerStore;
  keyRing: KeyRing;
  statusLists: StatusLists;
  documentLoader: DocumentLoader;
  publicBaseUrl: string;
  /** Brings the achievement projection up to date, so issuing right after publishing finds the new version. */
  catchUpAchievements: () => Promise<void>;
}

/** @default 5 // retries after losing a (rare) race for the same random status-list index */
const MAX_INDEX_ATTEMPTS = 5;

export async function issuerOf(deps: IssuanceDeps, issuerId: string): Promise<IssuerRow> {
  const [issuer] = await deps.issuers.findByIds([issuerId]);
  if (!issuer) throw new NotFoundError('Issuer', issuerId);
  return issuer;
}

/**
 * Issues one signed OpenBadgeCredential: checks the achievement's evidence rules, allocates a random index on the
 * issuer's status list of the requested purpose (revocation unless suspension is asked for), signs with the
 * issuer's active key, and records the credential and its CredentialIssued event in one transaction (the
 * recipients subgraph delivers it to the wallet from that event). Idempotent per issuer and key,
 * also under concurrent retries: the ledger's unique index decides, and the loser returns the winner's credential.
 */
export async function issueCredential(deps: IssuanceDeps, viewer: Viewer, request: IssueCredentialRequest): Promise<IssuedCredentialRow> {
  const achievement = await publishedVersion(deps, request.achievementId);
  assertIssuerAccess(viewer, achievement.issuerId, 'ISSUER');
  const prepared = prepareIssuance(achievement, request);
  const existing = await deps.store.findByIdempotencyKey(achievement.issuerId, prepared.idempotencyKey);
  if (existing) return replayOrConflict(existing, prepared.requestHash);

  const issuer = await issuerOf(deps, achievement.issuerId);
  const signer = await deps.keyRing.signerFor(issuer);
  const profile = await profileOf(deps, issuer, signer.did);
  for (let attempt = 1; ; attempt += 1) {
    const unsigned = await unsignedCredentialFor(deps, profile, prepared);
    const document = await signCredential({ credential: unsigned.credential, signer, documentLoader: deps.documentLoader });
    try {
      return await deps.db.transaction((tx) => recordIssuance(deps, tx, prepared, unsigned, document));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await deps.store.findByIdempotencyKey(issuer.id, prepared.idempotencyKey);
      if (winner) return replayOrConflict(winner, prepared.requestHash);
      if (attempt >= MAX_INDEX_ATTEMPTS) throw error;
    }
  }
}
