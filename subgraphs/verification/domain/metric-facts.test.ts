import { describe, expect, test } from 'vitest';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import { ledgerIdOf, metricFactOf, relyingPartyOf } from './metric-facts.js';

const recipientId = '0190a0a0-0000-7000-8000-0000000000cc';
const shareId = '0190a0a0-0000-7000-8000-0000000000d1';
const event = (type: EventType, payload: Record<string, unknown>): StoredEvent => ({ cursor: 1, type, occurredAt: new Date('2026-01-10T12:00:00Z'), issuerId: null, recipientId, payload });

describe('share views', () => {
  test('a version 1 view by the holder (no byHolder field) is not a view by others', () => {
    expect(metricFactOf(event(EventType.SHARE_VIEWED, { shareId, via: 'GRAPHQL', recipientId, viewer: { kind: 'RECIPIENT', id: recipientId } }))).toBeNull();
  });

  test('a version 1 view by someone else counts once, on its own day', () => {
    expect(metricFactOf(event(EventType.SHARE_VIEWED, { shareId, via: 'GRAPHQL', recipientId, viewer: { kind: 'EMPLOYER', id: 'acme' } }))).toEqual({
      kind: 'shareViewed',
      shareId,
      credentialIds: null,
      count: 1,
      at: new Date('2026-01-10T12:00:00Z'),
    });
  });

  test('a version 2 view counts `count` openings on the day of the last one; byHolder ones never', () => {
    const base = { shareId, via: 'GRAPHQL', recipientId, viewer: { kind: 'ANONYMOUS', id: null }, count: 7, lastViewedAt: '2026-01-09T23:00:00Z' };
    expect(metricFactOf(event(EventType.SHARE_VIEWED, { ...base, byHolder: false }))).toMatchObject({ count: 7, at: new Date('2026-01-09T23:00:00Z') });
    expect(metricFactOf(event(EventType.SHARE_VIEWED, { ...base, byHolder: true }))).toBeNull();
  });

  test('a version 3 view (one issuer part of a share) counts the credentials it names, not the whole share', () => {
    const credentialId = '0190a0a0-0000-7000-8000-0000000000c1';
    const base = { shareId, via: 'GRAPHQL', recipientId, viewer: { kind: 'ANONYMOUS', id: null }, count: 2, lastViewedAt: '2026-01-09T23:00:00Z', byHolder: false };
    expect(metricFactOf(event(EventType.SHARE_VIEWED, { ...base, credentialIds: [credentialId] }))).toMatchObject({ shareId, credentialIds: [credentialId], count: 2 });
  });

  test('a consented candidate view (no share) is not a share view', () => {
    expect(metricFactOf(event(EventType.SHARE_VIEWED, { consentId: shareId, via: 'CANDIDATE', recipientId, viewer: { kind: 'EMPLOYER', id: 'acme' } }))).toBeNull();
  });
});

describe('relying parties', () => {
  test('employers and anonymous callers are third parties, counted as the VC-API when they came through it', () => {
    expect(relyingPartyOf({ kind: 'EMPLOYER', id: 'acme' }, 'GRAPHQL')).toBe('EMPLOYER');
    expect(relyingPartyOf({ kind: 'ANONYMOUS', id: null }, undefined)).toBe('ANONYMOUS');
    expect(relyingPartyOf({ kind: 'ANONYMOUS', id: null }, 'VC_API')).toBe('VC_API');
    expect(relyingPartyOf({ kind: 'RECIPIENT', id: recipientId }, 'VC_API')).toBe('HOLDER');
    expect(relyingPartyOf({ kind: 'ISSUER', id: 'x' }, 'GRAPHQL')).toBe('ISSUER');
    expect(relyingPartyOf({ kind: 'ADMIN', id: null }, 'CREDENTIAL_FIELD')).toBe('OPERATOR');
  });

  test('a credential is this hub’s when its id is urn:uuid:<ledger id>', () => {
    expect(ledgerIdOf(`urn:uuid:${shareId.toUpperCase()}`)).toBe(shareId);
    expect(ledgerIdOf('https://elsewhere.example/credentials/1')).toBeNull();
    expect(ledgerIdOf(null)).toBeNull();
  });
});

test('a payload that breaks its contract changes no metric', () => {
  expect(metricFactOf(event(EventType.CREDENTIAL_ISSUED, {}))).toBeNull();
});
