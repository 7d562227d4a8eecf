import { createHash } from 'node:crypto';
import { viewerIdentity, type Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { VerificationResult, VerificationStatus } from '../../../lib/verify/types.js';
import type { CredentialVerifier, VerifyCredentialInput } from '../../../lib/verify/verify-credential.js';
import { verifyPresentation, type PresentationVerification } from '../../../lib/verify/verify-presentation.js';
import type { NewVerification, VerificationStore } from '../db/store.js';
import { credentialVerifiedEvent } from '../../../lib/events/contracts/credential-verified.js';

/** A wallet credential as the recipients subgraph hands it over: the JSON, and the JWS exactly as received when it came as one. */
export interface WalletCredential {
  id: string;
  document: Record<string, unknown>;
  encoded?: string | null;
}

/** A cached verdict is re-checked at the latest after this long, even when nothing says it may have changed. */
const MAX_VERDICT_AGE_MS = 24 * 60 * 60_000;

export interface VerificationsServiceDeps {
  db: Db;
  store: VerificationStore;
  verifier: CredentialVerifier;
}

/** A verdict to record, and for wallet credentials the cache entry it refreshes. */
interface Recording {
  result: VerificationResult;
  verdict?: { key: string; documentHash: string };
}

/** A recorded verification's row, and the CredentialVerified event that points at it (its payload built only here). */
function credentialVerified(row: NewVerification & { id: string }, verifier: ReturnType<typeof viewerIdentity>): NewEvent {
  return credentialVerifiedEvent.build(
    {
      verificationId: row.id,
      credentialId: row.credentialId,
      issuer: row.issuerRef,
      status: row.status as VerificationStatus,
      verified: row.verified,
      format: row.format,
      verifier,
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
   */
  async function record(viewer: Viewer, recordings: readonly Recording[]): Promise<string[]> {
    if (recordings.length === 0) return [];
    const asker = viewerIdentity(viewer);
    const rows = recordings.map(({ result }) => ({
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
    await db.transaction(async (tx) => {
      await store.recordVerifications(tx, rows);
      await store.saveVerdicts(tx, verdicts);
      await appendEvents(tx, rows.map((row) => credentialVerified(row, asker)));
    });
    return rows.map((row) => row.id);
  }

  return {
    /** Judges what was handed in, and records who asked and the verdict. */
    async verifyCredential(viewer: Viewer, input: VerifyCredentialInput): Promise<{ result: VerificationResult; verificationId: string }> {
      const result = await verifier.verify(input);
      const [verificationId] = await record(viewer, [{ result }]);
      return { result, verificationId: verificationId! };
    },

    /** Verifies a presentation as a relying party; each credential inside is recorded as verified, one after another. */
    async verifyPresentation(
      viewer: Viewer,
      presentation: unknown,
      options: { challenge: string | null; domain: string | null },
    ): Promise<PresentationVerification> {
      const outcome = await verifyPresentation(verifier, presentation, options);
      for (const result of outcome.credentials) await record(viewer, [{ result }]);
      return outcome;
    },

    /**
     * The verdicts on wallet credentials (the federated `Credential.verification`), for one batch: a cached verdict
     * is reused while the document is the same and nothing may have changed it (status list TTL, validity window, a
     * status event for it, a day at most); the others are verified now, recorded, and cached.
     */
    async verdictsFor(viewer: Viewer, credentials: ReadonlyArray<WalletCredential>): Promise<VerificationResult[]> {
      const cached = new Map((await store.verdictsByKeys(credentials.map((credential) => credential.id))).map((row) => [row.credentialKey, row]));
      const now = Date.now();
      const fresh: Recording[] = [];
      const results = await Promise.all(
        credentials.map(async ({ id, document, encoded }) => {
          // A VC-JWT or signed OB 2.0 credential is verified as received: its decoded JSON carries no proof of its own.
          const documentHash = createHash('sha256').update(encoded ?? JSON.stringify(document)).digest('base64url');
          const row = cached.get(id);
          const reusable =
            row &&
            row.documentHash === documentHash &&
            now - row.checkedAt.getTime() < MAX_VERDICT_AGE_MS &&
            (!row.recheckAfter || row.recheckAfter.getTime() > now) &&
            judgedWithOutcomes(row.result);
          if (reusable) return row.result as unknown as VerificationResult;
          const verified = await verifier.verify(encoded ? { jwt: encoded } : { credential: document });
          // The document is the Credential's own field already; the cached verdict need not carry a second copy.
          const result = { ...verified, credential: verified.credential && { ...verified.credential, document: null } };
          fresh.push({ result, verdict: { key: id, documentHash } });
          return result;
        }),
      );
      // One write for the whole batch, after every verdict is in.
      await record(viewer, fresh);
      return results;
    },
  };
}

export type VerificationsService = ReturnType<typeof createVerificationsService>;

/** A verdict cached before checks had outcomes judged a subject-less credential or an unknown issuer differently: it is judged again. */
function judgedWithOutcomes(result: Record<string, unknown>): boolean {
  const checks = (result as unknown as VerificationResult).checks;
  return Array.isArray(checks) && checks.every((check) => typeof check.outcome === 'string');
}
