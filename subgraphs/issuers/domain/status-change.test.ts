import { describe, expect, test } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { statusChange, type LedgerStatus } from './status-change.js';

const credential = (status: LedgerStatus, statusPurpose: 'revocation' | 'suspension') => ({ id: 'c1', status, statusPurpose });

describe('status changes', () => {
  test('a revocation entry is revoked once; repeating it changes nothing', () => {
    expect(statusChange(credential('ACTIVE', 'revocation'), 'revoke')).toEqual({ status: 'REVOKED', bit: true });
    expect(statusChange(credential('REVOKED', 'revocation'), 'revoke')).toBeNull();
  });

  test('a revocation entry can be neither suspended nor reinstated, and the error says how to allow it', () => {
    for (const action of ['suspend', 'reinstate'] as const) {
      const attempt = () => statusChange(credential('ACTIVE', 'revocation'), action);
      expect(attempt).toThrow(AppError);
      expect(attempt).toThrow(/revocation-only status entry.*statusPurpose SUSPENSION/);
    }
  });

  test('a suspension entry goes ACTIVE ↔ SUSPENDED, setting and clearing its bit; repeats change nothing', () => {
    expect(statusChange(credential('ACTIVE', 'suspension'), 'suspend')).toEqual({ status: 'SUSPENDED', bit: true });
    expect(statusChange(credential('SUSPENDED', 'suspension'), 'suspend')).toBeNull();
    expect(statusChange(credential('SUSPENDED', 'suspension'), 'reinstate')).toEqual({ status: 'ACTIVE', bit: false });
    expect(statusChange(credential('ACTIVE', 'suspension'), 'reinstate')).toBeNull();
  });

  test('revoking a suspension entry sets its bit for good, also when it is suspended', () => {
    expect(statusChange(credential('ACTIVE', 'suspension'), 'revoke')).toEqual({ status: 'REVOKED', bit: true });
    expect(statusChange(credential('SUSPENDED', 'suspension'), 'revoke')).toEqual({ status: 'REVOKED', bit: true });
  });

  test('a revoked credential is never reinstated or suspended again (CONFLICT)', () => {
    for (const action of ['suspend', 'reinstate'] as const) {
      try {
        statusChange(credential('REVOKED', 'suspension'), action);
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: 'CONFLICT', details: { credentialId: 'c1', status: 'REVOKED' } });
        expect((error as Error).message).toMatch(/revocation is permanent/);
      }
    }
  });
});
