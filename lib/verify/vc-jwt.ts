import type { KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors as joseErrors, type ProtectedHeaderParameters } from 'jose';
import type { DocumentLoader } from '../crypto/document-loader.js';
import type { SafeFetch } from '../net/types.js';
import type { CheckReport } from './types.js';
import { findJwtVerificationKey, keyOwnershipProblem } from './vc-jwt-key.js';

/**
 * VC-JWT verification: OB 3.0's "external proof" (a VC 1.1-style JWT with the credential in `vc`, as Cairn's
 * lib/crypto/jwt.ts signs it) and VC-JOSE 2.0 (`typ: vc+jwt` / `vc-ld+jwt`, the payload is the credential).
 * It judges the envelope only: the JWT's shape and claims (`format`) and its signature and key (`proof`), and hands
 * back the credential JSON so the orchestrator runs schema, status and validity checks on it like any other.
 */

/** What {@link verifyCredentialJwt} found. Never thrown: a bad JWT is a failed check. */
export interface JwtVerificationOutcome {
  /** The credential as JSON with the JWT claims folded in (issuer, id, subject id, dates), or null if unreadable. */
  credential: Record<string, unknown> | null;
  format: CheckReport;
  proof: CheckReport;
  /** The issuer id (the credential's issuer, else `iss`). */
  issuerId: string | null;
  /** The key the JWT was (to be) verified with: the header `kid`, or the verification method found without one. */
  kid: string | null;
}

export interface VerifyCredentialJwtDeps {
  /** Resolves DID URLs (did:key, did:web, did:jwk) and the `https://…#z6Mk…` convention. */
  documentLoader: DocumentLoader;
  /** Fetches JWKs / JWK Sets named by an https `kid`; the verifier's only way to the network. */
  fetch: SafeFetch;
  /** Not used to judge exp/nbf (the orchestrator's validity check does); kept so callers pass one clock everywhere. */
  now?: Date;
}

/** Larger inputs are refused before any decoding: a credential JWT is a few kilobytes. */
export const MAX_CREDENTIAL_JWT_BYTES = 1_048_576;

/**
 * The JOSE algorithms accepted, each with the only key type it may be used with. Never `none` (unsigned) and never
 * HS* (a shared secret proves nothing about who signed); pairing alg and key type blocks algorithm-confusion attacks.
 */
const KEY_TYPE_OF_ALGORITHM: Record<string, { type: string; curve?: string; description: string }> = {
  EdDSA: { type: 'ed25519', description: 'an Ed25519 key' },
  RS256: { type: 'rsa', description: 'an RSA key of at least 2048 bits' },
  ES256: { type: 'ec', curve: 'prime256v1', description: 'a P-256 EC key' },
};

const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const VC_JOSE_TYPES = new Set(['vc+jwt', 'vc-ld+jwt', 'application/vc+jwt', 'application/vc-ld+jwt']);

type Json = Record<string, unknown>;

/** Verifies a credential JWT's format and signature; see {@link JwtVerificationOutcome}. Never rejects for bad input. */
export async function verifyCredentialJwt(jwt: string, deps: VerifyCredentialJwtDeps): Promise<JwtVerificationOutcome> {
  const decoded = decodeCompactJwt(jwt);
  if ('problem' in decoded) {
    return { credential: null, format: failed('format', decoded.problem), proof: notChecked('the JWT could not be decoded'), issuerId: null, kid: null };
  }
  const { header, payload, compact } = decoded;
  const claims = credentialFromClaims(header, payload);
  const iss = typeof payload.iss === 'string' ? payload.iss : undefined;
  const issuerId = (claims.credential ? issuerIdOf(claims.credential) : null) ?? iss ?? null;
  const format: CheckReport = claims.problem
    ? failed('format', claims.problem)
    : { name: 'format', passed: true, message: `${claims.profile} credential JWT signed with ${String(header.alg)}` };

  const proof = await checkSignature(compact, header, { iss, issuerId }, deps);
  return { credential: claims.problem ? null : claims.credential, format, proof: proof.check, issuerId, kid: proof.kid };
}

type DecodedJwt = { header: ProtectedHeaderParameters; payload: Json; compact: string } | { problem: string };

/** Decodes without trusting anything; every way a string can fail to be a JWS becomes a sentence. */
function decodeCompactJwt(jwt: unknown): DecodedJwt {
  if (typeof jwt !== 'string') return { problem: `a credential JWT must be a string, got ${jwt === null ? 'null' : typeof jwt}` };
  if (Buffer.byteLength(jwt, 'utf8') > MAX_CREDENTIAL_JWT_BYTES) {
    return { problem: `the JWT is larger than ${MAX_CREDENTIAL_JWT_BYTES} bytes, more than any credential needs` };
  }
  const compact = jwt.trim();
  const parts = compact.split('.');
  if (parts.length === 5) return { problem: 'the JWT is encrypted (JWE, five parts); only signed credential JWTs (JWS) are supported' };
  if (parts.length !== 3) return { problem: `a compact JWS has three dot-separated parts, this text has ${parts.length}` };
  const names = ['header', 'payload', 'signature'];
  for (const [index, part] of parts.entries()) {
    if (!/^[A-Za-z0-9_-]*$/.test(part)) return { problem: `the JWT ${names[index]} is not base64url` };
  }
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(compact);
  } catch {
    return { problem: 'the JWT header is not base64url-encoded JSON' };
  }
  if (header.b64 === false) return { problem: 'unencoded-payload JWS (b64: false) is not a credential JWT' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { problem: 'the JWT payload is not base64url-encoded JSON' };
  }
  if (!isObject(payload)) return { problem: 'the JWT payload is not a JSON object' };
  return { header, payload, compact };
}

interface ClaimsOutcome {
  credential: Json | null;
  problem: string | null;
  profile: 'VC-JWT 1.1' | 'VC-JOSE 2.0';
}

/**
 * The credential a JWT carries, with its registered claims folded in. A VC 1.1-style JWT may leave properties to the
 * claims (iss → issuer, jti → id, sub → credentialSubject.id, nbf/exp → the dates); where both are present they must
 * agree, or a verifier reading the claims and one reading the credential would disagree about what was signed.
 */
function credentialFromClaims(header: ProtectedHeaderParameters, payload: Json): ClaimsOutcome {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : undefined;
  const isJose = typ !== undefined && VC_JOSE_TYPES.has(typ);
  const profile = isJose ? 'VC-JOSE 2.0' : 'VC-JWT 1.1';
  if (typ !== undefined && typ !== 'jwt' && !isJose) {
    return { credential: null, problem: `typ ${String(header.typ)} is not a credential JWT (expected JWT, vc+jwt or vc-ld+jwt)`, profile };
  }
  let credential: Json;
  if (isJose) {
    credential = structuredClone(payload);
  } else if (isObject(payload.vc)) {
    credential = structuredClone(payload.vc);
  } else {
    return { credential: null, problem: 'the JWT has no vc claim holding the credential (and its typ is not vc+jwt)', profile };
  }
  const problem = foldClaims(credential, payload, isJose);
  return { credential, problem, profile };
}

/** Fills and compares each claim (only compares for VC-JOSE, whose payload already is the credential); the first disagreement. */
function foldClaims(credential: Json, payload: Json, compareOnly: boolean): string | null {
  const v2 = firstContext(credential) === VC_V2_CONTEXT;
  const [fromName, untilName] = v2 ? ['validFrom', 'validUntil'] : ['issuanceDate', 'expirationDate'];

  for (const claim of ['iss', 'jti', 'sub'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') return `the ${claim} claim is not a string`;
  }
  for (const claim of ['nbf', 'exp'] as const) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return `the ${claim} claim is not a NumericDate`;
  }
  const { iss, jti, sub, nbf, exp } = payload as { iss?: string; jti?: string; sub?: string; nbf?: number; exp?: number };

  if (iss !== undefined) {
    const issuerId = issuerIdOf(credential);
    if (credential.issuer === undefined && !compareOnly) credential.issuer = iss;
    else if (issuerId !== iss) return `iss ${iss} disagrees with the credential's issuer ${issuerId ?? '(none)'}`;
  }
  if (jti !== undefined) {
    if (credential.id === undefined && !compareOnly) credential.id = jti;
    else if (credential.id !== jti) return `jti ${jti} disagrees with the credential's id ${String(credential.id ?? '(none)')}`;
  }
  if (sub !== undefined) {
    const subject = credential.credentialSubject;
    if (!isObject(subject)) return `sub ${sub} is set but the credential has no single credentialSubject to carry it`;
    if (subject.id === undefined && !compareOnly) subject.id = sub;
    else if (subject.id !== sub) return `sub ${sub} disagrees with credentialSubject.id ${String(subject.id ?? '(none)')}`;
  }
  for (const [claim, seconds, property] of [['nbf', nbf, fromName], ['exp', exp, untilName]] as const) {
    if (seconds === undefined) continue;
    const stated = credential[property];
    if (stated === undefined && !compareOnly) {
      credential[property] = isoOfSeconds(seconds);
      continue;
    }
    // NumericDate has whole seconds; the credential's date may carry milliseconds.
    const statedSeconds = typeof stated === 'string' ? Math.floor(Date.parse(stated) / 1000) : Number.NaN;
    if (statedSeconds !== Math.floor(seconds)) {
      return `${claim} ${isoOfSeconds(seconds)} disagrees with the credential's ${property} ${String(stated ?? '(none)')}`;
    }
  }
  if (issuerIdOf(credential) === null) return 'neither the credential nor the iss claim names an issuer';
  return null;
}

interface SignatureOutcome {
  check: CheckReport;
  kid: string | null;
}

/**
 * The proof check: an accepted alg, a key found from kid/iss, the key fitting the alg, the key belonging to the issuer
 * (both `iss` and the credential's issuer), then the signature. compactVerify rather than jwtVerify: it checks the
 * same signature but not exp/nbf, so an expired credential reports a sound proof and the orchestrator says EXPIRED.
 */
async function checkSignature(
  compact: string,
  header: ProtectedHeaderParameters,
  issuer: { iss: string | undefined; issuerId: string | null },
  deps: VerifyCredentialJwtDeps,
): Promise<SignatureOutcome> {
  const kid = typeof header.kid === 'string' && header.kid.length > 0 ? header.kid : undefined;
  const alg = header.alg;
  if (alg === undefined || alg.toLowerCase() === 'none') return { check: failed('proof', 'alg none refused: the JWT is unsigned'), kid: kid ?? null };
  const keyType = KEY_TYPE_OF_ALGORITHM[alg];
  if (!keyType) {
    const why = /^HS/i.test(alg) ? ' (a shared secret proves nothing about who signed)' : '';
    return { check: failed('proof', `alg ${alg} refused${why}: only EdDSA, RS256 and ES256 are accepted`), kid: kid ?? null };
  }
  if (header.kid !== undefined && kid === undefined) return { check: failed('proof', 'the header kid is not a non-empty string'), kid: null };

  const lookup = await findJwtVerificationKey(kid, issuer.iss, deps);
  if (!lookup.found) return { check: failed('proof', lookup.reason), kid: kid ?? null };
  const found = lookup.key;
  const keyProblem = keyFitProblem(found.key, alg, found.kid);
  if (keyProblem) return { check: failed('proof', keyProblem), kid: found.kid };

  for (const issuerId of new Set([issuer.iss, issuer.issuerId])) {
    if (!issuerId) continue;
    const ownership = keyOwnershipProblem(found, issuerId);
    if (ownership) return { check: failed('proof', ownership), kid: found.kid };
  }
  try {
    await compactVerify(compact, found.key, { algorithms: [alg] });
  } catch (error) {
    const reason =
      error instanceof joseErrors.JWSSignatureVerificationFailed
        ? `the signature does not verify with key ${found.kid}: the JWT was altered or signed with another key`
        : `the JWS could not be verified with key ${found.kid}: ${error instanceof Error ? error.message : String(error)}`;
    return { check: failed('proof', reason), kid: found.kid };
  }
  return { check: { name: 'proof', passed: true, message: `${alg} signature verified with ${found.kid}, a key of the issuer` }, kid: found.kid };
}

function keyFitProblem(key: KeyObject, alg: string, kid: string): string | null {
  const wanted = KEY_TYPE_OF_ALGORITHM[alg]!;
  const details = key.asymmetricKeyDetails;
  const fits =
    key.asymmetricKeyType === wanted.type &&
    (wanted.curve === undefined || details?.namedCurve === wanted.curve) &&
    (wanted.type !== 'rsa' || (details?.modulusLength ?? 0) >= 2048);
  return fits ? null : `alg ${alg} needs ${wanted.description}, but key ${kid} is ${describeKey(key)}`;
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return `an RSA key of ${details?.modulusLength ?? '?'} bits`;
  if (key.asymmetricKeyType === 'ec') return `an EC key on ${details?.namedCurve ?? 'an unknown curve'}`;
  return `an ${key.asymmetricKeyType ?? 'unknown'} key`;
}

function issuerIdOf(credential: Json): string | null {
  const { issuer } = credential;
  const id = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer.id : undefined;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function firstContext(credential: Json): unknown {
  const context = credential['@context'];
  return Array.isArray(context) ? context[0] : context;
}

/** ISO 8601 without milliseconds, the form credentials use. */
function isoOfSeconds(seconds: number): string {
  const date = new Date(Math.floor(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace('.000Z', 'Z');
}

function failed(name: CheckReport['name'], message: string): CheckReport {
  return { name, passed: false, message };
}

function notChecked(why: string): CheckReport {
  return { name: 'proof', passed: false, message: `proof not checked: ${why}` };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
