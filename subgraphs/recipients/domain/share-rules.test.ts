import { describe, expect, test } from 'vitest';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { codeOf, thrownBy } from '../../../test/helpers/errors.js';
import { assertCanOpenShare, employerAsking, normaliseAudience, normaliseShareSelection, shareExpiry } from './share-rules.js';

const ada = '0190a0a0-0000-7000-8000-0000000000a1';
const acme = '0190a0a0-0000-7000-8000-0000000000c1';
const globex = '0190a0a0-0000-7000-8000-0000000000c2';
const key = '0190a0a0-0000-7000-8000-000000000001';
const now = new Date('2026-11-28T12:00:00Z');
const tomorrow = new Date('2026-11-29T12:00:00Z');

const anonymous: Viewer = { kind: 'ANONYMOUS' };
const employerOf = (employerId: string): Viewer => ({ kind: 'EMPLOYER', apiKeyId: key, employerId });
const adaKey: Viewer = { kind: 'RECIPIENT', apiKeyId: key, recipientId: ada };
const share = (changes: Partial<Parameters<typeof assertCanOpenShare>[1] & object> = {}) => ({
  recipientId: ada,
  audience: 'EMPLOYER' as const,
  employerOrgId: acme,
  expiresAt: tomorrow,
  revokedAt: null,
  ...changes,
});

describe('who may open a share', () => {
  test('a live EMPLOYER share opens for that employer’s keys only', () => {
    expect(codeOf(() => assertCanOpenShare(employerOf(acme), share(), now))).toBeUndefined();
    expect(codeOf(() => assertCanOpenShare(employerOf(globex), share(), now))).toBe('UNAUTHORIZED');
    expect(codeOf(() => assertCanOpenShare(anonymous, share(), now))).toBe('UNAUTHENTICATED');
  });

  test('a live PUBLIC share opens for anyone, no key needed', () => {
    expect(codeOf(() => assertCanOpenShare(anonymous, share({ audience: 'PUBLIC', employerOrgId: null }), now))).toBeUndefined();
  });

  test('revoked, expired and unknown shares are UNAUTHORIZED; a withdrawn or expired one says which, to anyone holding its token', () => {
    for (const viewer of [employerOf(acme), employerOf(globex), anonymous]) {
      expect(thrownBy(() => assertCanOpenShare(viewer, share({ revokedAt: now, expiresAt: now }), now))).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'WITHDRAWN' } });
      expect(thrownBy(() => assertCanOpenShare(viewer, share({ expiresAt: now }), now))).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'EXPIRED', expiredAt: now.toISOString() } });
    }
    expect(thrownBy(() => assertCanOpenShare(employerOf(acme), null, now))).toMatchObject({ code: 'UNAUTHORIZED', details: {} });
  });

  test('an unknown token and a live share for another employer are refused in the same words, with no reason', () => {
    const unknown = thrownBy(() => assertCanOpenShare(employerOf(globex), null, now));
    const someoneElses = thrownBy(() => assertCanOpenShare(employerOf(globex), share(), now));
    expect({ message: someoneElses?.message, details: someoneElses?.details }).toEqual({ message: unknown?.message, details: unknown?.details });
  });

  test('the owner may always look at their own share', () => {
    expect(codeOf(() => assertCanOpenShare(adaKey, share({ revokedAt: now }), now))).toBeUndefined();
  });
});

describe('making a share', () => {
  test('either credential ids or a portfolio, never both or neither', () => {
    expect(codeOf(() => normaliseShareSelection({}))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => normaliseShareSelection({ credentialIds: [ada], portfolioId: ada }))).toBe('BAD_USER_INPUT');
    expect(normaliseShareSelection({ credentialIds: [ada.toUpperCase()] })).toEqual({ credentialIds: [ada], portfolioId: null });
  });

  test('a credential twice is refused', () => {
    expect(codeOf(() => normaliseShareSelection({ credentialIds: [ada, ada] }))).toBe('BAD_USER_INPUT');
  });

  test('an EMPLOYER share names its organisation; a PUBLIC one does not', () => {
    expect(codeOf(() => normaliseAudience('EMPLOYER', null))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => normaliseAudience('PUBLIC', acme))).toBe('BAD_USER_INPUT');
    expect(normaliseAudience('EMPLOYER', acme)).toBe(acme);
  });

  test('a share expires in 30 days by default, never in the past, at most in 366 days', () => {
    expect(shareExpiry(null, now).toISOString()).toBe('2026-12-28T12:00:00.000Z');
    expect(codeOf(() => shareExpiry(now, now))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => shareExpiry(new Date('2028-01-01T00:00:00Z'), now))).toBe('BAD_USER_INPUT');
  });
});

test('only employer keys ask for candidates', () => {
  expect(employerAsking(employerOf(acme.toUpperCase()))).toBe(acme);
  expect(codeOf(() => employerAsking(adaKey))).toBe('UNAUTHORIZED');
  expect(codeOf(() => employerAsking(anonymous))).toBe('UNAUTHENTICATED');
});
