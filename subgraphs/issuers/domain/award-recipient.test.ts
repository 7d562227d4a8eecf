import { describe, expect, test } from 'vitest';
import { IdentityType } from '../../../lib/identity.js';
import { chooseAwardIdentity, type KnownIdentity } from './award-recipient.js';

const known = (type: IdentityType, value: string, verified: boolean, addedCursor: number): KnownIdentity => ({ type, value, verified, addedCursor });

describe('the identity an award goes to when the completion named none', () => {
  test('a verified e-mail address first, even over a newer unverified one', () => {
    expect(chooseAwardIdentity([known(IdentityType.EMAIL, 'new@x.example', false, 9), known(IdentityType.EMAIL, 'proved@x.example', true, 1)])).toEqual({ type: IdentityType.EMAIL, value: 'proved@x.example' });
  });

  test('any e-mail address before another type, proved or not', () => {
    expect(chooseAwardIdentity([known(IdentityType.DID, 'did:web:x.example', true, 9), known(IdentityType.EMAIL, 'a@x.example', false, 1)])).toEqual({ type: IdentityType.EMAIL, value: 'a@x.example' });
  });

  test('among equals, the most recently added', () => {
    expect(chooseAwardIdentity([known(IdentityType.EMAIL, 'old@x.example', true, 1), known(IdentityType.EMAIL, 'new@x.example', true, 2)])).toEqual({ type: IdentityType.EMAIL, value: 'new@x.example' });
  });

  test('an OTHER identity cannot be awarded to; none known is null', () => {
    expect(chooseAwardIdentity([known(IdentityType.OTHER, 'badge-number-7', true, 1)])).toBeNull();
    expect(chooseAwardIdentity([])).toBeNull();
    expect(chooseAwardIdentity([known(IdentityType.OTHER, 'x', true, 2), known(IdentityType.PHONE, '+442079460000', false, 1)])).toEqual({ type: IdentityType.PHONE, value: '+442079460000' });
  });
});
