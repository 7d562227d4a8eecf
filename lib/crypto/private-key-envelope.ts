import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt } from 'node:crypto';

/**
 * Envelope encryption for private keys at rest.
 *
 * Each private key gets its own random 256-bit data key; the data key encrypts the private key and the master key
 * encrypts (wraps) the data key, both with AES-256-GCM and fresh random 96-bit IVs. The master key thus only ever
 * encrypts 32 random bytes per envelope (far from GCM's per-key limits), and moving to a KMS later means re-wrapping
 * data keys, not re-encrypting payloads.
 *
 * Format (one ASCII string, base64url segments):
 *   `cairn-pk1.<masterKeyId>.<wrapIv>.<wrappedDataKey>.<wrapTag>.<iv>.<ciphertext>.<tag>`
 * `masterKeyId` is a short HMAC of the master key, so decrypting with the wrong master key says so instead of
 * looking like tampering. Every earlier segment is authenticated (as GCM associated data) by each later layer.
 */
const FORMAT_V1 = 'cairn-pk1';
const SEGMENTS_V1 = 8;
const MASTER_KEY_LENGTH = 32;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const MASTER_KEY_ID_LENGTH = 8;

/**
 * Salt for {@link deriveMasterKey}. Fixed on purpose: the master key must be re-derivable from the configured
 * secret alone, with nothing else stored. It separates Cairn's derivation from any other use of the same secret.
 */
const MASTER_KEY_SALT = 'cairn/private-key-master-key/v1';
/** scrypt cost: 2^15 × r=8 ≈ 32 MiB and ~0.1 s, paid once per process (callers derive once and keep the key). */
const SCRYPT_OPTIONS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const MIN_SECRET_LENGTH = 32;

/** Decrypting failed: the text is not an envelope, was made with another master key, or was modified. */
export class PrivateKeyDecryptionError extends Error {
  constructor(
    readonly reason: 'malformed' | 'unsupported-version' | 'wrong-master-key' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'PrivateKeyDecryptionError';
  }
}

/**
 * Derives the 32-byte master key from a secret given as text (an environment variable).
 *
 * scrypt rather than HKDF: HKDF is the right tool only when the input is already high-entropy, and nothing stops an
 * operator from configuring a memorable passphrase. With scrypt, an attacker holding a database dump must pay ~0.1 s
 * and 32 MiB per guess of the secret; for a properly random secret it costs nothing but a one-off 0.1 s at start.
 * @throws TypeError when `secret` is shorter than 32 characters.
 */
export async function deriveMasterKey(secret: string): Promise<Buffer> {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`the master key secret must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  }
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), MASTER_KEY_SALT, MASTER_KEY_LENGTH, SCRYPT_OPTIONS, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Encrypts a private key (e.g. PKCS#8 DER) under `masterKey`; returns the self-describing envelope string. */
export function encryptPrivateKey(masterKey: Buffer, plaintext: Uint8Array): string {
  assertMasterKey(masterKey);
  if (!(plaintext instanceof Uint8Array) || plaintext.length === 0) {
    throw new TypeError('plaintext must be non-empty bytes');
  }
  const header = `${FORMAT_V1}.${masterKeyId(masterKey)}`;
  const dataKey = randomBytes(MASTER_KEY_LENGTH);
  try {
    const wrap = gcmEncrypt(masterKey, dataKey, header);
    const wrappedHeader = `${header}.${wrap.join('.')}`;
    const payload = gcmEncrypt(dataKey, plaintext, wrappedHeader);
    return `${wrappedHeader}.${payload.join('.')}`;
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Decrypts an envelope made by {@link encryptPrivateKey}. The caller owns the returned secret bytes: import them
 * and overwrite them (`fill(0)`) as soon as possible.
 * @throws PrivateKeyDecryptionError when the envelope is malformed, from another master key, or modified.
 */
export function decryptPrivateKey(masterKey: Buffer, envelope: string): Buffer {
  assertMasterKey(masterKey);
  if (typeof envelope !== 'string') throw new TypeError('envelope must be the string encryptPrivateKey returned');
  const segments = envelope.split('.');
  if (segments[0] !== FORMAT_V1) {
    throw segments.length >= 2 && /^cairn-pk\d+$/.test(segments[0] ?? '')
      ? new PrivateKeyDecryptionError('unsupported-version', `unsupported encrypted private key version "${segments[0]}"`)
      : new PrivateKeyDecryptionError('malformed', `not an encrypted private key (expected the "${FORMAT_V1}." prefix)`);
  }
  if (segments.length !== SEGMENTS_V1 || !segments.every((segment) => /^[A-Za-z0-9_-]+$/.test(segment))) {
    throw new PrivateKeyDecryptionError('malformed', `malformed encrypted private key: expected ${SEGMENTS_V1} base64url segments`);
  }
  // Defaults only satisfy the type checker: the length check above guarantees every segment.
  const [format = '', keyId = '', wrapIv = '', wrappedKey = '', wrapTag = '', iv = '', ciphertext = '', tag = ''] = segments;
  const expectedKeyId = masterKeyId(masterKey);
  if (keyId !== expectedKeyId) {
    throw new PrivateKeyDecryptionError(
      'wrong-master-key',
      `the private key was encrypted under another master key (id ${keyId}; the configured master key has id ${expectedKeyId})`,
    );
  }
  const header = `${format}.${keyId}`;
  const dataKey = gcmDecrypt(masterKey, [wrapIv, wrappedKey, wrapTag], header);
  try {
    return gcmDecrypt(dataKey, [iv, ciphertext, tag], `${header}.${wrapIv}.${wrappedKey}.${wrapTag}`);
  } finally {
    dataKey.fill(0);
  }
}

/** A non-secret fingerprint of the master key (8 bytes of an HMAC): tells "wrong key" apart from "tampered". */
function masterKeyId(masterKey: Buffer): string {
  return createHmac('sha256', masterKey)
    .update('cairn/master-key-id/v1')
    .digest()
    .subarray(0, MASTER_KEY_ID_LENGTH)
    .toString('base64url');
}

/** AES-256-GCM with a random IV; returns [iv, ciphertext, tag] as base64url. */
function gcmEncrypt(key: Buffer, plaintext: Uint8Array, associatedData: string): [string, string, string] {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(associatedData, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')];
}

function gcmDecrypt(key: Buffer, [iv, ciphertext, tag]: [string, string, string], associatedData: string): Buffer {
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_LENGTH || tagBytes.length !== TAG_LENGTH) {
    throw new PrivateKeyDecryptionError('malformed', 'malformed encrypted private key: bad IV or tag length');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_LENGTH });
  decipher.setAAD(Buffer.from(associatedData, 'ascii'));
  decipher.setAuthTag(tagBytes);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch {
    throw new PrivateKeyDecryptionError(
      'tampered',
      'the encrypted private key failed authentication: it was modified or corrupted',
    );
  }
}

function assertMasterKey(masterKey: Buffer): void {
  if (!Buffer.isBuffer(masterKey) || masterKey.length !== MASTER_KEY_LENGTH) {
    throw new TypeError(`masterKey must be a Buffer of ${MASTER_KEY_LENGTH} bytes (see deriveMasterKey)`);
  }
}
