/**
 * base58btc multibase (`z…`) and the Ed25519 Multikey encoding used by did:key and `publicKeyMultibase`:
 * `z` + base58btc(0xed 0x01 ‖ 32-byte raw public key), which always starts with `z6Mk`.
 * Written out here because the packages that implement it are transitive dependencies, not ours to import.
 */

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_INDEX = new Map([...BASE58_ALPHABET].map((char, index) => [char, index]));

/** The multicodec varint for `ed25519-pub` (0xed), as the two bytes that prefix the raw key. */
const ED25519_PUB_MULTICODEC = Uint8Array.of(0xed, 0x01);
const ED25519_PUBLIC_KEY_LENGTH = 32;

/** base58btc (Bitcoin alphabet) of arbitrary bytes; leading zero bytes become leading `1`s. */
export function base58btcEncode(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] as number) << 8;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let leadingZeros = '';
  for (const byte of bytes) {
    if (byte !== 0) break;
    leadingZeros += '1';
  }
  return leadingZeros + digits.reverse().map((digit) => BASE58_ALPHABET[digit]).join('');
}

/** Inverse of {@link base58btcEncode}; throws on a character outside the alphabet. */
export function base58btcDecode(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const value = BASE58_INDEX.get(char);
    if (value === undefined) throw new TypeError(`not base58btc: unexpected character "${char}"`);
    let carry = value;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] as number) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  let leadingZeros = 0;
  for (const char of text) {
    if (char !== '1') break;
    leadingZeros++;
  }
  return Uint8Array.from([...new Array<number>(leadingZeros).fill(0), ...bytes.reverse()]);
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
