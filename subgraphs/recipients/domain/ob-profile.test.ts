import { describe, expect, test } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { obProfileOf, profileChange } from './ob-profile.js';

const RECIPIENT = { id: '0190a5f6-0000-7000-8000-000000000001', name: 'Ada' };
const current = obProfileOf(RECIPIENT, ['ada@example.com', 'ada@work.example']);

describe('the recipient as an OB Profile', () => {
  test('a profile has a urn:uuid id, type Profile, the name and the first proven address', () => {
    expect(current).toEqual({ id: `urn:uuid:${RECIPIENT.id}`, type: ['Profile'], name: 'Ada', email: 'ada@example.com' });
    expect(obProfileOf({ id: RECIPIENT.id, name: null }, [])).toEqual({ id: `urn:uuid:${RECIPIENT.id}`, type: ['Profile'] });
  });

  test('PUT changes the name; an absent name leaves it; an empty one clears it', () => {
    expect(profileChange(current, ['ada@example.com'], { ...current, name: '  Ada Lovelace ' })).toEqual({ name: 'Ada Lovelace' });
    expect(profileChange(current, ['ada@example.com'], { type: ['Profile'] })).toBeNull();
    expect(profileChange(current, ['ada@example.com'], { name: '' })).toEqual({ name: null });
  });

  test('an unproven e-mail address, another id and fields Cairn does not keep are refused by name', () => {
    const refusal = (body: unknown) => {
      try {
        profileChange(current, ['ada@example.com', 'ada@work.example'], body);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).details.field;
      }
      return null;
    };
    expect(refusal({ email: 'ADA@work.example' })).toBeNull();
    expect(refusal({ email: 'mallory@example.com' })).toBe('email');
    expect(refusal({ id: 'urn:uuid:someone-else' })).toBe('id');
    expect(refusal({ familyName: 'Lovelace' })).toBe('familyName');
    expect(refusal({ type: ['Organization'] })).toBe('type');
    expect(refusal({ name: 42 })).toBe('name');
    expect(refusal([current])).toBeUndefined();
  });
});
