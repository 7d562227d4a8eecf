import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../lib/errors.js';

/** @default 6 digits: typed from a phone in seconds; 5 guesses per code leave a 1 in 200,000 chance */
export const CODE_DIGITS = 6;
/** @default 10 minutes: long enough to switch to the mail app, short enough that an old mail is worthless */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** @default 5 wrong guesses, then the code is dead and a new one must be asked for */
export const MAX_CODE_ATTEMPTS = 5;
/** @default 5 codes per address per window: a real person needs one or two; more is someone flooding the inbox */
export const MAX_CODES_PER_WINDOW = 5;
/** @default 1 hour */
export const CODE_WINDOW_MS = 60 * 60 * 1000;

/** A fresh code, uniformly random over all CODE_DIGITS-digit strings (leading zeros included). */
export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/**
 * The key that hashes codes, derived from the master key: a copy of the database alone does not let anyone try
 * the million possible codes offline, and the derivation keeps this use of the master key apart from others.
 */
export function deriveCodeKey(masterKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, 'cairn', 'recipients/email-codes/v1', 32));
}

/** HMAC over the code bound to its row, so a hash copied onto another row (or address) matches nothing. */
export function hashCode(key: Buffer, codeId: string, code: string): string {
  return createHmac('sha256', key).update(`${codeId}:${code}`).digest('base64url');
}

/** Codes are typed by people: spaces and dashes ("123 456", "123-456") are forgiven, anything else is not a code. */
export function normaliseCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, '');
  return new RegExp(`^[0-9]{${CODE_DIGITS}}$`).test(digits) ? digits : null;
}

export interface StoredCode {
  id: string;
  codeHash: string;
  expiresAt: Date;
  attempts: number;
  consumedAt: Date | null;
}

/** ACCEPTED uses the code up; WRONG costs one attempt; the others leave the row as it is. */
export type CodeCheck = 'ACCEPTED' | 'WRONG' | 'EXPIRED' | 'USED' | 'TOO_MANY_ATTEMPTS' | 'NONE';

/**
 * Decides a guess against the latest code. The comparison is constant-time over equal-length HMACs, so response
 * timing tells nothing about how close a guess was. A malformed guess still counts as an attempt.
 */
export function checkCode(key: Buffer, stored: StoredCode | null, guess: string, now = new Date()): CodeCheck {
  if (!stored) return 'NONE';
  if (stored.consumedAt) return 'USED';
  if (stored.attempts >= MAX_CODE_ATTEMPTS) return 'TOO_MANY_ATTEMPTS';
  if (stored.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  const normalised = normaliseCode(guess);
  const given = Buffer.from(hashCode(key, stored.id, normalised ?? 'not-a-code'));
  const expected = Buffer.from(stored.codeHash);
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  return matches && normalised !== null ? 'ACCEPTED' : 'WRONG';
}

/**
 * One message for every failure: telling "expired" from "wrong" from "no code was ever sent" would let a
 * stranger learn whether an address has asked to sign in.
 */
export function codeRefused(code: 'UNAUTHENTICATED' | 'BAD_USER_INPUT'): AppError {
  return new AppError(code, 'The code is wrong, used or expired: ask for a new one if needed', { field: 'code' });
}

/** TOO_MANY_REQUESTS once an address has had its codes for the window; says when to try again. */
export function assertCodeAllowed(recentCodeTimes: readonly Date[], now = new Date()): void {
  const windowStart = now.getTime() - CODE_WINDOW_MS;
  const recent = recentCodeTimes.filter((time) => time.getTime() > windowStart).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < MAX_CODES_PER_WINDOW) return;
  const retryAfterSeconds = Math.ceil((recent[recent.length - MAX_CODES_PER_WINDOW]!.getTime() - windowStart) / 1000);
  throw new AppError('TOO_MANY_REQUESTS', 'Too many codes were sent to this address: try again later', { retryAfterSeconds });
}
