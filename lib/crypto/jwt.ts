import { createPrivateKey, createPublicKey, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT, type JWTPayload } from 'jose';

const generateKeyPairAsync = promisify(generateKeyPair);

/** JOSE algorithms Cairn signs VC-JWTs with: RS256 is 1EdTech's required minimum, EdDSA reuses the Ed25519 key. */
export type CredentialJwtAlgorithm = 'EdDSA' | 'RS256';

/** Options for {@link signCredentialJwt}. */
export interface SignCredentialJwtOptions {
  /** The credential to carry in the `vc` claim (with or without an embedded proof: sign the LD proof first). */
  credential: Record<string, unknown>;
  /** JOSE `kid`: a dereferenceable URL of the public key (JWK or verification method). */
  kid: string;
  /** Ed25519 private KeyObject for EdDSA, RSA (≥ 2048 bits) for RS256. */
  privateKey: KeyObject;
  alg: CredentialJwtAlgorithm;
  /** The `iat` claim. @default new Date() */
  now?: Date;
}

/** An RSA key for RS256 VC-JWTs, in the forms Cairn stores and publishes. */
export interface RsaSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 DER of the private key. Secret: store it only through `encryptPrivateKey`. */
  privateKeyPkcs8: Buffer;
  /** The public key as a JWK (`kty`, `n`, `e`, `alg`, `use`) for the URL the JWT `kid` points at. */
  publicKeyJwk: JsonWebKey;
}

/**
 * Signs a credential as a VC-JWT (OB 3.0 "external proof"): header `{ alg, kid, typ: 'JWT' }`; claims
 * `iss` = issuer id, `jti` = credential id, `nbf` = validFrom, `exp` = validUntil (when present),
 * `sub` = credentialSubject.id (when present), `iat` = now, and the credential itself in `vc`.
 * Returns the compact JWS, which is what a `.jwt` file or `compactJwsString` carries.
 * @throws TypeError on misuse: a key that does not fit `alg`, or a credential without issuer, id or validFrom.
 */
export async function signCredentialJwt(options: SignCredentialJwtOptions): Promise<string> {
  const { credential, kid, privateKey, alg, now = new Date() } = options;
  assertKeyFitsAlgorithm(privateKey, alg);
  if (typeof kid !== 'string' || kid.length === 0) throw new TypeError('kid must be the URL of the public key');
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError(`now must be a valid Date, got: ${String(now)}`);
  if (!credential || typeof credential !== 'object') throw new TypeError('credential must be a JSON object');

  const payload: JWTPayload = {
    iss: issuerIdOf(credential),
    jti: requiredString(credential, 'id'),
    sub: subjectIdOf(credential),
    nbf: epochSeconds(credential, 'validFrom'),
    exp: credential.validUntil === undefined ? undefined : epochSeconds(credential, 'validUntil'),
    iat: Math.floor(now.getTime() / 1000),
    // A JSON round trip, so the claim is exactly the credential's JSON (no Dates, no undefined values).
    vc: JSON.parse(JSON.stringify(credential)) as Record<string, unknown>,
  };
  for (const claim of ['sub', 'exp'] as const) if (payload[claim] === undefined) delete payload[claim];

  return new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(privateKey);
}

/** Generates an RSA key pair for RS256 VC-JWTs (async: RSA generation takes ~0.1–1 s). @default modulusLength 2048 */
export async function generateRsaSigningKey(options: { modulusLength?: 2048 | 3072 | 4096 } = {}): Promise<RsaSigningKey> {
  const { modulusLength = 2048 } = options;
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength, publicExponent: 0x10001 });
  return importRsaSigningKey(privateKey.export({ format: 'der', type: 'pkcs8' }));
}

/** Imports a stored RSA private key (PKCS#8 DER) once, with its public key and public JWK. */
export function importRsaSigningKey(privateKeyPkcs8: Uint8Array): RsaSigningKey {
  if (!(privateKeyPkcs8 instanceof Uint8Array)) throw new TypeError('privateKeyPkcs8 must be the PKCS#8 DER bytes');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: bytesView(privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new TypeError('privateKeyPkcs8 is not a valid PKCS#8 DER private key', { cause: error });
  }
  assertKeyFitsAlgorithm(privateKey, 'RS256');
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    privateKeyPkcs8: Buffer.from(privateKeyPkcs8),
    publicKeyJwk: { ...publicKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig' },
  };
}

function assertKeyFitsAlgorithm(key: KeyObject, alg: CredentialJwtAlgorithm): void {
  if (!key || typeof key !== 'object' || key.type !== 'private') {
    throw new TypeError('privateKey must be a private KeyObject');
  }
  if (alg === 'EdDSA') {
    if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`EdDSA needs an Ed25519 key, got: ${key.asymmetricKeyType}`);
  } else if (alg === 'RS256') {
    if (key.asymmetricKeyType !== 'rsa') throw new TypeError(`RS256 needs an RSA key, got: ${key.asymmetricKeyType}`);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new TypeError(`RS256 needs an RSA key of at least 2048 bits, got: ${bits}`);
  } else {
    throw new TypeError(`alg must be 'EdDSA' or 'RS256', got: ${String(alg)}`);
  }
}

function issuerIdOf(credential: Record<string, unknown>): string {
  const { issuer } = credential;
  const id = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('credential.issuer (or issuer.id) is required for iss');
  return id;
}

/** `sub` only for a single subject with an id: OB subjects identified by a hashed identifier have none. */
function subjectIdOf(credential: Record<string, unknown>): string | undefined {
  const subject = credential.credentialSubject;
  if (!subject || typeof subject !== 'object' || Array.isArray(subject)) return undefined;
  const { id } = subject as { id?: unknown };
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function requiredString(credential: Record<string, unknown>, property: string): string {
  const value = credential[property];
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`credential.${property} is required`);
  return value;
}

function epochSeconds(credential: Record<string, unknown>, property: string): number {
  const text = requiredString(credential, property);
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) throw new TypeError(`credential.${property} is not a date: ${text}`);
  return Math.floor(millis / 1000);
}

/** A Buffer over the same memory (no copy), so a caller that zeroes its secret bytes leaves no stray copy behind. */
function bytesView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
