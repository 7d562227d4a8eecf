import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ed25519PublicKeyFromMultibase, ed25519PublicKeyToMultibase } from './multibase.js';
import { decryptPrivateKey } from './private-key-envelope.js';

export { decryptPrivateKey, deriveMasterKey, encryptPrivateKey, PrivateKeyDecryptionError } from './private-key-envelope.js';

/** A freshly generated Ed25519 signing key, in the forms Cairn stores. */
export interface GeneratedSigningKey {
  /** The public key as a Multikey (`z6Mk…`): goes into DID documents and verification methods. */
  publicKeyMultibase: string;
  /** The private key as PKCS#8 DER. Secret: encrypt it with {@link encryptPrivateKey} before it leaves memory. */
  privateKeyPkcs8: Buffer;
}

/** An Ed25519 key pair imported into Node, ready to sign without re-parsing DER on every call. */
export interface ImportedSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyMultibase: string;
}

/** A did:key DID and the id of its (only) verification method, `did:key:z6Mk…#z6Mk…`. */
export interface DidKey {
  did: string;
  verificationMethod: string;
}

/** Generates a random Ed25519 key pair for Data Integrity (eddsa-rdfc-2022) and EdDSA JWT signing. */
export function generateSigningKey(): GeneratedSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyMultibase: publicKeyToMultibase(publicKey),
    privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

/**
 * Imports a stored Ed25519 private key (PKCS#8 DER) once, so signing costs the signature alone (re-importing DER per
 * signature is ~10× slower and contends across worker threads). With `publicKeyMultibase`, also checks that the
 * private key belongs to it, which catches a key row paired with the wrong public key before anything is signed.
 */
export function importSigningKey(options: { privateKeyPkcs8: Uint8Array; publicKeyMultibase?: string }): ImportedSigningKey {
  const { privateKeyPkcs8, publicKeyMultibase } = options;
  if (!(privateKeyPkcs8 instanceof Uint8Array)) throw new TypeError('privateKeyPkcs8 must be the PKCS#8 DER bytes');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: bytesView(privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  } catch (error) {
    // Never echo the bytes: they are (or were meant to be) a private key.
    throw new TypeError('privateKeyPkcs8 is not a valid PKCS#8 DER private key', { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`privateKeyPkcs8 must hold an Ed25519 key, got: ${privateKey.asymmetricKeyType}`);
  }
  const publicKey = createPublicKey(privateKey);
  const actualMultibase = publicKeyToMultibase(publicKey);
  if (publicKeyMultibase !== undefined && publicKeyMultibase !== actualMultibase) {
    throw new Error(`the private key does not belong to public key ${publicKeyMultibase} (its public key is ${actualMultibase})`);
  }
  return { privateKey, publicKey, publicKeyMultibase: actualMultibase };
}

/**
 * Decrypts a stored key envelope (see `encryptPrivateKey`) and imports it in one step, overwriting the decrypted DER
 * bytes as soon as Node holds the key, so no plaintext copy outlives the call.
 * @throws PrivateKeyDecryptionError when the envelope is from another master key or was modified.
 */
export function importEncryptedSigningKey(options: {
  masterKey: Buffer;
  encryptedPrivateKey: string;
  publicKeyMultibase?: string;
}): ImportedSigningKey {
  const privateKeyPkcs8 = decryptPrivateKey(options.masterKey, options.encryptedPrivateKey);
  try {
    return importSigningKey({ privateKeyPkcs8, publicKeyMultibase: options.publicKeyMultibase });
  } finally {
    privateKeyPkcs8.fill(0);
  }
}

/** A Node public KeyObject for a `z6Mk…` Multikey, e.g. to verify EdDSA JWTs or to cache a verifier key. */
export function publicKeyFromMultibase(publicKeyMultibase: string): KeyObject {
  const raw = ed25519PublicKeyFromMultibase(publicKeyMultibase);
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** The did:key DID of an Ed25519 public key, and its verification method id (the key repeated as the fragment). */
export function didKeyFor(publicKeyMultibase: string): DidKey {
  ed25519PublicKeyFromMultibase(publicKeyMultibase); // validates: only Ed25519 Multikeys make did:key DIDs we resolve
  const did = `did:key:${publicKeyMultibase}`;
  return { did, verificationMethod: `${did}#${publicKeyMultibase}` };
}

function publicKeyToMultibase(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError('expected an Ed25519 public key');
  return ed25519PublicKeyToMultibase(Buffer.from(x, 'base64url'));
}

/** A Buffer over the same memory (no copy), so a caller that zeroes its secret bytes leaves no stray copy behind. */
function bytesView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
