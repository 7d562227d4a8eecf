import { AppError } from '../errors.js';
import type { DocumentLoader } from '../crypto/document-loader.js';
import type { SafeFetch } from '../net/types.js';
import {
  credentialFormatOf,
  formatCheck,
  issuerIdOf,
  recipientCheck,
  schemaCheck,
  subjectCheck,
  summarize,
  validityCheck,
} from './credential-checks.js';
import { createProofVerifier, proofCheck, type Cryptosuite } from './proofs.js';
import { createStatusChecker } from './status.js';
import { judgeCheck, type CheckReport, type CredentialFormat, type CredentialSummary, type IssuerTrust, type VerificationResult, type VerificationStatus } from './types.js';
import { providedInputs, unwrapInput, type CredentialInput, type UnwrapLimits } from './unwrap.js';
import { verifyCredentialJwt } from './vc-jwt.js';
import { verifyOb2Assertion } from './ob2.js';
import type { JadesDocument } from '../europass/jades.js';
import type * as x509 from '@peculiar/x509';
import { edcHeadChecks, edcIssuerCheck, edcRecipientCheck, summarizeEdc } from './edc.js';

type Json = Record<string, unknown>;

/** Who an issuer is to this hub: one of its own, on an operator's trust list, or unknown. */
export type IssuerTrustLookup = (issuerId: string) => Promise<Omit<IssuerTrust, 'id' | 'name' | 'hubIssuerId'> & { name?: string | null; hubIssuerId?: string | null }>;

export interface CredentialVerifierOptions {
  /** The verifier's JSON-LD loader: bundled contexts, DID methods, key URL conventions (see lib/verify/document-loader.ts). */
  documentLoader: DocumentLoader;
  /** The only network path (credential URLs, OB 2.0 assertions and keys, JWKs). */
  fetch: SafeFetch;
  /** Loads a status list credential as JSON; defaults to `fetch` + JSON.parse. The hub serves its own lists locally. */
  loadStatusList?: (url: string) => Promise<Json>;
  trust: IssuerTrustLookup;
  /** When true an issuer nobody vouches for makes the credential INVALID; by default issuer trust is reported, not enforced. */
  requireKnownIssuer?: boolean;
  /** Faster drop-in cryptosuites (same results), e.g. with a canonicalisation cache. */
  cryptosuites?: Partial<Record<'eddsa-rdfc-2022' | 'eddsa-2022', Cryptosuite>>;
  limits?: UnwrapLimits;
  now?: () => Date;
  /**
   * Certificates a sealed EDC's chain must reach for its issuer to be trusted (the operator's EU trusted-list file,
   * `EUROPASS_TRUST_ANCHORS`); null or empty: seals are still verified, their issuer trust is reported unknown.
   */
  europassTrustAnchors?: readonly x509.X509Certificate[] | null;
}

export interface VerifyCredentialInput extends CredentialInput {
  /** Also check that the credential was issued to this e-mail address (hashed identifiers included). */
  recipientEmail?: string | null;
}

/** Statuses in the order one outranks another when several apply (a revoked, expired credential is REVOKED). */
const STATUS_PRECEDENCE: VerificationStatus[] = ['INVALID', 'REVOKED', 'SUSPENDED', 'EXPIRED', 'NOT_YET_VALID', 'STATUS_UNKNOWN'];

/**
 * Cairn's verifier: judges a credential in any supported form and says why, check by check, in the OB 3.0 order
 * (format, schema, subject, proof, status, validity, recipient, issuer). Only a credential that passes every check it
 * could run is VALID; whatever could not be checked (a list that cannot be read) is STATUS_UNKNOWN, never VALID.
 */
export function createCredentialVerifier(options: CredentialVerifierOptions) {
  const { documentLoader, fetch, trust, requireKnownIssuer = false, limits, now = () => new Date() } = options;
  const proofs = createProofVerifier({ documentLoader, cryptosuites: options.cryptosuites });
  const loadStatusList = options.loadStatusList ?? (async (url: string) => parseJsonObject((await fetch(url, { accept: 'application/vc+ld+json, application/json' })).body.toString('utf8'), url));
  const status = createStatusChecker({ loadList: loadStatusList, verifyProofs: (list) => proofs.verifyAll(list), now: () => now().getTime() });

  async function issuerCheck(issuerId: string | null, issuerName: string | null): Promise<{ check: CheckReport; issuer: IssuerTrust | null }> {
    if (!issuerId) return { check: { name: 'issuer', passed: false, message: 'The credential names no issuer' }, issuer: null };
    const found = await trust(issuerId);
    const issuer: IssuerTrust = { id: issuerId, name: found.name ?? issuerName, known: found.known, source: found.source, hubIssuerId: found.hubIssuerId ?? null };
    if (found.known) return { check: { name: 'issuer', passed: true, message: `${issuerId} is a known issuer (${found.source})` }, issuer };
    const message = `${issuerId} is not an issuer of this hub nor on a configured trust list: the result is cryptographic only`;
    // Unknown is a warning for a relying party to weigh, unless the operator asked for known issuers only.
    return { check: requireKnownIssuer ? { name: 'issuer', passed: false, message } : { name: 'issuer', passed: true, outcome: 'WARNING', message }, issuer };
  }

  /** Everything after format/proof for a VC (embedded-proof or decoded from a JWT). */
  async function judgeVc(credential: Json, format: CredentialFormat, head: CheckReport[], recipientEmail: string | null | undefined): Promise<VerificationResult> {
    const at = now();
    const statusVerdict = await status.check(credential);
    const validity = validityCheck(credential, at);
    const summary = summarize(credential, format);
    const { check: issuerChecked, issuer } = await issuerCheck(summary.issuerId, summary.issuerName);
    const checks = [...head, statusVerdict.check, validity.check, recipientCheck(credential, recipientEmail), issuerChecked];
    const recheck = [statusVerdict.recheckAfter, validity.until].filter((date): date is Date => date !== null && date > at);
    const recheckAfter = recheck.length ? new Date(Math.min(...recheck.map((date) => date.getTime()))) : null;
    return result(checks, [statusVerdict.status, validity.status], summary, issuer, at, recheckAfter);
  }

  function result(
    reports: CheckReport[],
    statuses: Array<VerificationStatus | null>,
    summary: CredentialSummary | null,
    issuer: IssuerTrust | null,
    at: Date,
    recheckAfter: Date | null,
  ): VerificationResult {
    const checks = reports.map(judgeCheck);
    // The verdict follows FAILED checks only: a failed status or validity check brings its own status (REVOKED,
    // EXPIRED, STATUS_UNKNOWN …); any other failure makes the credential INVALID. Warnings never change it.
    const failed = checks.filter((check) => check.outcome === 'FAILED');
    const all = [...statuses, failed.some((check) => check.name !== 'status' && check.name !== 'validity') ? 'INVALID' : null];
    const found = STATUS_PRECEDENCE.find((candidate) => all.includes(candidate));
    const status = found ?? (failed.length > 0 ? 'INVALID' : 'VALID');
    return { verified: status === 'VALID', status, checks, credential: summary, issuer, checkedAt: at.toISOString(), recheckAfter: recheckAfter?.toISOString() ?? null };
  }

  function invalid(message: string): VerificationResult {
    return result([{ name: 'format', passed: false, message }], [], null, null, now(), null);
  }

  async function verifyEmbedded(credential: Json, recipientEmail: string | null | undefined): Promise<VerificationResult> {
    const format = formatCheck(credential);
    if (!format.passed) return { ...invalid(format.message), credential: summarize(credential, credentialFormatOf(credential)) };
    const outcomes = await proofs.verifyAll(credential);
    const head = [format, schemaCheck(credential), subjectCheck(credential), proofCheck(outcomes, issuerIdOf(credential))];
    return judgeVc(credential, credentialFormatOf(credential), head, recipientEmail);
  }

  async function verifyJwt(jwt: string, recipientEmail: string | null | undefined): Promise<VerificationResult> {
    const outcome = await verifyCredentialJwt(jwt, { documentLoader, fetch, now: now() });
    if (!outcome.credential || !outcome.format.passed) return invalid(outcome.format.message);
    const credential = outcome.credential;
    // The JWT carries the credential's data model; its own checks (contexts, dates) still apply, but not a proof.
    const format = formatCheck(credential);
    if (!format.passed) return { ...invalid(format.message), credential: summarize(credential, 'VC_JWT') };
    const head = [outcome.format, schemaCheck(credential), subjectCheck(credential), outcome.proof];
    return judgeVc(credential, 'VC_JWT', head, recipientEmail);
  }

  /** A sealed European Digital Credential: the seal is its proof, the seal's chain its issuer trust (lib/verify/edc.ts). */
  async function verifyEdc(sealed: JadesDocument, recipientEmail: string | null | undefined): Promise<VerificationResult> {
    const at = now();
    const { head, seal, credential } = await edcHeadChecks(sealed, { trustAnchors: options.europassTrustAnchors ?? null, now: at });
    if (!credential) return invalid(head[0]!.message);
    const summary = summarizeEdc(credential);
    if (!head[0]!.passed) return result(head.slice(0, 1), [], summary, null, at, null);
    const statusVerdict = await status.check(credential);
    const validity = validityCheck(credential, at);
    const { check: issuerChecked, issuer } = edcIssuerCheck(credential, seal, requireKnownIssuer);
    const checks = [...head, statusVerdict.check, validity.check, edcRecipientCheck(credential, recipientEmail), issuerChecked];
    const recheck = [statusVerdict.recheckAfter, validity.until].filter((date): date is Date => date !== null && date > at);
    const recheckAfter = recheck.length ? new Date(Math.min(...recheck.map((date) => date.getTime()))) : null;
    return result(checks, [statusVerdict.status, validity.status], summary, issuer, at, recheckAfter);
  }

  async function verifyOb2(assertion: string | Json, recipientEmail: string | null | undefined): Promise<VerificationResult> {
    const at = now();
    const outcome = await verifyOb2Assertion(assertion, { fetch, now: at, recipientEmail: recipientEmail ?? undefined });
    const { check: issuerChecked, issuer } = await issuerCheck(outcome.issuerId, outcome.issuerName ?? null);
    const statuses = outcome.status === 'VALID' ? [] : [outcome.status];
    return result([...outcome.checks, issuerChecked], statuses, outcome.summary, issuer, at, null);
  }

  return {
    /**
     * Verifies one credential given as JSON, a JWT, a baked image (base64) or a URL.
     * @throws AppError BAD_USER_INPUT when not exactly one of those is given (a caller mistake, not a verdict).
     */
    async verify(input: VerifyCredentialInput): Promise<VerificationResult> {
      const given = providedInputs(input);
      if (given.length !== 1) {
        throw new AppError('BAD_USER_INPUT', `Give exactly one of credential, jwt, image or url (got ${given.length ? given.join(', ') : 'none'})`, { field: 'input' });
      }
      const unwrapped = await unwrapInput(input, fetch, limits);
      switch (unwrapped.kind) {
        case 'invalid':
          return invalid(unwrapped.message);
        case 'vc':
          return verifyEmbedded(unwrapped.credential, input.recipientEmail);
        case 'jwt':
          return verifyJwt(unwrapped.jwt, input.recipientEmail);
        case 'ob2':
          return verifyOb2(unwrapped.assertion, input.recipientEmail);
        case 'jades':
          return verifyEdc(unwrapped.sealed, input.recipientEmail);
      }
    },
    /** Verifies a parsed VC with embedded proofs (the presentation verifier hands its inner credentials here). */
    verifyEmbedded,
    proofs,
    /** Forgets cached status lists. */
    clearStatusCache: () => status.clear(),
  };
}

export type CredentialVerifier = ReturnType<typeof createCredentialVerifier>;

function parseJsonObject(text: string, url: string): Json {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${url} did not return a JSON object`);
  return parsed as Json;
}
