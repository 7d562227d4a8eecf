import { describe, expect, test } from 'vitest';
import { codeOf, thrownBy } from '../../../test/helpers/errors.js';
import {
  assertCodeAllowed,
  checkCode,
  CODE_LIFETIME_MS,
  deriveCodeKey,
  generateCode,
  hashCode,
  MAX_CODE_ATTEMPTS,
  MAX_CODES_PER_WINDOW,
  normaliseCode,
  type StoredCode,
} from './email-code.js';

const key = deriveCodeKey('m'.repeat(40));
const now = new Date('2030-01-01T12:00:00Z');
const stored = (code: string, changes: Partial<StoredCode> = {}): StoredCode => ({
  id: '0190a0a0-0000-7000-8000-0000000000c1',
  codeHash: hashCode(key, '0190a0a0-0000-7000-8000-0000000000c1', code),
  expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
  attempts: 0,
  consumedAt: null,
  ...changes,
});

describe('one-time e-mail codes', () => {
  test('a code is six digits, leading zeros included', () => {
    for (let i = 0; i < 200; i++) expect(generateCode()).toMatch(/^[0-9]{6}$/);
  });

  test('only a keyed hash is stored: it differs per row and per master key, and never contains the code', () => {
    const hash = hashCode(key, 'row-1', '123456');
    expect(hash).not.toContain('123456');
    expect(hashCode(key, 'row-2', '123456')).not.toBe(hash);
    expect(hashCode(deriveCodeKey('n'.repeat(40)), 'row-1', '123456')).not.toBe(hash);
  });

  test('the right code is accepted, typed with spaces or dashes too', () => {
    expect(checkCode(key, stored('042917'), '042917', now)).toBe('ACCEPTED');
    expect(checkCode(key, stored('042917'), ' 042 917', now)).toBe('ACCEPTED');
    expect(checkCode(key, stored('042917'), '042-917', now)).toBe('ACCEPTED');
    expect(normaliseCode('12345')).toBeNull();
  });

  test('a wrong or malformed guess is WRONG (and costs an attempt)', () => {
    expect(checkCode(key, stored('042917'), '042918', now)).toBe('WRONG');
    expect(checkCode(key, stored('042917'), 'abc', now)).toBe('WRONG');
  });

  test('a code expires after 10 minutes', () => {
    const code = stored('042917');
    expect(checkCode(key, code, '042917', new Date(now.getTime() + CODE_LIFETIME_MS - 1))).toBe('ACCEPTED');
    expect(checkCode(key, code, '042917', new Date(now.getTime() + CODE_LIFETIME_MS))).toBe('EXPIRED');
  });

  test('after 5 wrong guesses even the right code is refused', () => {
    expect(checkCode(key, stored('042917', { attempts: MAX_CODE_ATTEMPTS - 1 }), '042917', now)).toBe('ACCEPTED');
    expect(checkCode(key, stored('042917', { attempts: MAX_CODE_ATTEMPTS }), '042917', now)).toBe('TOO_MANY_ATTEMPTS');
  });

  test('a code works once', () => {
    expect(checkCode(key, stored('042917', { consumedAt: now }), '042917', now)).toBe('USED');
  });

  test('without any code the answer is NONE', () => {
    expect(checkCode(key, null, '042917', now)).toBe('NONE');
  });
});

describe('rate limit per address', () => {
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  test('up to 5 codes an hour are allowed', () => {
    expect(codeOf(() => assertCodeAllowed([1, 2, 3, 4].map(minutesAgo), now))).toBeUndefined();
  });

  test('the 6th within the hour is TOO_MANY_REQUESTS, saying when to retry', () => {
    const times = [50, 40, 30, 20, 10].map(minutesAgo);
    expect(times).toHaveLength(MAX_CODES_PER_WINDOW);
    const error = thrownBy(() => assertCodeAllowed(times, now));
    expect(error?.code).toBe('TOO_MANY_REQUESTS');
    expect(error?.details.retryAfterSeconds).toBe(10 * 60);
  });

  test('codes older than the hour no longer count', () => {
    expect(codeOf(() => assertCodeAllowed([90, 80, 70, 30, 20].map(minutesAgo), now))).toBeUndefined();
  });
});
