import { describe, expect, test } from 'vitest';
import { issueOptionsOf } from './vc-issue-options.js';

// The VC-API issue options: what the hub honours, and every other option refused by name.

const entry = (extra: Record<string, unknown> = {}) => ({ credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', ...extra } });
const messages = [
  { status: '0x0', message: 'valid' },
  { status: '0x1', message: 'revoked' },
];

describe('VC-API issue options', () => {
  test('no options: no status entry; issuerId passes through', () => {
    expect(issueOptionsOf({})).toEqual({ issuerId: undefined, statusPurpose: null, statusDetails: {} });
    expect(issueOptionsOf({ issuerId: 'x' }).issuerId).toBe('x');
  });

  test('a BitstringStatusListEntry of revocation or suspension', () => {
    expect(issueOptionsOf(entry())).toMatchObject({ statusPurpose: 'revocation', statusDetails: {} });
    expect(issueOptionsOf({ credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' } }).statusPurpose).toBe('suspension');
  });

  test('other status types and purposes, and unknown options, are refused by name', () => {
    expect(() => issueOptionsOf({ credentialStatus: { type: 'StatusList2021Entry', statusPurpose: 'revocation' } })).toThrow(/options\.credentialStatus\.type/);
    expect(() => issueOptionsOf(entry({ statusPurpose: 'message' }))).toThrow(/statusPurpose must be "revocation" or "suspension"/);
    expect(() => issueOptionsOf({ mandatoryPointers: [] })).toThrow(/options\.mandatoryPointers is not supported/);
    expect(() => issueOptionsOf({ statusPurpose: 'revocation' })).toThrow(/options\.statusPurpose is not supported.*options\.credentialStatus/);
    expect(() => issueOptionsOf(entry({ statusListIndex: '3' }))).toThrow(/options\.credentialStatus\.statusListIndex is not supported/);
  });

  test('statusSize 1, two status messages and status references go into the entry; anything else is refused', () => {
    expect(issueOptionsOf(entry({ statusMessage: messages, statusReference: 'https://example.org/status-codes' })).statusDetails).toEqual({
      statusSize: 1,
      statusMessage: messages,
      statusReference: 'https://example.org/status-codes',
    });
    expect(() => issueOptionsOf(entry({ statusSize: 2 }))).toThrow(/statusSize must be 1/);
    expect(() => issueOptionsOf(entry({ statusMessage: [messages[0]] }))).toThrow(/statusMessage must be two/);
    expect(() => issueOptionsOf(entry({ statusMessage: [{ status: 'one', message: 'x' }, messages[1]] }))).toThrow(/statusMessage must be two/);
    expect(() => issueOptionsOf(entry({ statusReference: ['not a url'] }))).toThrow(/statusReference must be a URL/);
  });
});
