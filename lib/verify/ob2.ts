import { decodeProtectedHeader } from 'jose';
import { bakedTextKind } from '../badges/bake.js';
import { identityMatches } from '../crypto/identity-hash.js';
import type { SafeFetch } from '../net/types.js';
import { asArray, idOf, isObject, stringOrNull, type Json, type Ob2Evidence } from './ob2-documents.js';
import { verifyHostedAssertion } from './ob2-hosted.js';
import { verifySignedAssertion, type DecodedSignedAssertion } from './ob2-signed.js';
import type { CheckName, CredentialSummary, CheckReport, VerificationStatus } from './types.js';

/**
 * Open Badges 2.0 assertions (ob_v2p0 "Verification"), hosted or signed, given as JSON, as the assertion URL, or as
 * the compact JWS a signed badge was baked with. Runs format → proof → status → validity → recipient and reports
 * each; never throws for bad input. The network is reached only through the SafeFetch.
 */

export type Ob2Status = Extract<VerificationStatus, 'VALID' | 'INVALID' | 'REVOKED' | 'EXPIRED' | 'NOT_YET_VALID' | 'STATUS_UNKNOWN'>;

export interface Ob2VerificationOutcome {
  /** format, proof, status, validity, recipient: always all five, in that order. */
  checks: CheckReport[];
  /** Decided by the first failed check (format/proof/recipient → INVALID, status → REVOKED/STATUS_UNKNOWN, validity → EXPIRED/NOT_YET_VALID). */
  status: Ob2Status;
  summary: CredentialSummary;
  issuerId: string | null;
  issuerName: string | null;
}

export interface VerifyOb2Deps {
  /** The verifier's only way to the network: hosted copies, BadgeClasses, Profiles, keys and revocation lists. */
  fetch: SafeFetch;
  /** @default new Date() */
  now?: Date;
  /** Checked against the assertion's recipient (hashed or plain); without it the recipient check passes, saying so. */
  recipientEmail?: string;
}

/** Larger inputs are refused before parsing: an assertion is a few kilobytes. */
export const MAX_OB2_INPUT_BYTES = 1_048_576;

const HOSTED_TYPES = new Set(['hosted', 'HostedBadge']);
const SIGNED_TYPES = new Set(['signed', 'SignedBadge']);

type ReadInput =
  | { kind: 'json'; assertion: Json }
  | { kind: 'url'; url: string }
  | { kind: 'jws'; signed: DecodedSignedAssertion }
  | { kind: 'invalid'; problem: string };

/** Verifies an OB 2.0 assertion; see {@link Ob2VerificationOutcome}. */
export async function verifyOb2Assertion(input: string | Record<string, unknown>, deps: VerifyOb2Deps): Promise<Ob2VerificationOutcome> {
  const now = deps.now ?? new Date();
  const read = readOb2Input(input);
  if (read.kind === 'invalid') return judge([{ check: failed('format', read.problem), verdict: 'INVALID' }], null, 'OB_2_0_HOSTED', null);

  const given = read.kind === 'json' ? read.assertion : read.kind === 'jws' ? read.signed.assertion : null;
  const verificationType = given && isObject(given.verification) ? given.verification.type : undefined;
  let evidence: Ob2Evidence;
  let format: 'OB_2_0_HOSTED' | 'OB_2_0_SIGNED' = 'OB_2_0_HOSTED';
  if (read.kind === 'url') {
    evidence = await verifyHostedAssertion(null, read.url, deps.fetch);
  } else if (typeof verificationType === 'string' && HOSTED_TYPES.has(verificationType)) {
    // The hosted copy decides, even when the assertion arrived inside a JWS.
    evidence = await verifyHostedAssertion(given, String(given!.id), deps.fetch);
  } else if (typeof verificationType === 'string' && SIGNED_TYPES.has(verificationType)) {
    format = 'OB_2_0_SIGNED';
    evidence =
      read.kind === 'jws'
        ? await verifySignedAssertion(read.signed, deps.fetch)
        : notVerifiable(given, 'a signed assertion given as JSON carries no signature: give the compact JWS it was issued (baked) as');
  } else {
    const problem = `verification.type must be hosted or signed, got ${verificationType === undefined ? '(none)' : JSON.stringify(verificationType)}`;
    return judge([{ check: failed('format', problem), verdict: 'INVALID' }], given, 'OB_2_0_HOSTED', null);
  }

  const assertion = evidence.assertion;
  const shapeProblem = assertion ? assertionShapeProblem(assertion) : 'no assertion could be read';
  const revoked = evidence.status.verdict === 'REVOKED';
  const formatCheck: CheckReport = !shapeProblem
    ? { name: 'format', passed: true, message: `an Open Badges 2.0 ${format === 'OB_2_0_SIGNED' ? 'signed' : 'hosted'} assertion` }
    : revoked
      ? // The host swapped the assertion for a revocation notice: that notice is the answer, not a malformed badge.
        { name: 'format', passed: true, message: `the issuer replaced the assertion with a revocation notice (${shapeProblem})` }
      : failed('format', shapeProblem);

  return judge(
    [
      { check: formatCheck, verdict: 'INVALID' },
      { check: { name: 'proof', ...evidence.proof }, verdict: 'INVALID' },
      { check: { name: 'status', ...evidence.status }, verdict: evidence.status.verdict ?? 'INVALID' },
      validityCheck(assertion, now, revoked),
      { check: recipientCheck(assertion, deps.recipientEmail), verdict: 'INVALID' },
    ],
    assertion,
    format,
    evidence,
  );
}

/** Tells apart the three forms an assertion travels in (the same ones an OB 2.0 baked image carries). */
function readOb2Input(input: unknown): ReadInput {
  if (isObject(input)) return { kind: 'json', assertion: input };
  if (typeof input !== 'string') return { kind: 'invalid', problem: `an OB 2.0 assertion must be JSON, a URL or a JWS, got ${input === null ? 'null' : typeof input}` };
  if (Buffer.byteLength(input, 'utf8') > MAX_OB2_INPUT_BYTES) {
    return { kind: 'invalid', problem: `the input is larger than ${MAX_OB2_INPUT_BYTES} bytes, more than any assertion needs` };
  }
  const text = input.trim();
  switch (bakedTextKind(text)) {
    case 'url':
      return { kind: 'url', url: text };
    case 'json':
      return { kind: 'json', assertion: JSON.parse(text) as Json };
    case 'jws':
      return readJws(text);
    default:
      return { kind: 'invalid', problem: 'the input is neither an assertion (JSON object), its URL, nor a compact JWS' };
  }
}

function readJws(jws: string): ReadInput {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(jws).alg;
  } catch {
    return { kind: 'invalid', problem: 'the JWS header is not base64url-encoded JSON' };
  }
  let assertion: unknown;
  try {
    assertion = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
  } catch {
    return { kind: 'invalid', problem: 'the JWS payload is not base64url-encoded JSON' };
  }
  if (!isObject(assertion)) return { kind: 'invalid', problem: 'the JWS payload is not a JSON object (an assertion)' };
  return { kind: 'jws', signed: { jws, alg, assertion } };
}

function notVerifiable(assertion: Json | null, reason: string): Ob2Evidence {
  return {
    assertion,
    badge: null,
    issuer: null,
    proof: { passed: false, message: reason },
    status: { passed: false, message: 'status not checked: the assertion could not be verified' },
  };
}

/** The OB 2.0 Assertion properties every verifier relies on, with dates that parse. */
function assertionShapeProblem(assertion: Json): string | null {
  if (!asArray(assertion.type).includes('Assertion')) return 'the assertion does not have type Assertion';
  if (typeof assertion.id !== 'string') return 'the assertion has no id';
  const recipient = assertion.recipient;
  if (!isObject(recipient) || typeof recipient.identity !== 'string') return 'the assertion has no recipient identity';
  if (idOf(assertion.badge) === null && !isObject(assertion.badge)) return 'the assertion has no badge';
  if (!isObject(assertion.verification) || typeof assertion.verification.type !== 'string') return 'the assertion has no verification type';
  if (typeof assertion.issuedOn !== 'string' || Number.isNaN(Date.parse(assertion.issuedOn))) return 'the assertion has no valid issuedOn date';
  if (assertion.expires !== undefined && (typeof assertion.expires !== 'string' || Number.isNaN(Date.parse(assertion.expires)))) {
    return `the assertion's expires ${JSON.stringify(assertion.expires)} is not a date`;
  }
  return null;
}

interface JudgedCheck {
  check: CheckReport;
  /** The outcome this check imposes when it fails. */
  verdict: Ob2Status;
}

function validityCheck(assertion: Json | null, now: Date, revoked: boolean): JudgedCheck {
  if (!assertion) return { check: failed('validity', 'validity not checked: no assertion could be read'), verdict: 'INVALID' };
  const issuedOn = typeof assertion.issuedOn === 'string' ? Date.parse(assertion.issuedOn) : Number.NaN;
  const expires = typeof assertion.expires === 'string' ? Date.parse(assertion.expires) : Number.NaN;
  if (!Number.isNaN(expires) && expires < now.getTime()) {
    return { check: failed('validity', `expired on ${String(assertion.expires)}`), verdict: 'EXPIRED' };
  }
  if (!Number.isNaN(issuedOn) && issuedOn > now.getTime()) {
    return { check: failed('validity', `not valid before its issuedOn ${String(assertion.issuedOn)}`), verdict: 'NOT_YET_VALID' };
  }
  if (Number.isNaN(issuedOn)) {
    const message = revoked ? 'validity not checked: the revocation notice has no dates' : 'the assertion has no valid issuedOn date';
    return { check: failed('validity', message), verdict: 'INVALID' };
  }
  const until = Number.isNaN(expires) ? 'with no expiry' : `until ${String(assertion.expires)}`;
  return { check: { name: 'validity', passed: true, message: `valid from ${String(assertion.issuedOn)} ${until}` }, verdict: 'INVALID' };
}

/**
 * The e-mail recipient check: `sha256$`/`md5$` hashes of email+salt (tried as given and lower-cased, since issuers
 * hash whichever form they stored) or, when `hashed` is false, the plain address compared case-insensitively.
 */
function recipientCheck(assertion: Json | null, email: string | undefined): CheckReport {
  if (email === undefined) return { name: 'recipient', passed: true, outcome: 'SKIPPED', message: 'no recipient was requested, so none was matched' };
  if (!assertion) return failed('recipient', 'recipient not checked: no assertion could be read');
  const recipient = isObject(assertion.recipient) ? assertion.recipient : null;
  const identity = recipient ? stringOrNull(recipient.identity) : null;
  if (!recipient || identity === null) return failed('recipient', 'the assertion names no recipient identity');
  const type = recipient.type ?? 'email';
  if (type !== 'email') return failed('recipient', `the assertion identifies its recipient by ${String(type)}, not by e-mail`);
  const salt = typeof recipient.salt === 'string' ? recipient.salt : '';
  const wanted = email.trim();
  const matches =
    recipient.hashed === true || (recipient.hashed === undefined && /^(sha256|md5)\$/i.test(identity))
      ? [...new Set([wanted, wanted.toLowerCase()])].some((candidate) => identityMatches(identity, candidate, salt))
      : identity.trim().toLowerCase() === wanted.toLowerCase();
  return matches
    ? { name: 'recipient', passed: true, message: `the assertion was awarded to ${wanted}` }
    : failed('recipient', `the assertion was not awarded to ${wanted}`);
}

/** Fills in the checks that never ran, takes the first failure's verdict, and summarises what was read. */
function judge(judged: JudgedCheck[], assertion: Json | null, format: CredentialSummary['format'], evidence: Ob2Evidence | null): Ob2VerificationOutcome {
  const order: CheckName[] = ['format', 'proof', 'status', 'validity', 'recipient'];
  const byName = new Map(judged.map((entry) => [entry.check.name, entry]));
  const complete = order.map(
    (name) => byName.get(name) ?? { check: failed(name, `${name} not checked: the input is not a verifiable OB 2.0 assertion`), verdict: 'INVALID' as const },
  );
  const firstFailure = complete.find((entry) => !entry.check.passed);
  const badge = evidence?.badge ?? (isObject(assertion?.badge) ? assertion.badge : null);
  const issuer = evidence?.issuer ?? (isObject(badge?.issuer) ? badge.issuer : null);
  const issuerId = idOf(badge?.issuer) ?? idOf(issuer);
  const issuerName = stringOrNull(issuer?.name);
  return {
    checks: complete.map((entry) => entry.check),
    status: firstFailure ? firstFailure.verdict : 'VALID',
    summary: {
      id: stringOrNull(assertion?.id),
      format,
      types: asArray(assertion?.type).filter((type): type is string => typeof type === 'string'),
      name: stringOrNull(badge?.name),
      issuerId,
      issuerName,
      achievementId: idOf(assertion?.badge),
      achievementName: stringOrNull(badge?.name),
      // An OB 2.0 recipient is a (usually hashed) e-mail, not a subject id.
      subjectId: null,
      validFrom: stringOrNull(assertion?.issuedOn),
      validUntil: stringOrNull(assertion?.expires),
      document: assertion,
    },
    issuerId,
    issuerName,
  };
}

function failed(name: CheckName, message: string): CheckReport {
  return { name, passed: false, message };
}
