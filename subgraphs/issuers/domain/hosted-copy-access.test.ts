import { describe, expect, test } from 'vitest';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { newId } from '../../../lib/ids.js';
import { canReadHostedCopy } from './hosted-copy-access.js';

const issuerId = newId();
const recipientId = newId();
const viewers: Record<string, Viewer> = {
  anonymous: { kind: 'ANONYMOUS' },
  operator: { kind: 'ADMIN', apiKeyId: newId() },
  issuerViewer: { kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'VIEWER' },
  otherIssuer: { kind: 'ISSUER', apiKeyId: newId(), issuerId: newId(), role: 'OWNER' },
  holder: { kind: 'RECIPIENT', apiKeyId: newId(), recipientId },
  otherRecipient: { kind: 'RECIPIENT', apiKeyId: newId(), recipientId: newId() },
  employer: { kind: 'EMPLOYER', apiKeyId: newId(), employerId: newId() },
};
const readers = (holder: Parameters<typeof canReadHostedCopy>[1]['holder']) =>
  Object.entries(viewers)
    .filter(([, viewer]) => canReadHostedCopy(viewer, { issuerId, holder }))
    .map(([name]) => name);

describe('who reads a hosted credential', () => {
  test('PRIVATE and SHARED_ONLY: only its issuer, its holder and operators', () => {
    expect(readers({ recipientId, visibility: 'PRIVATE' })).toEqual(['operator', 'issuerViewer', 'holder']);
    expect(readers({ recipientId, visibility: 'SHARED_ONLY' })).toEqual(['operator', 'issuerViewer', 'holder']);
  });

  test('issued, in no wallet yet: only its issuer and operators', () => {
    expect(readers({ recipientId: null, visibility: 'PRIVATE' })).toEqual(['operator', 'issuerViewer']);
  });

  test('PUBLIC, or issued before hosted copies were governed: anyone', () => {
    expect(readers({ recipientId, visibility: 'PUBLIC' })).toEqual(Object.keys(viewers));
    expect(readers(null)).toEqual(Object.keys(viewers));
  });
});
