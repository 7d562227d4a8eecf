import { describe, expect, test } from 'vitest';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { IdentityType } from '../../../lib/identity.js';
import { codeOf } from '../../../test/helpers/errors.js';
import { recipientForNewIdentity, signedInRecipientId } from './identity-access.js';
import { decideMerge, survivingName } from './merge.js';

const ada = '0190a0a0-0000-7000-8000-0000000000a1';
const bob = '0190a0a0-0000-7000-8000-0000000000b1';
const key = '0190a0a0-0000-7000-8000-000000000001';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: key };
const adaSession: Viewer = { kind: 'RECIPIENT', apiKeyId: key, recipientId: ada };
const issuer: Viewer = { kind: 'ISSUER', apiKeyId: key, issuerId: key, role: 'OWNER' };

describe('merging recipients', () => {
  test('an operator merges any two records, naming the survivor', () => {
    expect(decideMerge(admin, { recipientId: ada, otherRecipientId: bob, hasProof: false })).toEqual({ survivorId: ada, mergedRecipientId: bob, reason: 'ADMIN' });
    expect(codeOf(() => decideMerge(admin, { otherRecipientId: bob, hasProof: false }))).toBe('BAD_USER_INPUT');
  });

  test('a recipient merges only into themselves, and only with an e-mail proof', () => {
    expect(decideMerge(adaSession, { otherRecipientId: bob, hasProof: true })).toEqual({ survivorId: ada, mergedRecipientId: bob, reason: 'EMAIL_PROOF' });
    expect(codeOf(() => decideMerge(adaSession, { otherRecipientId: bob, hasProof: false }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decideMerge(adaSession, { recipientId: bob, otherRecipientId: ada, hasProof: true }))).toBe('UNAUTHORIZED');
  });

  test('nobody merges a record with itself; issuers and strangers never merge', () => {
    expect(codeOf(() => decideMerge(adaSession, { otherRecipientId: ada.toUpperCase(), hasProof: true }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decideMerge(issuer, { otherRecipientId: bob, hasProof: true }))).toBe('UNAUTHORIZED');
    expect(codeOf(() => decideMerge({ kind: 'ANONYMOUS' }, { otherRecipientId: bob, hasProof: true }))).toBe('UNAUTHENTICATED');
  });

  test('the survivor keeps its name; a nameless survivor takes the other’s', () => {
    expect(survivingName('Ada', 'A. Lovelace')).toBe('Ada');
    expect(survivingName(null, 'A. Lovelace')).toBe('A. Lovelace');
  });
});

describe('adding identities', () => {
  const did = { type: IdentityType.DID, value: 'did:web:ada.example' };
  const email = { type: IdentityType.EMAIL, value: 'ada@example.org' };

  test('an operator adds any identity to a named recipient', () => {
    expect(recipientForNewIdentity(admin, ada, did)).toBe(ada);
    expect(codeOf(() => recipientForNewIdentity(admin, null, did))).toBe('BAD_USER_INPUT');
  });

  test('a recipient proves e-mail addresses instead, and cannot claim unprovable identities', () => {
    expect(codeOf(() => recipientForNewIdentity(adaSession, null, email))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => recipientForNewIdentity(adaSession, null, did))).toBe('UNAUTHORIZED');
    expect(codeOf(() => recipientForNewIdentity(adaSession, bob, did))).toBe('UNAUTHORIZED');
  });

  test('only a signed-in recipient acts as a recipient', () => {
    expect(signedInRecipientId(adaSession)).toBe(ada);
    expect(codeOf(() => signedInRecipientId(admin))).toBe('UNAUTHORIZED');
    expect(codeOf(() => signedInRecipientId({ kind: 'ANONYMOUS' }))).toBe('UNAUTHENTICATED');
  });
});
