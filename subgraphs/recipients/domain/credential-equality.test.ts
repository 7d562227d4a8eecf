import { describe, expect, test } from 'vitest';
import { decideImport, equalityUri } from './credential-equality.js';

const at = (iso: string) => ({ validFrom: new Date(iso) });

describe('the OB 3.0 equality rule', () => {
  test('ids compare trimmed and percent-unescaped; a stray % is compared as written', () => {
    expect(equalityUri('  https://example.edu/issuers/565049 ')).toBe('https://example.edu/issuers/565049');
    expect(equalityUri('https://example.edu/badge%201')).toBe(equalityUri('https://example.edu/badge 1'));
    expect(equalityUri('urn:x:100%')).toBe('urn:x:100%');
    expect(equalityUri('  ')).toBeNull();
    expect(equalityUri(null)).toBeNull();
  });

  test('nothing equal held: the credential is new', () => {
    expect(decideImport(null, at('2010-01-01T00:00:00Z'))).toBe('NEW');
  });

  test('the spec example pair: credential C (validFrom March) replaces credential A (January), and A after C is a duplicate', () => {
    expect(decideImport(at('2010-01-01T00:00:00Z'), at('2010-03-01T00:00:00Z'))).toBe('REPLACE');
    expect(decideImport(at('2010-03-01T00:00:00Z'), at('2010-01-01T00:00:00Z'))).toBe('DUPLICATE');
  });

  test('the same validFrom again is a duplicate, not a replacement', () => {
    expect(decideImport(at('2010-01-01T00:00:00Z'), at('2010-01-01T00:00:00.000Z'))).toBe('DUPLICATE');
  });

  test('an undated copy never displaces a dated one; a dated one replaces an undated one', () => {
    expect(decideImport(at('2010-01-01T00:00:00Z'), { validFrom: null })).toBe('DUPLICATE');
    expect(decideImport({ validFrom: null }, at('2010-01-01T00:00:00Z'))).toBe('REPLACE');
    expect(decideImport({ validFrom: null }, { validFrom: null })).toBe('DUPLICATE');
  });
});
