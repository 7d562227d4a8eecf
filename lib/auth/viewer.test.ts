import { describe, expect, test } from 'vitest';
import { signViewer, verifySignedRequest, ViewerSignatureError, type Viewer } from './viewer.js';

const secret = 's'.repeat(40);
const issuerMember: Viewer = { kind: 'ISSUER', apiKeyId: 'k1', issuerId: 'i1', role: 'OWNER' };
const ANONYMOUS_VIEWER: Viewer = { kind: 'ANONYMOUS' };

describe('signed viewer header', () => {
  test('round-trips a viewer', () => {
    expect(verifySignedRequest(signViewer(issuerMember, secret), secret).viewer).toEqual(issuerMember);
  });

  test('carries the caller’s address under the same signature, when the gateway gives one', () => {
    expect(verifySignedRequest(signViewer(ANONYMOUS_VIEWER, secret, { clientAddress: '203.0.113.7' }), secret)).toEqual({ viewer: ANONYMOUS_VIEWER, clientAddress: '203.0.113.7' });
    expect(verifySignedRequest(signViewer(ANONYMOUS_VIEWER, secret), secret).clientAddress).toBeNull();
    const [version, body, signature] = signViewer(ANONYMOUS_VIEWER, secret, { clientAddress: '203.0.113.7' }).split('.');
    const moved = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), client: '198.51.100.1' })).toString('base64url');
    expect(() => verifySignedRequest(`${version}.${moved}.${signature}`, secret)).toThrow('does not match');
  });

  test('a viewer signed with another secret is rejected', () => {
    expect(() => verifySignedRequest(signViewer(issuerMember, 'x'.repeat(40)), secret).viewer).toThrow(ViewerSignatureError);
  });

  test('a forged body with a copied signature is rejected', () => {
    const [version, , signature] = signViewer(issuerMember, secret).split('.');
    const forged = Buffer.from(JSON.stringify({ viewer: { kind: 'ADMIN', apiKeyId: 'k1' }, exp: 9e9 })).toString('base64url');
    expect(() => verifySignedRequest(`${version}.${forged}.${signature}`, secret).viewer).toThrow('does not match');
  });

  test('an expired viewer is rejected', () => {
    const header = signViewer(issuerMember, secret, { now: Date.now() - 3_600_000 });
    expect(() => verifySignedRequest(header, secret).viewer).toThrow('expired');
  });

  test('missing and malformed headers are rejected', () => {
    expect(() => verifySignedRequest(undefined, secret).viewer).toThrow('missing');
    expect(() => verifySignedRequest('nonsense', secret).viewer).toThrow('malformed');
  });
});
