import { describe, expect, test } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { IdentityType } from '../../../lib/identity.js';
import { normaliseNewRecipient, normaliseRecipientName } from './recipient.js';

describe('a new recipient', () => {
  test('the name is optional: blank becomes null, anything else is trimmed', () => {
    expect(normaliseRecipientName(undefined)).toBeNull();
    expect(normaliseRecipientName('   ')).toBeNull();
    expect(normaliseRecipientName('  Ada Lovelace ')).toBe('Ada Lovelace');
  });

  test('a name longer than 200 characters is rejected naming the field', () => {
    try {
      normaliseRecipientName('x'.repeat(201));
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe('BAD_USER_INPUT');
      expect((error as AppError).details.field).toBe('name');
    }
  });

  test('name and identities are normalised together', () => {
    expect(normaliseNewRecipient({ name: ' Ada ', identities: [{ type: IdentityType.EMAIL, value: 'Ada@Example.org' }] })).toEqual({
      name: 'Ada',
      identities: [{ type: IdentityType.EMAIL, value: 'ada@example.org' }],
    });
  });
});
