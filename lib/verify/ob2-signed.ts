import { compactVerify, errors as joseErrors, importSPKI } from 'jose';
import type { SafeFetch } from '../net/types.js';
import { asArray, idOf, isObject, linkedDocument, stringOrNull, type Json, type Ob2Evidence } from './ob2-documents.js';

/**
 * OB 2.0 signed verification (ob_v2p0 "Signed verification"): a compact JWS whose payload is the assertion, signed
 * with a CryptographicKey the issuer owns (`owner` = issuer id, listed in the issuer Profile's `publicKey`), and
 * not on the issuer's RevocationList. The JWS payload is only trusted once the signature verifies.
 */

/** RS256 is what OB 2.0 recommends; ES256 and EdDSA appear in newer tools. Never none or HS*. */
const SIGNED_BADGE_ALGORITHMS = new Set(['RS256', 'ES256', 'EdDSA']);

/** A signed assertion as decoded from its JWS, before anything about it is trusted. */
export interface DecodedSignedAssertion {
  jws: string;
  alg: unknown;
  assertion: Json;
}

/** Verifies a signed assertion's signature and key ownership, then its revocation list. */
export async function verifySignedAssertion(signed: DecodedSignedAssertion, fetch: SafeFetch): Promise<Ob2Evidence> {
  const { jws, alg, assertion } = signed;
  const unchecked: Ob2Evidence['status'] = { passed: false, message: 'status not checked: the signature was not verified' };
  const failure = (message: string, badge: Json | null = null, issuer: Json | null = null): Ob2Evidence => ({
    assertion,
    badge,
    issuer,
    proof: { passed: false, message },
    status: unchecked,
  });

  if (typeof alg !== 'string' || !SIGNED_BADGE_ALGORITHMS.has(alg)) {
    return failure(`alg ${String(alg)} refused: a signed badge must use RS256, ES256 or EdDSA`);
  }
  const badge = await linkedDocument(fetch, assertion.badge, 'BadgeClass');
  if (!badge.ok) return failure(badge.reason);
  const issuer = await linkedDocument(fetch, badge.document.issuer, 'issuer Profile');
  if (!issuer.ok) return failure(issuer.reason, badge.document);
  const issuerId = idOf(badge.document.issuer) ?? idOf(issuer.document);
  if (!issuerId) return failure('the issuer Profile has no id, so no key can be shown to belong to it', badge.document, issuer.document);

  const listedKeys = asArray(issuer.document.publicKey).map(idOf).filter((id): id is string => id !== null);
  const verification = isObject(assertion.verification) ? assertion.verification : {};
  // Without `creator`, the issuer's only listed key is the one; with several, guessing would be trying keys until one fits.
  const creator = stringOrNull(verification.creator) ?? (listedKeys.length === 1 ? listedKeys[0]! : null);
  if (!creator) {
    return failure(`the assertion names no verification.creator and the issuer ${issuerId} lists ${listedKeys.length} public keys`, badge.document, issuer.document);
  }
  if (listedKeys.length > 0 && !listedKeys.includes(creator)) {
    return failure(`the signing key ${creator} is not among the public keys of the issuer ${issuerId}`, badge.document, issuer.document);
  }
  const embeddedKey = asArray(issuer.document.publicKey).find((entry) => isObject(entry) && entry.id === creator);
  const keyDocument = await linkedDocument(fetch, embeddedKey ?? creator, 'CryptographicKey');
  if (!keyDocument.ok) return failure(keyDocument.reason, badge.document, issuer.document);
  // A key embedded in the issuer's own Profile is the issuer's even when it does not repeat the owner.
  const owner = idOf(keyDocument.document.owner) ?? (embeddedKey ? issuerId : null);
  if (owner !== issuerId) {
    return failure(`the key ${creator} is owned by ${owner ?? '(no owner)'}, not by the issuer ${issuerId}`, badge.document, issuer.document);
  }
  const signatureProblem = await signatureProblemOf(jws, alg, creator, keyDocument.document.publicKeyPem);
  if (signatureProblem) return failure(signatureProblem, badge.document, issuer.document);

  return {
    assertion,
    badge: badge.document,
    issuer: issuer.document,
    proof: { passed: true, message: `${alg} signature verified with ${creator}, a key of the issuer ${issuerId}` },
    status: await revocationStatus(fetch, issuer.document, assertion),
  };
}

async function signatureProblemOf(jws: string, alg: string, keyId: string, publicKeyPem: unknown): Promise<string | null> {
  if (typeof publicKeyPem !== 'string') return `the key ${keyId} has no publicKeyPem`;
  let key: Awaited<ReturnType<typeof importSPKI>>;
  try {
    key = await importSPKI(publicKeyPem.trim(), alg);
  } catch (error) {
    return `the publicKeyPem of ${keyId} is not a ${alg} public key: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
    return null;
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return `the signature does not verify with key ${keyId}: the assertion was altered or signed with another key`;
    }
    return `the JWS could not be verified with key ${keyId}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The issuer's RevocationList, whose `revokedAssertions` lists ids, or objects with `id` (or `uid`, OB 1.x) and a
 * reason. A list that cannot be read leaves the status unknown rather than valid: an attacker who can block the
 * list must not thereby make a revoked badge look good.
 */
async function revocationStatus(fetch: SafeFetch, issuer: Json, assertion: Json): Promise<Ob2Evidence['status']> {
  if (issuer.revocationList === undefined) return { passed: true, message: 'the issuer publishes no revocation list' };
  const list = await linkedDocument(fetch, issuer.revocationList, 'revocation list');
  if (!list.ok) return { passed: false, verdict: 'STATUS_UNKNOWN', message: `revocation status unknown: ${list.reason}` };
  const where = list.url ?? 'embedded in the issuer Profile';
  const entries = list.document.revokedAssertions;
  if (!Array.isArray(entries)) {
    return { passed: false, verdict: 'STATUS_UNKNOWN', message: `revocation status unknown: the revocation list ${where} has no revokedAssertions array` };
  }
  const id = stringOrNull(assertion.id);
  const uid = stringOrNull(assertion.uid);
  const entry = entries.find(
    (candidate) => (id !== null && candidate === id) || (isObject(candidate) && ((id !== null && candidate.id === id) || (uid !== null && candidate.uid === uid))),
  );
  if (entry === undefined) return { passed: true, message: `not on the issuer's revocation list ${where}` };
  const reason = isObject(entry) && typeof entry.revocationReason === 'string' ? `: ${entry.revocationReason}` : '';
  return { passed: false, verdict: 'REVOKED', message: `revoked: listed on the issuer's revocation list ${where}${reason}` };
}
