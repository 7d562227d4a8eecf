/**
 * base58btc multibase (`z…`) and the Ed25519 Multikey encoding used by did:key and `publicKeyMultibase`:
 * `z` + base58btc(0xed 0x01 ‖ 32-byte raw public key), which always starts with `z6Mk`. The base58 codec is
 * base58-universal, the one @digitalbazaar/ed25519-multikey itself uses (see docs/decisions.md).
 */
import { decode as base58Decode, encode as base58Encode } from 'base58-universal';

/** A character outside the Bitcoin alphabet (base58-universal would skip whitespace; no multibase value has any). */
const NOT_BASE58BTC = /[^1-9A-HJ-NP-Za-km-z]/;

/** The multicodec varint for `ed25519-pub` (0xed), as the two bytes that prefix the raw key. */
const ED25519_PUB_MULTICODEC = Uint8Array.of(0xed, 0x01);
const ED25519_PUBLIC_KEY_LENGTH = 32;

/** base58btc (Bitcoin alphabet) of arbitrary bytes; leading zero bytes become leading `1`s. */
export function base58btcEncode(bytes: Uint8Array): string {
  return base58Encode(bytes);
}

/** Inverse of {@link base58btcEncode}; throws on a character outside the alphabet. */
export function base58btcDecode(text: string): Uint8Array {
  const outside = NOT_BASE58BTC.exec(text);
  if (outside) throw new TypeError(`not base58btc: unexpected character "${outside[0]}"`);
  return base58Decode(text) as Uint8Array; // undefined only for a character outside the alphabet, excluded above

}

/** `publicKeyMultibase` (`z6Mk…`) for a raw 32-byte Ed25519 public key. */
export function ed25519PublicKeyToMultibase(rawPublicKey: Uint8Array): string {
  if (rawPublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
    throw new TypeError(`an Ed25519 public key has ${ED25519_PUBLIC_KEY_LENGTH} bytes, got ${rawPublicKey.length}`);
  }
  const prefixed = new Uint8Array(ED25519_PUB_MULTICODEC.length + ED25519_PUBLIC_KEY_LENGTH);
  prefixed.set(ED25519_PUB_MULTICODEC);
  prefixed.set(rawPublicKey, ED25519_PUB_MULTICODEC.length);
  return `z${base58btcEncode(prefixed)}`;
}

/** The raw 32-byte Ed25519 public key inside a `z6Mk…` multibase; TypeError for anything else. */
export function ed25519PublicKeyFromMultibase(publicKeyMultibase: string): Uint8Array {
  if (typeof publicKeyMultibase !== 'string' || !publicKeyMultibase.startsWith('z6Mk')) {
    throw new TypeError(`expected an Ed25519 publicKeyMultibase starting with "z6Mk", got: ${String(publicKeyMultibase)}`);
  }
  const bytes = base58btcDecode(publicKeyMultibase.slice(1));
  if (
    bytes.length !== ED25519_PUB_MULTICODEC.length + ED25519_PUBLIC_KEY_LENGTH ||
    bytes[0] !== ED25519_PUB_MULTICODEC[0] ||
    bytes[1] !== ED25519_PUB_MULTICODEC[1]
  ) {
    throw new TypeError(`not an ed25519-pub multikey (0xed01 + 32 bytes): ${publicKeyMultibase}`);
  }
  return bytes.subarray(ED25519_PUB_MULTICODEC.length);
}

/** Bytes of a multibase value in base58btc (`z…`) or base64url (`u…`), or null for another base or a malformed value. */
export function decodeMultibase(value: string): Uint8Array | null {
  try {
    if (value.startsWith('z')) return base58btcDecode(value.slice(1));
    if (value.startsWith('u') && /^[A-Za-z0-9_-]*$/.test(value.slice(1))) return new Uint8Array(Buffer.from(value.slice(1), 'base64url'));
  } catch {
    return null;
  }
  return null;
}
