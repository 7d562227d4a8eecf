import { describe, expect, test } from 'vitest';
import { codeOf } from '../../../test/helpers/errors.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { assertCanCreateRecipient, assertCanReadRecipient } from './access.js';

const ada = '0190a0a0-0000-7000-8000-0000000000a1';
const bob = '0190a0a0-0000-7000-8000-0000000000b1';
const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const key = '0190a0a0-0000-7000-8000-000000000001';

const anonymous: Viewer = { kind: 'ANONYMOUS' };
const admin: Viewer = { kind: 'ADMIN', apiKeyId: key };
const adaKey: Viewer = { kind: 'RECIPIENT', apiKeyId: key, recipientId: ada };
const issuerKey = (role: 'OWNER' | 'ISSUER' | 'VIEWER'): Viewer => ({ kind: 'ISSUER', apiKeyId: key, issuerId, role });
const employer: Viewer = { kind: 'EMPLOYER', apiKeyId: key, employerId: key };


describe('who may read a recipient', () => {
  test('an operator may read any recipient', () => {
    expect(codeOf(() => assertCanReadRecipient(admin, ada))).toBeUndefined();
  });

  test('a recipient may read only themselves', () => {
    expect(codeOf(() => assertCanReadRecipient(adaKey, ada))).toBeUndefined();
    expect(codeOf(() => assertCanReadRecipient(adaKey, bob))).toBe('UNAUTHORIZED');
  });

  test('issuers and employers may not read a recipient’s record', () => {
    expect(codeOf(() => assertCanReadRecipient(issuerKey('OWNER'), ada))).toBe('UNAUTHORIZED');
    expect(codeOf(() => assertCanReadRecipient(employer, ada))).toBe('UNAUTHORIZED');
  });

  test('without a key the answer is UNAUTHENTICATED', () => {
    expect(codeOf(() => assertCanReadRecipient(anonymous, ada))).toBe('UNAUTHENTICATED');
  });
});

describe('who may register a recipient', () => {
  test('operators and issuer members with the ISSUER role or above', () => {
    expect(codeOf(() => assertCanCreateRecipient(admin))).toBeUndefined();
    expect(codeOf(() => assertCanCreateRecipient(issuerKey('OWNER')))).toBeUndefined();
    expect(codeOf(() => assertCanCreateRecipient(issuerKey('ISSUER')))).toBeUndefined();
  });

  test('read-only issuer members, employers and recipients may not', () => {
    expect(codeOf(() => assertCanCreateRecipient(issuerKey('VIEWER')))).toBe('UNAUTHORIZED');
    expect(codeOf(() => assertCanCreateRecipient(employer))).toBe('UNAUTHORIZED');
    expect(codeOf(() => assertCanCreateRecipient(adaKey))).toBe('UNAUTHORIZED');
  });

  test('without a key the answer is UNAUTHENTICATED', () => {
    expect(codeOf(() => assertCanCreateRecipient(anonymous))).toBe('UNAUTHENTICATED');
  });
});
