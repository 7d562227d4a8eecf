import { describe, expect, test } from 'vitest';
import { createDocumentLoader } from '../crypto/document-loader.js';
import { parseTrustAnchors } from '../europass/jades.js';
import type { SafeFetch } from '../net/types.js';
import { EC_CERTIFICATE_OF_PARTICIPATION, EC_MICROCREDENTIAL, MYNEXTID_MICROCREDENTIAL, readSealedEdc, sealedEdcPayload } from '../../test/helpers/europass-fixtures.js';
import { createTestSealChain, sealEdc } from '../../test/helpers/jades-seal.js';
import { createCredentialVerifier, type CredentialVerifierOptions } from './verify-credential.js';

// Sealed European Digital Credentials through Cairn's verifier: the Commission's published samples, and EDCs sealed
// here with throwaway certificate chains (trusted, tampered, from an unknown chain). No network is touched.

const networkForbidden: SafeFetch = async (url) => {
  throw new Error(`the verifier tried to fetch ${url}`);
};
const now = new Date('2026-06-01T00:00:00Z');

function verifier(overrides: Partial<CredentialVerifierOptions> = {}) {
  return createCredentialVerifier({
    documentLoader: createDocumentLoader(),
    fetch: networkForbidden,
    trust: async () => ({ known: false, source: null }),
    now: () => now,
    ...overrides,
  });
}

const outcomes = (checks: { name: string; outcome: string }[]) => Object.fromEntries(checks.map((check) => [check.name, check.outcome]));

describe('sealed European Digital Credentials in the verifier', () => {
  test.each([EC_MICROCREDENTIAL, EC_CERTIFICATE_OF_PARTICIPATION])('the Commission’s sample %s verifies check by check: seal valid, issuer trust unknown', async (file) => {
    const result = await verifier().verify({ credential: readSealedEdc(file) });
    expect(outcomes(result.checks)).toEqual({
      format: 'PASSED',
      schema: 'PASSED',
      subject: 'PASSED',
      proof: 'PASSED',
      status: 'SKIPPED',
      validity: 'PASSED',
      recipient: 'SKIPPED',
      issuer: 'WARNING',
    });
    expect(result.checks.find((check) => check.name === 'issuer')!.message).toMatch(/^Seal valid, issuer trust unknown/);
    expect(result).toMatchObject({ status: 'VALID', verified: true, issuer: { known: false } });
    expect(result.credential).toMatchObject({ format: 'EDC_JADES', types: ['VerifiableCredential', 'EuropeanDigitalCredential'] });
    expect(result.credential!.name).toBeTruthy();
  });

  test('the same sample handed over as text (a JSON string) verifies the same', async () => {
    const text = JSON.stringify(readSealedEdc(EC_MICROCREDENTIAL));
    expect((await verifier().verify({ credential: text })).status).toBe('VALID');
    expect((await verifier().verify({ jwt: text })).status).toBe('VALID');
  });

  test('a third party’s sealed EDC with a valid seal but outside the EDC profile is INVALID, naming the shapes it breaks', async () => {
    const result = await verifier().verify({ credential: readSealedEdc(MYNEXTID_MICROCREDENTIAL) });
    expect(result.status).toBe('INVALID');
    expect(result.checks.find((check) => check.name === 'proof')!.outcome).toBe('PASSED');
    expect(result.checks.find((check) => check.name === 'schema')).toMatchObject({ outcome: 'FAILED', message: expect.stringContaining('Does not conform to the EDC application profile') });
  });

  test('sealed with a chain to a configured anchor, the issuer is known; tampered, it is INVALID; from another chain, trust is unknown', async () => {
    const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-12-31T00:00:00Z') };
    const chain = await createTestSealChain(validity);
    const edc = sealedEdcPayload(EC_MICROCREDENTIAL);
    const sealed = await sealEdc(edc, chain, new Date('2026-05-01T00:00:00Z'));
    const anchored = verifier({ europassTrustAnchors: parseTrustAnchors(chain.rootPem) });

    const trusted = await anchored.verify({ credential: sealed, recipientEmail: 'Ana.Andromeda.4EDC@gmail.com' });
    expect(trusted.checks.filter((check) => check.outcome === 'FAILED')).toEqual([]);
    expect(trusted).toMatchObject({ status: 'VALID', verified: true, issuer: { known: true, source: 'eu-trust-anchor', name: 'ORGANIZACION TEST' } });
    expect(outcomes(trusted.checks)).toMatchObject({ proof: 'PASSED', recipient: 'PASSED', issuer: 'PASSED' });

    const tampered = await anchored.verify({ credential: { ...sealed, payload: sealed.payload.replace('Ana Andromeda', 'Eve Andromeda') } });
    expect(tampered.status).toBe('INVALID');
    expect(tampered.checks.find((check) => check.name === 'proof')).toMatchObject({ outcome: 'FAILED', message: expect.stringContaining('changed after sealing') });

    const elsewhere = await createTestSealChain(validity);
    const unknown = await verifier({ europassTrustAnchors: parseTrustAnchors(elsewhere.rootPem) }).verify({ credential: sealed });
    expect(unknown).toMatchObject({ status: 'VALID', issuer: { known: false } });
    expect(unknown.checks.find((check) => check.name === 'issuer')).toMatchObject({ outcome: 'WARNING', message: expect.stringContaining('issuer trust unknown') });
    // An operator who requires known issuers gets INVALID for the same seal.
    const strict = await verifier({ europassTrustAnchors: parseTrustAnchors(elsewhere.rootPem), requireKnownIssuer: true }).verify({ credential: sealed });
    expect(strict.status).toBe('INVALID');
  });

  test('a seal whose certificate had expired when it was made fails the issuer check', async () => {
    const chain = await createTestSealChain({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const sealed = await sealEdc(sealedEdcPayload(EC_MICROCREDENTIAL), chain, new Date('2022-01-01'));
    const result = await verifier({ europassTrustAnchors: parseTrustAnchors(chain.rootPem) }).verify({ credential: sealed });
    expect(result.status).toBe('INVALID');
    expect(result.checks.find((check) => check.name === 'issuer')).toMatchObject({ outcome: 'FAILED', message: expect.stringContaining('was not valid at') });
  });
});

describe('sealed payloads the verifier will not process', () => {
  test('a payload nested absurdly deep is INVALID before any JSON-LD runs', async () => {
    const chain = await createTestSealChain();
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 200; level++) deep = { nested: deep };
    const sealed = await sealEdc({ issuer: { id: 'urn:epass:org:1' }, deep }, chain);
    const result = await verifier().verify({ credential: sealed });
    expect(result.status).toBe('INVALID');
    expect(result.checks).toEqual([expect.objectContaining({ name: 'format', outcome: 'FAILED', message: 'The sealed payload nests deeper than 64 levels' })]);
  });
});
