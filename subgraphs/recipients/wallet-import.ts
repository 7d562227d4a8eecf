import type { Db } from '../../lib/db/client.js';
import { AppError } from '../../lib/errors.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SafeFetch } from '../../lib/net/types.js';
import type { VerificationResult } from '../../lib/verify/types.js';
import { unwrapInput, type CredentialInput } from '../../lib/verify/unwrap.js';
import type { CredentialVerifier } from '../../lib/verify/verify-credential.js';
import type { CredentialRow } from './db/tables.js';
import type { ImportedCredentialFields, WalletStore } from './db/wallet-store.js';
import { decideImport, type ImportOutcome } from './domain/credential-equality.js';
import { walletViewOf, type WalletView } from './domain/wallet-view.js';

export interface WalletImportDeps {
  db: Db;
  wallet: WalletStore;
  /** The hub verifier (lib/verify/hub-verifier.ts), built once per service. */
  verifier: CredentialVerifier;
  /** The verifier's fetch, to recover a JWS handed over inside an image or behind a URL. */
  fetch: SafeFetch;
}

export interface ImportResult {
  /** The wallet entry: the new one, the replaced one, or (for a duplicate) the one already held. */
  credential: CredentialRow;
  outcome: ImportOutcome;
  verification: VerificationResult;
}

/**
 * Imports one credential into a wallet. It is verified first, outside the transaction (the verifier may fetch
 * status lists and keys); only INVALID is refused (tampered, bad proof, unreadable): a wallet holds history, so a
 * revoked, expired or unverifiable-status credential is kept with its verdict. Duplicates follow the OB equality
 * rule; the write and its CredentialImported event commit together.
 */
export function createWalletImporter(deps: WalletImportDeps) {
  return async function importCredential(recipientId: string, input: CredentialInput): Promise<ImportResult> {
    const verification = await deps.verifier.verify(input);
    const summary = verification.credential;
    if (verification.status === 'INVALID' || !summary?.document) throw refusal(verification);
    const view = walletViewOf(summary);
    const fields = storedFields(view, summary.document, await encodedFormOf(input, view, deps.fetch), verification);

    return deps.db.transaction(async (tx) => {
      await deps.wallet.lockWallet(tx, recipientId);
      const held = view.issuerUri && view.credentialUri ? await deps.wallet.findEqualCredential(tx, recipientId, view.issuerUri, view.credentialUri) : null;
      const outcome = decideImport(held, view);
      if (outcome === 'DUPLICATE') return { credential: held!, outcome, verification };
      const credential =
        outcome === 'REPLACE' ? await deps.wallet.replaceImported(tx, held!.id, fields) : await deps.wallet.insertImported(tx, { ...fields, id: newId(), recipientId });
      await appendEvents(tx, [
        {
          type: EventType.CREDENTIAL_IMPORTED,
          recipientId,
          issuerId: credential.issuerId,
          payload: { credentialId: credential.id, recipientId, replaced: outcome === 'REPLACE', format: view.format, status: verification.status },
        },
      ]);
      return { credential, outcome, verification };
    });
  };
}

export type WalletImporter = ReturnType<typeof createWalletImporter>;

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
 * The compact JWS as handed over, for formats whose signature covers the encoding rather than the JSON (VC-JWT,
 * signed OB 2.0): kept untouched so the credential can be verified and exported again exactly as issued.
 */
async function encodedFormOf(input: CredentialInput, view: WalletView, fetch: SafeFetch): Promise<string | null> {
  if (view.format !== 'VC_JWT' && view.format !== 'OB_2_0_SIGNED') return null;
  if (typeof input.jwt === 'string') return input.jwt.trim();
  const unwrapped = await unwrapInput(input, fetch);
  if (unwrapped.kind === 'jwt') return unwrapped.jwt;
  if (unwrapped.kind === 'ob2' && typeof unwrapped.assertion === 'string') return unwrapped.assertion;
  return null;
}
