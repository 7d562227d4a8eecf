import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * OB 3.0 IdentityHash: `sha256$` + hex(SHA-256(UTF-8(identifier ‖ salt))), as used in a hashed IdentityObject
 * (`credentialSubject.identifier[]`). Lets a credential name its recipient (e.g. by e-mail) without revealing who
 * it is to anyone who does not already know the identifier.
 */
const SHA256_PREFIX = 'sha256$';
/** Accepted when matching only: OB allows it and older issuers emit it. Never produced. */
const MD5_PREFIX = 'md5$';

/** The identity hash of `value` (e.g. an e-mail address) with `salt`; pass the exact string you will compare later. */
export function hashIdentity(value: string, salt: string): string {
  assertText(value, 'value');
  assertText(salt, 'salt');
  return SHA256_PREFIX + createHash('sha256').update(value + salt, 'utf8').digest('hex');
}

/**
 * A fresh random salt (128 bits, hex). Salting makes the hash useless for lookup tables: without it, anyone could
 * hash a list of known e-mail addresses and recognise recipients across credentials.
 */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Whether `identityHash` (`sha256$…` or `md5$…`, hex in either case) is the hash of `value` with `salt`.
 * Unknown algorithms and malformed hashes are simply not a match.
 */
export function identityMatches(identityHash: string, value: string, salt: string): boolean {
  assertText(value, 'value');
  assertText(salt, 'salt');
  if (typeof identityHash !== 'string') return false;
  const separator = identityHash.indexOf('$');
  const algorithm = identityHash.slice(0, separator + 1).toLowerCase();
  const expectedHex = identityHash.slice(separator + 1).toLowerCase();
  let digestAlgorithm: 'sha256' | 'md5';
  if (algorithm === SHA256_PREFIX) digestAlgorithm = 'sha256';
  else if (algorithm === MD5_PREFIX) digestAlgorithm = 'md5';
  else return false;
  const actual = createHash(digestAlgorithm).update(value + salt, 'utf8').digest();
  if (!/^[0-9a-f]*$/.test(expectedHex) || expectedHex.length !== actual.length * 2) return false;
  // Constant time, so response timing does not leak how much of a guessed identifier's hash matched.
  return timingSafeEqual(actual, Buffer.from(expectedHex, 'hex'));
}

function assertText(text: string, name: string): void {
  if (typeof text !== 'string') throw new TypeError(`${name} must be a string, got: ${typeof text}`);
}
