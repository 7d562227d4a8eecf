import { describe, expect, test } from 'vitest';
import type { SafeFetch } from '../../../lib/net/types.js';
import { summarize } from '../../../lib/verify/credential-checks.js';
import { verifyOb2Assertion } from '../../../lib/verify/ob2.js';
import { readConformanceJson } from '../../../test/helpers/conformance-fixtures.js';
import { UNNAMED_CREDENTIAL, walletViewOf } from './wallet-view.js';

const readExample = (path: string) => readConformanceJson(`examples/${path}`);

describe('the normalised wallet view', () => {
  test('an OB 3.0 credential (embedded proof): name, issuer, achievement and dates as the credential states them', () => {
    const credential = readExample('ob-v3p0/equality-and-comparison--sample-credential-c.json');
    expect(walletViewOf(summarize({ ...credential, validUntil: '2030-01-01T00:00:00Z' }, 'VC_2_0'))).toEqual({
      name: 'Teamwork Badge',
      format: 'VC_2_0',
      issuerUri: 'https://example.edu/issuers/565049',
      credentialUri: 'http://example.edu/credentials/3732',
      issuerName: 'Example University',
      achievementUri: 'https://example.com/achievements/21st-century-skills/teamwork',
      achievementName: 'Teamwork',
      validFrom: new Date('2010-03-01T00:00:00Z'),
      validUntil: new Date('2030-01-01T00:00:00Z'),
    });
  });

  test('a VC-JWT: the decoded credential gives the same view, marked VC_JWT; an issuer given as a bare string has no name', () => {
    const credential = readExample('ob-v3p0/basicOpenBadgeCredential--sample-openbadgecredential.json');
    const view = walletViewOf(summarize({ ...credential, issuer: 'did:key:z6MkExample' }, 'VC_JWT'));
    expect(view).toMatchObject({ format: 'VC_JWT', issuerUri: 'did:key:z6MkExample', issuerName: null, credentialUri: 'http://example.com/credentials/3527', validFrom: new Date('2010-01-01T00:00:00Z'), validUntil: null });
  });

  test('an OB 2.0 hosted assertion keeps its form; its view is OB-3-like (badge name, issuer, issuedOn, expires)', async () => {
    const documents = new Map<string, unknown>([
      ['https://example.org/beths-robotics-badge.json', readExample('ob-v2p0/assertion-example.json')],
      ['https://example.org/robotics-badge.json', readExample('ob-v2p0/badgeclass-example.json')],
      ['https://example.org/organization.json', readExample('ob-v2p0/issuer-profile-example.json')],
    ]);
    const fetch: SafeFetch = async (url) => {
      const document = documents.get(url);
      if (!document) throw new Error(`nothing at ${url}`);
      return { url, contentType: 'application/ld+json', body: Buffer.from(JSON.stringify(document)) };
    };
    const assertion = readExample('ob-v2p0/assertion-example.json');
    const outcome = await verifyOb2Assertion(assertion, { fetch, now: new Date('2017-03-01T00:00:00Z') });
    expect(outcome.summary.document).toEqual(assertion);
    expect(walletViewOf(outcome.summary)).toEqual({
      name: 'Awesome Robotics Badge',
      format: 'OB_2_0_HOSTED',
      issuerUri: 'https://example.org/organization.json',
      credentialUri: 'https://example.org/beths-robotics-badge.json',
      issuerName: 'An Example Badge Issuer',
      achievementUri: 'https://example.org/robotics-badge.json',
      achievementName: 'Awesome Robotics Badge',
      validFrom: new Date('2016-12-31T23:59:59Z'),
      validUntil: new Date('2017-06-30T23:59:59Z'),
    });
  });

  test('a credential with no name falls back to its achievement name, then to a placeholder', () => {
    const credential = readExample('ob-v3p0/basicOpenBadgeCredential--sample-openbadgecredential.json');
    expect(walletViewOf(summarize({ ...credential, name: undefined }, 'VC_2_0')).name).toBe('Teamwork');
    expect(walletViewOf(summarize({ ...credential, name: undefined, credentialSubject: {} }, 'VC_2_0')).name).toBe(UNNAMED_CREDENTIAL);
  });
});
