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
 * status entry, no recipient e-mail given) is reported as SKIPPED with a message saying so, never omitted silently.
 */
export type CheckName = 'format' | 'schema' | 'subject' | 'proof' | 'status' | 'validity' | 'recipient' | 'issuer';

/**
 * What a check came to. Only FAILED weighs on the verdict; WARNING tells a relying party something it may care about
 * (an issuer nobody vouches for, a subject that names no recipient) without making the credential invalid; SKIPPED
 * says the check did not apply. What makes each check fail or warn is documented in docs/conformance.md.
 */
export type CheckOutcome = 'PASSED' | 'FAILED' | 'WARNING' | 'SKIPPED';

export interface VerificationCheck {
  name: CheckName;
  outcome: CheckOutcome;
  /** `outcome !== 'FAILED'`, kept for clients written before outcomes existed. */
  passed: boolean;
  /** One sentence a person can act on; names the cause (the URL, the field, the key) when a check fails. */
  message: string;
}

/**
 * A check as the code that runs it reports it: passed or not, and an outcome only when it is a WARNING or SKIPPED
 * (the verdict turns it into a VerificationCheck with `judgeCheck`).
 */
export interface CheckReport {
  name: CheckName;
  passed: boolean;
  outcome?: CheckOutcome;
  message: string;
}

/** The outcome of a report (or of a verdict cached before outcomes existed), with `passed` kept consistent with it. */
export function judgeCheck(report: CheckReport): VerificationCheck {
  const outcome = report.outcome ?? (report.passed ? 'PASSED' : 'FAILED');
  return { name: report.name, outcome, passed: outcome !== 'FAILED', message: report.message };
}

/** How the credential reached the verifier, after unwrapping images and URLs. */
/** EDC_JADES: a European Digital Credential under a JAdES e-seal (JWS JSON serialisation), lib/verify/edc.ts. */
export type CredentialFormat = 'VC_2_0' | 'VC_1_1' | 'VC_JWT' | 'OB_2_0_HOSTED' | 'OB_2_0_SIGNED' | 'EDC_JADES' | 'UNKNOWN';

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
