import { describe, expect, test } from 'vitest';
import { codeOf } from '../../../test/helpers/errors.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { decideApiKeyGrant } from './api-key-grant.js';

const issuerA = '0190a0a0-0000-7000-8000-00000000000a';
const issuerB = '0190a0a0-0000-7000-8000-00000000000b';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: 'k' };
const ownerOfA: Viewer = { kind: 'ISSUER', apiKeyId: 'k', issuerId: issuerA, role: 'OWNER' };
const issuerOfA: Viewer = { kind: 'ISSUER', apiKeyId: 'k', issuerId: issuerA, role: 'ISSUER' };
const newEmployer = () => '0190a0a0-0000-7000-8000-0000000000ee';


describe('who may create which API key', () => {
  test('an operator may create any key; an employer key gets a fresh organisation', () => {
    expect(decideApiKeyGrant(admin, { principal: 'EMPLOYER' }, newEmployer)).toEqual({
      principal: 'EMPLOYER',
      employerId: newEmployer(),
    });
    expect(decideApiKeyGrant(admin, { principal: 'ADMIN' }, newEmployer)).toEqual({ principal: 'ADMIN' });
  });

  test('an issuer owner may create keys for its own issuer, defaulting to the ISSUER role', () => {
    expect(decideApiKeyGrant(ownerOfA, { principal: 'ISSUER', issuerId: issuerA }, newEmployer)).toEqual({
      principal: 'ISSUER',
      issuerId: issuerA,
      role: 'ISSUER',
    });
  });

  test('an issuer owner may not create keys for another issuer, nor admin keys', () => {
    expect(codeOf(() => decideApiKeyGrant(ownerOfA, { principal: 'ISSUER', issuerId: issuerB }, newEmployer))).toBe('UNAUTHORIZED');
    expect(codeOf(() => decideApiKeyGrant(ownerOfA, { principal: 'ADMIN' }, newEmployer))).toBe('UNAUTHORIZED');
  });

  test('a member below OWNER may not create keys', () => {
    expect(codeOf(() => decideApiKeyGrant(issuerOfA, { principal: 'ISSUER', issuerId: issuerA }, newEmployer))).toBe('UNAUTHORIZED');
  });

  test('missing or malformed ids are bad input', () => {
    expect(codeOf(() => decideApiKeyGrant(admin, { principal: 'ISSUER' }, newEmployer))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decideApiKeyGrant(admin, { principal: 'RECIPIENT', recipientId: 'x' }, newEmployer))).toBe('BAD_USER_INPUT');
  });
});
