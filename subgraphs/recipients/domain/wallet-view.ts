import type { CredentialFormat, CredentialSummary } from '../../../lib/verify/types.js';
import { equalityUri } from './credential-equality.js';

/**
 * The normalised, OB-3-like view of a wallet credential that lists and duplicate detection read, whatever form the
 * credential came in (OB 3.0 with an embedded proof, VC-JWT, OB 2.0). The signed form itself is kept beside it.
 */
export interface WalletView {
  name: string;
  format: CredentialFormat;
  issuerUri: string | null;
  credentialUri: string | null;
  issuerName: string | null;
  achievementUri: string | null;
  achievementName: string | null;
  validFrom: Date | null;
  validUntil: Date | null;
}

/** What a credential with neither a name nor an achievement name is listed as. */
export const UNNAMED_CREDENTIAL = 'Untitled credential';

/** The verifier already reads every format into one summary (OB 2.0: badge name, issuedOn, expires); this maps it. */
export function walletViewOf(summary: CredentialSummary): WalletView {
  return {
    name: summary.name ?? summary.achievementName ?? UNNAMED_CREDENTIAL,
    format: summary.format,
    issuerUri: equalityUri(summary.issuerId),
    credentialUri: equalityUri(summary.id),
    issuerName: summary.issuerName,
    achievementUri: summary.achievementId,
    achievementName: summary.achievementName,
    validFrom: dateOrNull(summary.validFrom),
    validUntil: dateOrNull(summary.validUntil),
  };
}

function dateOrNull(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
