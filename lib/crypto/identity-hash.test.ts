import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashIdentity, identityMatches, newSalt } from './identity-hash.js';

const CHECK_VALUE = 'sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399';

describe('hashIdentity', () => {
  it('matches the OB 3.0 check value for a@example.com salted with Kosher', () => {
    expect(hashIdentity('a@example.com', 'Kosher')).toBe(CHECK_VALUE);
  });

  it('hashes the UTF-8 bytes of value followed by salt', () => {
    const expected = createHash('sha256').update(Buffer.from('zoë@example.com🌱', 'utf8')).digest('hex');
    expect(hashIdentity('zoë@example.com', '🌱')).toBe(`sha256$${expected}`);
  });

  it('throws TypeError for a non-string value or salt', () => {
    expect(() => hashIdentity(undefined as unknown as string, 'salt')).toThrow(TypeError);
    expect(() => hashIdentity('a@example.com', 42 as unknown as string)).toThrow(TypeError);
  });
});

describe('newSalt', () => {
  it('returns 128 random bits as hex, different every time', () => {
    const salts = new Set(Array.from({ length: 50 }, newSalt));
    expect(salts.size).toBe(50);
    for (const salt of salts) expect(salt).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('identityMatches', () => {
  it('accepts the right value and salt', () => {
    expect(identityMatches(CHECK_VALUE, 'a@example.com', 'Kosher')).toBe(true);
  });

  it('rejects another value, another salt, or a truncated hash', () => {
    expect(identityMatches(CHECK_VALUE, 'b@example.com', 'Kosher')).toBe(false);
    expect(identityMatches(CHECK_VALUE, 'a@example.com', 'kosher')).toBe(false);
    expect(identityMatches(CHECK_VALUE.slice(0, -2), 'a@example.com', 'Kosher')).toBe(false);
  });

  it('accepts upper-case hex and the legacy md5$ form', () => {
    expect(identityMatches(CHECK_VALUE.toUpperCase().replace('SHA256$', 'sha256$'), 'a@example.com', 'Kosher')).toBe(true);
    const md5 = createHash('md5').update('a@example.comKosher').digest('hex');
    expect(identityMatches(`md5$${md5}`, 'a@example.com', 'Kosher')).toBe(true);
    expect(identityMatches(`md5$${md5}`, 'a@example.com', 'Pepper')).toBe(false);
  });

  it('is no match for unknown algorithms or garbage', () => {
    const sha1 = createHash('sha1').update('a@example.comKosher').digest('hex');
    expect(identityMatches(`sha1$${sha1}`, 'a@example.com', 'Kosher')).toBe(false);
    expect(identityMatches('a@example.com', 'a@example.com', 'Kosher')).toBe(false);
    expect(identityMatches(`sha256$${'zz'.repeat(32)}`, 'a@example.com', 'Kosher')).toBe(false);
    expect(identityMatches(undefined as unknown as string, 'a@example.com', 'Kosher')).toBe(false);
  });
});
