import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EC_CERTIFICATE_OF_PARTICIPATION, EC_MICROCREDENTIAL, MYNEXTID_MICROCREDENTIAL, readSealedEdc } from '../../test/helpers/europass-fixtures.js';
import { createTestSealChain, sealEdc } from '../../test/helpers/jades-seal.js';
import { isJadesDocument, parseTrustAnchors, readEuropassTrustAnchors, verifyJadesSeal } from './jades.js';

const now = new Date();
const edc = { '@context': ['https://www.w3.org/2018/credentials/v1'], id: 'urn:credential:1', issuer: { id: 'urn:epass:org:1', legalName: { en: 'Univerza v Zedu' } } };

describe('JAdES seals on European Digital Credentials', () => {
  test.each([EC_MICROCREDENTIAL, EC_CERTIFICATE_OF_PARTICIPATION, MYNEXTID_MICROCREDENTIAL])(
    'the published sealed EDC %s has a valid seal; with no anchor configured its issuer trust is unknown',
    async (file) => {
      const sealed = readSealedEdc(file);
      expect(isJadesDocument(sealed)).toBe(true);
      const result = await verifyJadesSeal(sealed, { trustAnchors: null, now });
      expect(result.signatureValid).toBe(true);
      expect(result.trust).toBe('UNKNOWN');
      expect(result.trustMessage).toContain('EUROPASS_TRUST_ANCHORS');
      expect(result.payload?.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
      expect(result.sealedBy?.organizationIdentifier).toMatch(/^VAT|^NTR/);
    },
  );

  test('a seal made with a throwaway chain is trusted when its root is an anchor, and unknown under another anchor', async () => {
    const chain = await createTestSealChain();
    const sealed = await sealEdc(edc, chain);
    const trusted = await verifyJadesSeal(sealed, { trustAnchors: parseTrustAnchors(chain.rootPem), now });
    expect(trusted).toMatchObject({ signatureValid: true, trust: 'TRUSTED' });
    expect(trusted.sealedBy).toMatchObject({ organizationIdentifier: 'VATSI-12345678' });
    expect(trusted.payload?.issuer).toMatchObject({ eIDASIdentifier: { notation: 'VATSI-12345678' } });
    const other = await createTestSealChain();
    const unknown = await verifyJadesSeal(sealed, { trustAnchors: parseTrustAnchors(other.rootPem), now });
    expect(unknown).toMatchObject({ signatureValid: true, trust: 'UNKNOWN' });
    expect(unknown.trustMessage).toContain('none of the 1 configured trust anchors');
  });

  test('a document changed after sealing fails, naming why', async () => {
    const chain = await createTestSealChain();
    const sealed = await sealEdc(edc, chain);
    const tampered = { ...sealed, payload: sealed.payload.replace('Univerza v Zedu', 'Univerza v Ypsilonu') };
    const result = await verifyJadesSeal(tampered, { trustAnchors: parseTrustAnchors(chain.rootPem), now });
    expect(result.signatureValid).toBe(false);
    expect(result.signatureMessage).toContain('changed after sealing');
    // The same for a published seal: one character of its payload changed.
    const published = readSealedEdc(EC_MICROCREDENTIAL);
    const changed = await verifyJadesSeal({ ...published, payload: published.payload.replace('Ana', 'Ann') }, { trustAnchors: null, now });
    expect(changed.signatureValid).toBe(false);
  });

  test('a seal whose certificate had expired when it was made is INVALID, however good its signature', async () => {
    const chain = await createTestSealChain({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const sealed = await sealEdc(edc, chain, new Date('2022-06-01'));
    const result = await verifyJadesSeal(sealed, { trustAnchors: parseTrustAnchors(chain.rootPem), now });
    expect(result).toMatchObject({ signatureValid: true, trust: 'INVALID' });
    expect(result.trustMessage).toContain('was not valid at 2022-06-01');
  });

  test('a seal whose x5t#S256 names another certificate, or with a critical header Cairn does not know, fails', async () => {
    const chain = await createTestSealChain();
    const sealed = await sealEdc(edc, chain);
    const header = JSON.parse(Buffer.from(sealed.signatures[0]!.protected, 'base64url').toString());
    const rewrite = (changes: Record<string, unknown>) => ({
      ...sealed,
      signatures: [{ ...sealed.signatures[0]!, protected: Buffer.from(JSON.stringify({ ...header, ...changes })).toString('base64url') }],
    });
    expect((await verifyJadesSeal(rewrite({ 'x5t#S256': 'AAAA' }), { trustAnchors: null, now })).signatureMessage).toContain('x5t#S256');
    expect((await verifyJadesSeal(rewrite({ crit: ['b64', 'sigT', 'exp'] }), { trustAnchors: null, now })).signatureMessage).toContain('exp');
    expect((await verifyJadesSeal(rewrite({ crit: ['b64', 'sigT', 'sigD'] }), { trustAnchors: null, now })).signatureMessage).toContain('sigD');
  });
});

describe('trust anchors from the operator’s file', () => {
  test('every certificate of a PEM bundle is an anchor; other blocks are ignored; a named file that is missing or empty stops the service', async () => {
    const [one, two] = [await createTestSealChain(), await createTestSealChain()];
    const directory = mkdtempSync(join(tmpdir(), 'cairn-anchors-'));
    const bundle = join(directory, 'anchors.pem');
    writeFileSync(bundle, `# EU trusted lists, extracted 2026-12-06\n${one.rootPem}\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n${two.rootPem}\n`);
    expect(readEuropassTrustAnchors(bundle)?.map((anchor) => anchor.subject)).toEqual([one.root.subject, two.root.subject]);
    expect(readEuropassTrustAnchors(null)).toBeNull();
    expect(() => readEuropassTrustAnchors(join(directory, 'missing.pem'))).toThrow(/EUROPASS_TRUST_ANCHORS/);
    writeFileSync(join(directory, 'empty.pem'), 'no certificates here');
    expect(() => readEuropassTrustAnchors(join(directory, 'empty.pem'))).toThrow(/holds no certificate/);
  });
});
