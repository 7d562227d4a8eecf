import { describe, expect, test } from 'vitest';
import { credentialView, displayableLogo, hubIssuerPath, isVerifiedDomain, recipientShown } from './credential-view.js';
import { verifyInputOf } from './verify-page.js';

const verification = { status: 'REVOKED', verified: false, checkedAt: '2026-12-06T10:00:00Z', checks: [{ name: 'STATUS', outcome: 'FAILED' as const, message: 'revoked' }] };

describe('credential page data', () => {
  test('a did:web issuer has a verified domain only when the DID names its website host', () => {
    expect(isVerifiedDomain('did:web:harbor.example', 'https://harbor.example/about')).toBe(true);
    expect(isVerifiedDomain('did:web:localhost%3A4000:issuers:1', 'http://localhost:4000')).toBe(true);
    expect(isVerifiedDomain('did:web:evil.example', 'https://harbor.example')).toBe(false);
    expect(isVerifiedDomain('did:key:z6Mk', 'https://harbor.example')).toBe(false);
  });

  test("an issuer of this hub links to its page, by did:web or profile URL; anyone else's does not", () => {
    expect(hubIssuerPath('did:web:hub.example:issuers:abc', 'https://hub.example')).toBe('/issuers/abc');
    expect(hubIssuerPath('https://hub.example/issuers/abc', 'https://hub.example')).toBe('/issuers/abc');
    expect(hubIssuerPath('did:web:other.example:issuers:abc', 'https://hub.example')).toBeNull();
  });

  test("an issuer's logo shows only when no other site is asked for it: inline, or served by this hub", () => {
    expect(displayableLogo('data:image/png;base64,iVBORw0KGgo=', 'https://hub.example')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(displayableLogo({ id: 'https://hub.example/logos/1.png', type: 'Image' }, 'https://hub.example')).toBe('/logos/1.png');
    expect(displayableLogo('https://tracker.example/logo.png', 'https://hub.example')).toBeNull();
    expect(displayableLogo('data:text/html,<script>alert(1)</script>', 'https://hub.example')).toBeNull();
  });

  test('links from a credential become anchors only for http(s); criteria Markdown keeps raw HTML as text', () => {
    const view = credentialView({
      id: 'c1',
      origin: 'https://hub.example',
      document: {
        issuer: { id: 'did:key:z6Mk', name: 'Evil', url: 'javascript:alert(1)' },
        credentialSubject: {
          achievement: { name: 'A', criteria: { narrative: 'Pass <script>alert(1)</script> [x](javascript:alert(1))' }, alignment: [{ targetName: 'S', targetUrl: 'javascript:alert(2)' }] },
        },
        evidence: [{ id: 'data:text/html,hi', name: 'E' }],
      },
      verification,
      issuance: { status: 'REVOKED', reason: 'Plagiarised' },
      linkedInUrl: null,
    });
    expect(view.issuer.url).toBeNull();
    expect(view.alignments[0]!.url).toBeNull();
    expect(view.evidence[0]!.url).toBeNull();
    expect(view.criteriaHtml).toContain('&lt;script&gt;');
    expect(view.criteriaHtml).not.toContain('<script');
    expect(view.criteriaHtml).not.toContain('href="javascript:');
    expect(view.verdict).toMatchObject({ status: 'REVOKED', reason: 'Plagiarised' });
  });

  test("the recipient's name shows when the holder made the credential public; otherwise the kind of identity it is bound to", () => {
    const hashedEmail = { identifier: [{ type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: 'sha256$ab' }] };
    expect(recipientShown(hashedEmail, 'Grace Hopper')).toBe('Grace Hopper');
    expect(recipientShown(hashedEmail, null)).toBe('Issued to a verified e-mail address');
    expect(recipientShown({ ...hashedEmail, name: 'Not the holder’s choice' }, null)).toBe('Issued to a verified e-mail address');
    expect(recipientShown({ id: 'did:key:z6Mk' }, null)).toBe('Issued to a DID (decentralised identifier)');
    expect(recipientShown({ id: 'https://ada.example/me' }, null)).toBe('Issued to a web address');
    expect(recipientShown({ identifier: [{ identityType: 'sisSourcedId' }] }, null)).toBe('Issued to a student ID');
    expect(recipientShown({ identifier: [{ identityType: 'ext:phoneNumber' }] }, null)).toBe('Issued to a phone number');
    expect(recipientShown({}, null)).toBe('Issued to an identity the issuer checked');
  });

  test("the issuer's reason shows only with the verdict it explains", () => {
    const stale = credentialView({ id: 'c1', origin: 'https://hub.example', document: {}, verification: { ...verification, status: 'VALID' }, issuance: { status: 'REVOKED', reason: 'x' }, linkedInUrl: null });
    expect(stale.verdict.reason).toBeNull();
  });
});

describe('what the verifier form hands to verifyCredential', () => {
  test('a PNG or SVG file is a baked image, JSON is the credential, a URL is where it lives, anything else a VC-JWT', () => {
    expect(verifyInputOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1]), '')).toEqual({ image: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1]).toString('base64') });
    expect(verifyInputOf(Buffer.from('<svg/>'), '')).toEqual({ image: Buffer.from('<svg/>').toString('base64') });
    expect(verifyInputOf(Buffer.from(' {"a":1}'), 'ignored')).toEqual({ credential: '{"a":1}' });
    expect(verifyInputOf(null, ' https://x.example/c/1 ')).toEqual({ url: 'https://x.example/c/1' });
    expect(verifyInputOf(null, 'eyJ.a.b')).toEqual({ jwt: 'eyJ.a.b' });
    expect(verifyInputOf(null, '   ')).toBeNull();
  });
});
