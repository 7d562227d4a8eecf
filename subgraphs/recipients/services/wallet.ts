import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, NotFoundError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { SafeFetch } from '../../../lib/net/types.js';
import type { VerificationResult } from '../../../lib/verify/types.js';
import { unwrapInput, type CredentialInput } from '../../../lib/verify/unwrap.js';
import type { CredentialVerifier } from '../../../lib/verify/verify-credential.js';
import type { CredentialRow, CredentialVisibilityValue } from '../db/tables.js';
import type { ImportedCredentialFields, WalletStore } from '../db/wallet-store.js';
import { decideImport, type ImportOutcome } from '../domain/credential-equality.js';
import { walletViewOf, type WalletView } from '../domain/wallet-view.js';
import { canActForRecipient } from '../domain/access.js';
import { canReadCredential } from '../domain/wallet-access.js';
import type { RecipientLoaders } from '../loaders.js';
import { credentialImportedEvent } from '../../../lib/events/contracts/credential-imported.js';
import { credentialVisibilityChangedEvent } from '../../../lib/events/contracts/credential-visibility-changed.js';

export interface WalletServiceDeps {
  db: Db;
  wallet: WalletStore;
  /** The hub verifier (lib/verify/hub-verifier.ts), built once per service. */
  verifier: CredentialVerifier;
  /** The verifier's fetch, to recover a JWS handed over inside an image or behind a URL. */
  fetch: SafeFetch;
  /** The request's loaders, told what a write changed; absent outside a GraphQL request (OB API), where nothing caches. */
  loaders?: RecipientLoaders;
  log: Logger;
}

export interface ImportResult {
  /** The wallet entry: the new one, the replaced one, or (for a duplicate) the one already held. */
  credential: CredentialRow;
  outcome: ImportOutcome;
  verification: VerificationResult;
}

/** The event of an import, its payload built here and nowhere else. */
function credentialImported(recipientId: string, credential: CredentialRow, outcome: ImportOutcome, view: WalletView, verification: VerificationResult): NewEvent {
  return credentialImportedEvent.build(
    {
      credentialId: credential.id,
      recipientId,
      replaced: outcome === 'REPLACE',
      format: view.format,
      status: verification.status,
      document: credential.document,
      encoded: credential.encoded,
      issuerTrusted: verification.issuer?.known ?? false,
    },
    { issuerId: credential.issuerId },
  );
}

/** What a holder does with the credentials in their wallet: bring them in from elsewhere, choose who may read them. */
export function createWalletService(deps: WalletServiceDeps) {
  const { db, wallet, loaders } = deps;

  return {
    /**
     * Imports one credential into a wallet. It is verified first, outside the transaction (the verifier may fetch
     * status lists and keys); only INVALID is refused (tampered, bad proof, unreadable), and a credential whose subject
     * names no recipient (it could be anyone's): a wallet holds history, so a
     * revoked, expired or unverifiable-status credential is kept with its verdict. Duplicates follow the OB equality
     * rule; the write and its CredentialImported event commit together.
     */
    async importCredential(recipientId: string, input: CredentialInput): Promise<ImportResult> {
      const verification = await deps.verifier.verify(input);
      const summary = verification.credential;
      if (verification.status === 'INVALID' || !summary?.document) throw refusal(verification);
      // A credential that names no recipient verifies (with a warning) but cannot be bound to this wallet's holder.
      const unbound = verification.checks.find((check) => check.name === 'subject' && check.outcome === 'WARNING');
      if (unbound) throw new AppError('BAD_USER_INPUT', `The credential was not imported: ${unbound.message}`, { reason: 'CREDENTIAL_NAMES_NO_RECIPIENT', status: verification.status });
      const view = walletViewOf(summary);
      const fields = storedFields(view, summary.document, await encodedFormOf(input, view, deps.fetch), verification);

      const imported = await db.transaction(async (tx): Promise<ImportResult> => {
        await wallet.lockWallet(tx, recipientId);
        const held = view.issuerUri && view.credentialUri ? await wallet.findEqualCredential(tx, recipientId, view.issuerUri, view.credentialUri) : null;
        const outcome = decideImport(held, view);
        if (outcome === 'DUPLICATE') return { credential: held!, outcome, verification };
        const credential =
          outcome === 'REPLACE' ? await wallet.replaceImported(tx, held!.id, fields) : await wallet.insertImported(tx, { ...fields, id: newId(), recipientId });
        await appendEvents(tx, [credentialImported(recipientId, credential, outcome, view, verification)]);
        return { credential, outcome, verification };
      });
      loaders?.credentialById.prime(imported.credential.id, imported.credential);
      deps.log.info({ recipientId, credentialId: imported.credential.id, outcome: imported.outcome, status: verification.status }, 'credential imported');
      return imported;
    },

    /**
     * Only the holder (or an operator) changes who may read a credential (`held`, as this request read it); someone
     * who may not even read it learns nothing about whether it exists.
     */
    async setCredentialVisibility(
      viewer: Viewer,
      held: CredentialRow | null,
      input: { credentialId: string; visibility: CredentialVisibilityValue },
    ): Promise<CredentialRow> {
      if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
      if (!held || !canReadCredential(viewer, held)) throw new NotFoundError('Credential', input.credentialId);
      if (!canActForRecipient(viewer, held.recipientId)) throw new UnauthorizedError('Only the holder changes who may read a credential');
      const credential = await db.transaction(async (tx) => {
        const changed = await wallet.setVisibility(tx, held.id, input.visibility);
        // The issuers service hosts the copy of a credential this hub delivered (same id) and serves it as its holder says.
        if (changed.source === 'ISSUED') {
          await appendEvents(tx, [credentialVisibilityChangedEvent.build({ credentialId: changed.id, recipientId: changed.recipientId, visibility: changed.visibility })]);
        }
        return changed;
      });
      loaders?.credentialById.clear(held.id).prime(held.id, credential);
      return credential;
    },
  };
}

export type WalletService = ReturnType<typeof createWalletService>;

/** BAD_USER_INPUT with the checks that failed in `extensions`, so a wallet app can say what is wrong. */
function refusal(verification: VerificationResult): AppError {
  const failedChecks = verification.checks.filter((check) => !check.passed);
  const reasons = failedChecks.map((check) => `${check.name}: ${check.message}`).join('; ');
  return new AppError('BAD_USER_INPUT', `The credential does not verify, so it was not imported (${reasons || 'unreadable'})`, {
    reason: 'CREDENTIAL_INVALID',
    status: verification.status,
    failedChecks,
  });
}

function storedFields(
  view: WalletView,
  document: Record<string, unknown>,
  encoded: string | null,
  verification: VerificationResult,
): ImportedCredentialFields {
  return {
    ...view,
    // A credential issued by one of this hub's issuers links to its Issuer, wherever the recipient got it from.
    issuerId: verification.issuer?.hubIssuerId ?? null,
    achievementId: null,
    issuedAt: view.validFrom ?? new Date(verification.checkedAt),
    document,
    encoded,
    importStatus: verification.status,
    importChecks: verification.checks,
  };
}

/**
 * The signed form as handed over, for formats whose signature covers the encoding rather than the JSON (VC-JWT,
 * signed OB 2.0: the compact JWS; a sealed EDC: its JAdES JWS JSON, the payload bytes included): kept untouched so
 * the credential can be verified and exported again exactly as issued.
 */
async function encodedFormOf(input: CredentialInput, view: WalletView, fetch: SafeFetch): Promise<string | null> {
  if (view.format === 'EDC_JADES') {
    const unwrapped = await unwrapInput(input, fetch);
    return unwrapped.kind === 'jades' ? JSON.stringify(unwrapped.sealed) : null;
  }
  if (view.format !== 'VC_JWT' && view.format !== 'OB_2_0_SIGNED') return null;
  if (typeof input.jwt === 'string') return input.jwt.trim();
  const unwrapped = await unwrapInput(input, fetch);
  if (unwrapped.kind === 'jwt') return unwrapped.jwt;
  if (unwrapped.kind === 'ob2' && typeof unwrapped.assertion === 'string') return unwrapped.assertion;
  return null;
}
