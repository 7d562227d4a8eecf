import { describe, expect, test } from 'vitest';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { achievementListFilter, canReadVersion } from './visibility.js';

const issuerA = '0190a0a0-0000-7000-8000-00000000000a';
const issuerB = '0190a0a0-0000-7000-8000-00000000000b';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: 'k' };
const viewerOfA: Viewer = { kind: 'ISSUER', apiKeyId: 'k', issuerId: issuerA, role: 'VIEWER' };
const memberOfB: Viewer = { kind: 'ISSUER', apiKeyId: 'k', issuerId: issuerB, role: 'OWNER' };
const anonymous: Viewer = { kind: 'ANONYMOUS' };

describe('who sees which achievements', () => {
  test('a version that was ever published is public, for ever', () => {
    for (const viewer of [anonymous, memberOfB, viewerOfA]) expect(canReadVersion(viewer, { issuerId: issuerA, publishedAt: new Date() })).toBe(true);
  });

  test('a version never published is visible to the issuer’s members (any role) and operators only', () => {
    const draft = { issuerId: issuerA, publishedAt: null };
    expect(canReadVersion(admin, draft)).toBe(true);
    expect(canReadVersion(viewerOfA, draft)).toBe(true);
    expect(canReadVersion(memberOfB, draft)).toBe(false);
    expect(canReadVersion(anonymous, draft)).toBe(false);
  });

  test('by default a list shows what is live: published, plus drafts for members', () => {
    expect(achievementListFilter(viewerOfA, issuerA, null)).toEqual({ statuses: ['DRAFT', 'PUBLISHED'], publishedOnly: false });
    expect(achievementListFilter(anonymous, issuerA, null)).toEqual({ statuses: ['PUBLISHED'], publishedOnly: true });
  });

  test('a status filter narrows the list; non-members never get drafts, nor achievements archived before publication', () => {
    expect(achievementListFilter(admin, issuerA, 'ARCHIVED')).toEqual({ statuses: ['ARCHIVED'], publishedOnly: false });
    expect(achievementListFilter(memberOfB, issuerA, 'ARCHIVED')).toEqual({ statuses: ['ARCHIVED'], publishedOnly: true });
    expect(achievementListFilter(memberOfB, issuerA, 'DRAFT').statuses).toEqual([]);
  });
});
