import { describe, expect, test } from 'vitest';
import { AppError } from './errors.js';
import { IdentityType, MAX_IDENTITIES, normaliseIdentities, normaliseIdentity, type Identity } from './identity.js';

function rejection(run: () => unknown): { code: string; field: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { code: (error as AppError).code, field: (error as AppError).details.field };
  }
  return expect.unreachable('expected a rejection');
}

const email = (value: string): Identity => ({ type: IdentityType.EMAIL, value });

describe('identity normalisation', () => {
  test('an EMAIL is trimmed and lowercased, so every spelling of one address matches', () => {
    expect(normaliseIdentity(email('  Ada.Lovelace@Example.ORG '))).toEqual(email('ada.lovelace@example.org'));
  });

  test('an EMAIL must look like an e-mail address', () => {
    expect(rejection(() => normaliseIdentity(email('ada@localhost')))).toEqual({ code: 'BAD_USER_INPUT', field: 'value' });
    expect(rejection(() => normaliseIdentity(email('not an address')))).toEqual({ code: 'BAD_USER_INPUT', field: 'value' });
  });

  test('a DID keeps its case and must have a method and an id', () => {
    expect(normaliseIdentity({ type: IdentityType.DID, value: ' did:key:z6MkhaXgBZDvotDkL5257 ' }).value).toBe('did:key:z6MkhaXgBZDvotDkL5257');
    expect(normaliseIdentity({ type: IdentityType.DID, value: 'did:web:example.com:users:ada' }).value).toBe('did:web:example.com:users:ada');
    for (const value of ['did:', 'did:key', 'did:key:', 'DID:key:abc', 'did::abc', 'key:abc']) {
      expect(rejection(() => normaliseIdentity({ type: IdentityType.DID, value }))).toEqual({ code: 'BAD_USER_INPUT', field: 'value' });
    }
  });

  test('a URL must be an absolute http(s) URL and is stored in canonical form', () => {
    expect(normaliseIdentity({ type: IdentityType.URL, value: 'HTTPS://Ada.Example' }).value).toBe('https://ada.example/');
    expect(rejection(() => normaliseIdentity({ type: IdentityType.URL, value: '/ada' })).field).toBe('value');
    expect(rejection(() => normaliseIdentity({ type: IdentityType.URL, value: 'mailto:ada@example.org' })).field).toBe('value');
  });

  test('a PHONE loses spaces and dashes and must be E.164 with 8–15 digits', () => {
    expect(normaliseIdentity({ type: IdentityType.PHONE, value: '+49 151-1234 5678' }).value).toBe('+4915112345678');
    for (const value of ['015112345678', '+1234567', '+1234567890123456', '+49 (151) 12345678']) {
      expect(rejection(() => normaliseIdentity({ type: IdentityType.PHONE, value })).code).toBe('BAD_USER_INPUT');
    }
  });

  test('STUDENT_ID and OTHER are trimmed, non-empty and at most 200 characters', () => {
    expect(normaliseIdentity({ type: IdentityType.STUDENT_ID, value: '  S-0042 ' }).value).toBe('S-0042');
    expect(normaliseIdentity({ type: IdentityType.OTHER, value: 'x'.repeat(200) }).value).toHaveLength(200);
    expect(rejection(() => normaliseIdentity({ type: IdentityType.OTHER, value: 'x'.repeat(201) })).field).toBe('value');
  });

  test('an empty value is rejected whatever the type', () => {
    for (const type of Object.values(IdentityType)) {
      expect(rejection(() => normaliseIdentity({ type, value: '   ' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'value' });
    }
  });
});

describe('a recipient’s identities', () => {
  test('duplicates within one input are removed after normalisation', () => {
    expect(normaliseIdentities([email('ada@example.org'), email(' ADA@example.org'), { type: IdentityType.OTHER, value: 'ada@example.org' }])).toEqual([
      email('ada@example.org'),
      { type: IdentityType.OTHER, value: 'ada@example.org' },
    ]);
  });

  test('a recipient needs at least one identity', () => {
    expect(rejection(() => normaliseIdentities([]))).toEqual({ code: 'BAD_USER_INPUT', field: 'identities' });
  });

  test(`a recipient has at most ${MAX_IDENTITIES} identities`, () => {
    const many = Array.from({ length: MAX_IDENTITIES + 1 }, (_, index) => email(`ada+${index}@example.org`));
    expect(normaliseIdentities(many.slice(0, MAX_IDENTITIES))).toHaveLength(MAX_IDENTITIES);
    expect(rejection(() => normaliseIdentities(many))).toEqual({ code: 'BAD_USER_INPUT', field: 'identities' });
  });

  test('an invalid identity names its position in the input', () => {
    expect(rejection(() => normaliseIdentities([email('ada@example.org'), email('nope')]))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'identities[1].value',
    });
  });
});
