import { describe, expect, test } from 'vitest';
import { signViewer, verifySignedCaller, ViewerSignatureError, type Viewer } from './viewer.js';

const secret = 's'.repeat(40);
const issuerMember: Viewer = { kind: 'ISSUER', apiKeyId: 'k1', issuerId: 'i1', role: 'OWNER' };

describe('signed viewer header', () => {
  test('round-trips a viewer', () => {
    expect(verifySignedCaller(signViewer(issuerMember, secret), secret).viewer).toEqual(issuerMember);
  });

  test('a viewer signed with another secret is rejected', () => {
    expect(() => verifySignedCaller(signViewer(issuerMember, 'x'.repeat(40)), secret).viewer).toThrow(ViewerSignatureError);
  });

  test('a forged body with a copied signature is rejected', () => {
    const [version, , signature] = signViewer(issuerMember, secret).split('.');
    const forged = Buffer.from(JSON.stringify({ viewer: { kind: 'ADMIN', apiKeyId: 'k1' }, exp: 9e9 })).toString('base64url');
    expect(() => verifySignedCaller(`${version}.${forged}.${signature}`, secret).viewer).toThrow('does not match');
  });

  test('an expired viewer is rejected', () => {
    const header = signViewer(issuerMember, secret, { now: Date.now() - 3_600_000 });
    expect(() => verifySignedCaller(header, secret).viewer).toThrow('expired');
  });

  test("a page view travels signed with the viewer: only the gateway's pages can say a read is not a verification", () => {
    const header = signViewer(issuerMember, secret, { pageView: true });
    expect(verifySignedCaller(header, secret).pageView).toBe(true);
    expect(verifySignedCaller(signViewer(issuerMember, secret), secret).pageView).toBe(false);
    const [version, body, signature] = signViewer(issuerMember, secret).split('.');
    const claimed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), page: true })).toString('base64url');
    expect(() => verifySignedCaller(`${version}.${claimed}.${signature}`, secret)).toThrow('does not match');
  });

  test('the client address travels signed with the viewer: changing it breaks the signature', () => {
    const header = signViewer(issuerMember, secret, { clientAddress: '203.0.113.7' });
    expect(verifySignedCaller(header, secret)).toEqual({ viewer: issuerMember, clientAddress: '203.0.113.7', pageView: false });
    expect(verifySignedCaller(signViewer(issuerMember, secret), secret).clientAddress).toBeNull();
    const [version, body, signature] = header.split('.');
    const moved = Buffer.from(Buffer.from(body!, 'base64url').toString().replace('203.0.113.7', '198.51.100.1')).toString('base64url');
    expect(() => verifySignedCaller(`${version}.${moved}.${signature}`, secret)).toThrow('does not match');
  });

  test('missing and malformed headers are rejected', () => {
    expect(() => verifySignedCaller(undefined, secret).viewer).toThrow('missing');
    expect(() => verifySignedCaller('nonsense', secret).viewer).toThrow('malformed');
  });
});
