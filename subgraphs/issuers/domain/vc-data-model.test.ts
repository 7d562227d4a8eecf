import { describe, expect, test } from 'vitest';
import { createDocumentLoader } from '../../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../../lib/crypto/keys.js';
import { decodeMultibase } from '../../../lib/crypto/multibase.js';
import { knownDigests } from '../../../lib/crypto/related-resources.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import { conformanceJsonFiles, readConformanceJson } from '../../../test/helpers/conformance-fixtures.js';
import { dataModelProblem } from './vc-data-model.js';

// The VCDM 2.0 rules the VC-API issuer enforces, one negative case per rule, and the W3C data-model suite's own
// credential inputs run through the same refusal-then-sign path as POST /credentials/issue.

const rules = { knownDigests, decodeMultibase };
const V2 = 'https://www.w3.org/ns/credentials/v2';
const base = { '@context': [V2], type: ['VerifiableCredential'], issuer: 'did:example:issuer', credentialSubject: { id: 'did:example:subject' } };
const problem = (changes: Record<string, unknown>) => dataModelProblem({ ...base, ...changes }, rules);
// The digests of https://www.w3.org/ns/credentials/v2 as W3C serves it (w3c/vc-data-model-2.0-test-suite tests/fixtures.js).
const V2_SRI = 'sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg';
const V2_MULTIBASE = 'uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k';

describe('VCDM 2.0 rules for issuing', () => {
  test('a plain credential keeps every rule', () => {
    expect(problem({})).toBeNull();
  });

  test('@context must start with the VC context', () => {
    expect(problem({ '@context': ['https://www.w3.org/ns/credentials/examples/v2', V2] })).toMatch(/@context must start with/);
  });

  test('issuer null, {}, an object without id or a non-URL is refused', () => {
    for (const issuer of [null, {}, { name: 'Acme' }, { id: null }, 'not a url', 42]) expect(problem({ issuer })).toMatch(/issuer/);
    expect(problem({ issuer: { id: 'did:example:issuer', name: 'Acme' } })).toBeNull();
  });

  test.each(['refreshService', 'credentialSchema', 'termsOfUse', 'evidence', 'credentialStatus'])('%s entries without a type are refused', (property) => {
    expect(problem({ [property]: { id: 'https://example.org/x' } })).toMatch(new RegExp(`every ${property} entry must have a type`));
    expect(problem({ [property]: [{ id: 'https://example.org/x', type: 'X' }, { id: 'https://example.org/y' }] })).toMatch(/must have a type/);
    expect(problem({ [property]: { id: 'https://example.org/x', type: 'X' } })).toBeNull();
  });

  test('credentialSchema entries need an id that is a URL', () => {
    expect(problem({ credentialSchema: { type: 'JsonSchema' } })).toMatch(/credentialSchema entry must have an id/);
    expect(problem({ credentialSchema: { id: 'https://example.org/schema.json', type: 'JsonSchema' } })).toBeNull();
  });

  test('validFrom after validUntil is refused', () => {
    expect(problem({ validFrom: '2025-01-02T00:00:00Z', validUntil: '2025-01-01T00:00:00Z' })).toMatch(/validFrom must not be after validUntil/);
    expect(problem({ validFrom: '2025-01-01T00:00:00Z', validUntil: '2025-01-02T00:00:00Z' })).toBeNull();
  });

  test('name and description are strings or language value objects, on the credential and on the issuer', () => {
    expect(problem({ name: 'A', description: [{ '@value': 'B', '@language': 'en' }, { '@value': 'C', '@language': 'fr', '@direction': 'ltr' }] })).toBeNull();
    expect(problem({ name: 42 })).toMatch(/^name must be a string or language value objects/);
    expect(problem({ description: { '@value': 'B', '@language': 'en', extra: 1 } })).toMatch(/^description must be/);
    expect(problem({ issuer: { id: 'did:example:issuer', name: { en: 'not a language value' } } })).toMatch(/^issuer\.name must be/);
  });

  test('relatedResource: objects with a unique id and a digest that matches a resource the hub can read', () => {
    expect(problem({ relatedResource: { id: V2, digestSRI: V2_SRI } })).toBeNull();
    expect(problem({ relatedResource: [{ id: V2, digestMultibase: V2_MULTIBASE, mediaType: 'application/ld+json' }] })).toBeNull();
    expect(problem({ relatedResource: [V2] })).toMatch(/relatedResource must be one or more objects/);
    expect(problem({ relatedResource: [{ digestMultibase: V2_MULTIBASE }] })).toMatch(/needs an id/);
    expect(problem({ relatedResource: [{ id: V2, digestSRI: V2_SRI }, { id: V2, digestMultibase: V2_MULTIBASE }] })).toMatch(/must be unique/);
    expect(problem({ relatedResource: [{ id: V2 }] })).toMatch(/needs a digestSRI or a digestMultibase/);
    expect(problem({ relatedResource: [{ id: V2, digestSRI: 'sha384-' + Buffer.alloc(48).toString('base64') }] })).toMatch(/digest does not match/);
    expect(problem({ relatedResource: [{ id: 'https://example.org/logo.png', digestSRI: V2_SRI }] })).toMatch(/cannot be read offline/);
  });
});

describe('the W3C VCDM 2.0 suite’s credential inputs, through the issuer’s rules and signature', () => {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  const documentLoader = createDocumentLoader();

  /**
   * What the suite sends: its input with the issuer filled in unless the input is about a null issuer
   * (tests/mock.data.js), and the "PAST DATE" / "FUTURE DATE" placeholders of the validity inputs as dates.
   */
  function requestOf(input: Record<string, any>): Record<string, any> {
    const dates: Record<string, string> = { 'PAST DATE': '2020-01-01T00:00:00Z', 'FUTURE DATE': '2090-01-01T00:00:00Z' };
    const credential = JSON.parse(JSON.stringify(input), (_key, value) => (typeof value === 'string' && dates[value]) || value);
    if (credential.issuer !== null && typeof credential.issuer === 'object') {
      if (!('id' in credential.issuer && credential.issuer.id === null)) credential.issuer.id = credential.issuer.id || did;
    } else if (!('issuer' in credential && credential.issuer === null)) {
      credential.issuer = credential.issuer || did;
    }
    return credential;
  }

  async function issue(credential: Record<string, unknown>): Promise<'signed' | string> {
    const refused = dataModelProblem(credential, rules);
    if (refused) return refused;
    try {
      await signCredential({ credential, signer: { verificationMethod, privateKey: key.privateKey }, documentLoader });
      return 'signed';
    } catch (error) {
      return (error as Error).message;
    }
  }

  // credential-proof-ok.json arrives signed already: the issue route refuses a credential with a proof (it signs
  // unsigned credentials; the suite's tests never send this input to an issuer).
  const inputs = conformanceJsonFiles('vc-data-model-2.0-test-inputs').filter((file) => file.startsWith('credential-') && file !== 'credential-proof-ok.json');
  test.each(inputs)('%s', async (file) => {
    const outcome = await issue(requestOf(readConformanceJson(`vc-data-model-2.0-test-inputs/${file}`)));
    if (file.endsWith('-ok.json')) expect(outcome).toBe('signed');
    else expect(outcome).not.toBe('signed');
  });
});
