/**
 * The vocabulary of Cairn's verifier, shared by every format it judges (VC 2.0 / 1.1 with embedded proofs, VC-JWT,
 * baked images, OB 2.0 assertions). No GraphQL and no database here: the verification subgraph, the VC-API routes
 * and the wallet import all speak these types.
 */

/** The verdict a client acts on. Only VALID means "verified". */
export type VerificationStatus =
  | 'VALID'
  | 'INVALID'
  | 'REVOKED'
  | 'SUSPENDED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'STATUS_UNKNOWN';

/**
 * The checks, in the order OB 3.0 §9 (Verification and Validation) runs them. A check that does not apply (no
 * status entry, no recipient e-mail given) is reported as passed with a message saying so, never omitted silently.
 */
export type CheckName = 'format' | 'schema' | 'subject' | 'proof' | 'status' | 'validity' | 'recipient' | 'issuer';

export interface VerificationCheck {
  name: CheckName;
  passed: boolean;
  /** One sentence a person can act on; names the cause (the URL, the field, the key) when a check fails. */
  message: string;
}

/** How the credential reached the verifier, after unwrapping images and URLs. */
export type CredentialFormat = 'VC_2_0' | 'VC_1_1' | 'VC_JWT' | 'OB_2_0_HOSTED' | 'OB_2_0_SIGNED' | 'UNKNOWN';

/** A format-independent summary of what the credential claims (filled as far as the input allows). */
export interface CredentialSummary {
  id: string | null;
  format: CredentialFormat;
  types: string[];
  name: string | null;
  issuerId: string | null;
  issuerName: string | null;
  achievementId: string | null;
  achievementName: string | null;
  subjectId: string | null;
  validFrom: string | null;
  validUntil: string | null;
  /** The credential as JSON: the embedded-proof document, the decoded JWT credential, or the OB 2.0 assertion. */
  document: Record<string, unknown> | null;
}

/** Who issued it, and whether the operator or Cairn itself knows them. */
export interface IssuerTrust {
  id: string;
  name: string | null;
  /** True when the issuer is one of this hub's issuers or is on an operator-configured trust list. */
  known: boolean;
  /** `cairn` (an issuer of this hub), `configured` (CAIRN_TRUSTED_ISSUERS), a registry URL, or null when unknown. */
  source: string | null;
  /** This hub's own id of the issuer when `source` is `cairn`, so clients can follow it to the federated Issuer. */
  hubIssuerId: string | null;
}

export interface VerificationResult {
  verified: boolean;
  status: VerificationStatus;
  checks: VerificationCheck[];
  credential: CredentialSummary | null;
  issuer: IssuerTrust | null;
  /** When the verdict was reached (ISO 8601). */
  checkedAt: string;
  /** The earliest time the verdict may change on its own (status list TTL, validUntil, a cached key's TTL). */
  recheckAfter: string | null;
}
