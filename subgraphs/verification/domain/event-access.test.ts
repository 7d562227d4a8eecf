import { describe, expect, test } from 'vitest';
import { codeOf } from '../../../test/helpers/errors.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { eventScopeFor, parseEventCursor } from './event-access.js';

const memberOfA: Viewer = { kind: 'ISSUER', apiKeyId: 'k', issuerId: 'a', role: 'VIEWER' };


describe('who may follow which events', () => {
  test('an operator follows everything or one issuer', () => {
    expect(eventScopeFor({ kind: 'ADMIN', apiKeyId: 'k' }, null)).toBeNull();
    expect(eventScopeFor({ kind: 'ADMIN', apiKeyId: 'k' }, 'b')).toBe('b');
  });

  test('an issuer member follows only its own issuer, named or not', () => {
    expect(eventScopeFor(memberOfA, null)).toBe('a');
    expect(eventScopeFor(memberOfA, 'a')).toBe('a');
    expect(codeOf(() => eventScopeFor(memberOfA, 'b'))).toBe('UNAUTHORIZED');
  });

  test('employers, recipients and anonymous callers do not follow the log', () => {
    expect(codeOf(() => eventScopeFor({ kind: 'EMPLOYER', apiKeyId: 'k', employerId: 'e' }, null))).toBe('UNAUTHORIZED');
    expect(codeOf(() => eventScopeFor({ kind: 'ANONYMOUS' }, null))).toBe('UNAUTHENTICATED');
  });
});

describe('event cursors', () => {
  test('a cursor is the decimal position of an event; 0 is before the first', () => {
    expect(parseEventCursor('0')).toBe(0);
    expect(parseEventCursor('42')).toBe(42);
  });

  test('anything but a decimal cursor is bad input', () => {
    expect(codeOf(() => parseEventCursor('-1'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseEventCursor('abc'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseEventCursor(''))).toBe('BAD_USER_INPUT');
  });
});
