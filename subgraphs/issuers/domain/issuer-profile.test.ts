import { describe, expect, test } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { normaliseIssuerProfile } from './issuer-profile.js';

describe('issuer profile rules', () => {
  test('trims and normalises a valid profile', () => {
    expect(normaliseIssuerProfile({ name: '  Acme  ', url: 'https://acme.example', email: ' a@acme.example ' })).toEqual({
      name: 'Acme',
      url: 'https://acme.example/',
      email: 'a@acme.example',
      description: null,
      image: null,
      phone: null,
      address: null,
      official: null,
    });
  });

  test.each([
    [{ name: ' ', url: 'https://a.example' }, 'name'],
    [{ name: 'A', url: 'not a url' }, 'url'],
    [{ name: 'A', url: 'ftp://a.example' }, 'url'],
    [{ name: 'A', url: 'https://a.example', email: 'nope' }, 'email'],
    [{ name: 'A', url: 'https://a.example', image: 'javascript:alert(1)' }, 'image'],
    [{ name: 'x'.repeat(201), url: 'https://a.example' }, 'name'],
  ])('rejects %j naming the field %s', (input, field) => {
    try {
      normaliseIssuerProfile(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('BAD_USER_INPUT');
      expect((error as AppError).details.field).toBe(field);
    }
  });

  test('an address keeps only the fields given; a country code is ISO 3166-1 alpha-2', () => {
    const profile = normaliseIssuerProfile({ name: 'A', url: 'https://a.example', address: { addressLocality: ' Berlin ', addressCountryCode: 'de', postalCode: '' } });
    expect(profile.address).toEqual({ addressLocality: 'Berlin', addressCountryCode: 'DE' });
    expect(() => normaliseIssuerProfile({ name: 'A', url: 'https://a.example', address: { addressCountryCode: 'Germany' } })).toThrow(/alpha-2/);
  });
});
