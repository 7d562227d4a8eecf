import { createHash } from 'node:crypto';
import { viewerIdentity, type Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import { judgeCheck, type VerificationResult, type VerificationStatus } from '../../../lib/verify/types.js';
import type { CredentialVerifier, VerifyCredentialInput } from '../../../lib/verify/verify-credential.js';
import { verifyPresentation, type PresentationVerification } from '../../../lib/verify/verify-presentation.js';
import type { NewVerification, VerificationStore } from '../db/store.js';
import { credentialVerifiedEvent, type VerificationChannel } from '../../../lib/events/contracts/credential-verified.js';

/**
 * A wallet credential as the recipients subgraph names it: its id and the digest of what it holds. The document
 * itself is the verifier's own copy (see consumers/wallet-documents.ts), so it never crosses the gateway.
 */
export interface WalletCredential {
  id: string;
  documentDigest: string | null;
}

/** A cached verdict is re-checked at the latest after this long, even when nothing says it may have changed. */
const MAX_VERDICT_AGE_MS = 24 * 60 * 60_000;

export interface VerificationsServiceDeps {
  db: Db;
  store: VerificationStore;
  verifier: CredentialVerifier;
  /**
   * Brings the verifier's copies of wallet credentials up to the log's head: a credential imported a moment ago is in
   * the log (its event committed with it) but maybe not copied yet.
   */
  catchUpWalletDocuments?: () => Promise<void>;
}

/**
 * Whether a cached verdict still stands. Verdicts on the credentials of one status list all share its TTL; each is
 * re-checked a little early, by up to a fifth of its lifetime spread by its id, so they do not all expire together
 * and re-verify in one request.
 */
function isFresh(id: string, row: { checkedAt: Date; recheckAfter: Date | null }, now: number): boolean {
  const checkedAt = row.checkedAt.getTime();
  const expiresAt = Math.min(checkedAt + MAX_VERDICT_AGE_MS, row.recheckAfter?.getTime() ?? Infinity);
  const spread = createHash('sha256').update(id).digest().readUInt16BE(0) / 65_536;
  return now < expiresAt - (expiresAt - checkedAt) * 0.2 * spread;
}

/** The verdict on a wallet credential the verifier holds no copy of (its import predates copies, or it is unknown). */
function withoutCopy(id: string): VerificationResult {
  return {
    verified: false,
    status: 'STATUS_UNKNOWN',
    checks: [judgeCheck({ name: 'format', passed: false, message: `The verifier holds no copy of wallet credential ${id}; importing it again gives it one.` })],
    credential: null,
    issuer: null,
    checkedAt: new Date().toISOString(),
    recheckAfter: null,
  };
}

/** A verdict to record, and for wallet credentials the cache entry it refreshes. */
interface Recording {
  result: VerificationResult;
  verdict?: { key: string; documentHash: string };
}

/** A recorded verification's row, and the CredentialVerified event that points at it (its payload built only here). */
function credentialVerified(row: NewVerification & { id: string }, verifier: ReturnType<typeof viewerIdentity>, channel: VerificationChannel): NewEvent {
  return credentialVerifiedEvent.build(
    {
      verificationId: row.id,
      credentialId: row.credentialId,
      issuer: row.issuerRef,
      status: row.status as VerificationStatus,
      verified: row.verified,
      format: row.format,
      verifier,
      channel,
    },
    { issuerId: row.hubIssuerId },
  );
}

/**
 * Verifying credentials and presentations, and recording who asked and the verdict: every verification is a row
 * and a CredentialVerified event, committed together; wallet credentials' verdicts are cached.
 */
export function createVerificationsService(deps: VerificationsServiceDeps) {
  const { db, store, verifier } = deps;

  /**
   * Records verifications and their CredentialVerified events in one transaction (plus the cached verdicts), in a
   * fixed number of statements however many there are: an employer's query over 50 credentials is one write, not 50.
   * A page view (`counted: false`) is no party's verification: only the verdicts it refreshed are kept.
   */
  async function record(viewer: Viewer, recordings: readonly Recording[], channel: VerificationChannel, counted = true): Promise<string[]> {
    if (recordings.length === 0) return [];
    const asker = viewerIdentity(viewer);
    const rows = (counted ? recordings : []).map(({ result }) => ({
      id: newId(),
      credentialId: result.credential?.id ?? null,
      issuerRef: result.issuer?.id ?? null,
      hubIssuerId: result.issuer?.hubIssuerId ?? null,
      status: result.status,
      verified: result.verified,
      format: result.credential?.format ?? 'UNKNOWN',
      verifierKind: asker.kind,
      verifierId: asker.id,
      checkedAt: new Date(result.checkedAt),
    }));
    const verdicts = recordings.flatMap(({ result, verdict }) =>
      verdict
        ? [{ credentialKey: verdict.key, documentHash: verdict.documentHash, result: result as unknown as Record<string, unknown>, recheckAfter: result.recheckAfter ? new Date(result.recheckAfter) : null }]
        : [],
    );
    if (rows.length === 0 && verdicts.length === 0) return [];
    await db.transaction(async (tx) => {
      await store.recordVerifications(tx, rows);
      await store.saveVerdicts(tx, verdicts);
      await appendEvents(tx, rows.map((row) => credentialVerified(row, asker, channel)));
    });
    return rows.map((row) => row.id);
  }

  /**
   * The verifier's copies matching the digests asked for. A copy missing or older than the wallet's means its event
   * is not applied yet: the copies catch up once, and what is still missing has no verdict.
   */
  async function copiesOf(credentials: readonly WalletCredential[]) {
    const matching = async (wanted: readonly WalletCredential[]) => {
      const digests = new Map(wanted.map((credential) => [credential.id, credential.documentDigest]));
      const rows = await store.walletDocumentsByIds(wanted.map((credential) => credential.id));
      return new Map(rows.filter((row) => row.digest === digests.get(row.credentialId)).map((row) => [row.credentialId, row]));
    };
    const copies = await matching(credentials);
    const missing = credentials.filter((credential) => !copies.has(credential.id));
    if (missing.length === 0 || !deps.catchUpWalletDocuments) return copies;
    await deps.catchUpWalletDocuments();
    for (const [id, row] of await matching(missing)) copies.set(id, row);
    return copies;
  }

  return {
    /**
     * Judges what was handed in, and records who asked, through which door (GraphQL or the VC-API) and the verdict; a
     * page view (`counted: false`) is judged alike and not recorded, so it has no verification id.
     */
    async verifyCredential(
      viewer: Viewer,
      input: VerifyCredentialInput,
      channel: Extract<VerificationChannel, 'GRAPHQL' | 'VC_API'> = 'GRAPHQL',
      counted = true,
    ): Promise<{ result: VerificationResult; verificationId: string | null }> {
      const result = await verifier.verify(input);
      const [verificationId] = await record(viewer, [{ result }], channel, counted);
      return { result, verificationId: verificationId ?? null };
    },

    /** Verifies a presentation as a relying party (the VC-API's endpoint); each credential inside is recorded as verified, one after another. */
    async verifyPresentation(
      viewer: Viewer,
      presentation: unknown,
      options: { challenge: string | null; domain: string | null },
    ): Promise<PresentationVerification> {
      const outcome = await verifyPresentation(verifier, presentation, options);
      for (const result of outcome.credentials) await record(viewer, [{ result }], 'VC_API');
      return outcome;
    },

    /**
     * The verdicts on wallet credentials (the federated `Credential.verification`), for one batch: a cached verdict
     * is reused while the digest is the same and nothing may have changed it (status list TTL, validity window, a
     * status event for it, a day at most); the others are verified now from the verifier's copy, recorded (unless a
     * page view asked: `counted: false`), and cached.
     */
    async verdictsFor(viewer: Viewer, credentials: ReadonlyArray<WalletCredential>, counted = true): Promise<VerificationResult[]> {
      const cached = new Map((await store.verdictsByKeys(credentials.map((credential) => credential.id))).map((row) => [row.credentialKey, row]));
      const now = Date.now();
      const stale = credentials.filter(({ id, documentDigest }) => {
        const row = cached.get(id);
        return !(row && documentDigest && row.documentHash === documentDigest && isFresh(id, row, now));
      });
      const copies = await copiesOf(stale);
      const fresh: Recording[] = [];
      const verdicts = new Map(
        await Promise.all(
          stale.map(async ({ id, documentDigest }): Promise<[string, VerificationResult]> => {
            const copy = copies.get(id);
            if (!copy || !documentDigest) return [id, withoutCopy(id)];
            // A VC-JWT or signed OB 2.0 credential is verified as received: its decoded JSON carries no proof of its own.
            const verified = await verifier.verify(copy.encoded ? { jwt: copy.encoded } : { credential: copy.document });
            // The document is the Credential's own field already; the cached verdict need not carry a second copy.
            const result = { ...verified, credential: verified.credential && { ...verified.credential, document: null } };
            fresh.push({ result, verdict: { key: id, documentHash: documentDigest } });
            return [id, result];
          }),
        ),
      );
      // One write for the whole batch, after every verdict is in.
      await record(viewer, fresh, 'CREDENTIAL_FIELD', counted);
      return credentials.map(({ id }) => verdicts.get(id) ?? (cached.get(id)!.result as unknown as VerificationResult));
    },
  };
}

export type VerificationsService = ReturnType<typeof createVerificationsService>;
