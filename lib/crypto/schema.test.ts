import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentLoader } from './document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from './keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { conformanceJsonFiles, readConformanceJson } from '../../test/helpers/conformance-fixtures.js';
import { validateAchievementCredential } from './schema.js';
import { signCredential, type SignedCredential } from './sign.js';

describe('validateAchievementCredential', () => {
  let signed: SignedCredential;

  beforeAll(async () => {
    const key = importSigningKey(generateSigningKey());
    const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
    signed = await signCredential({
      credential: buildSampleAchievementCredential({ issuerId: did }),
      signer: { verificationMethod, privateKey: key.privateKey },
      documentLoader: createDocumentLoader(),
      now: new Date('2024-06-01T08:30:00Z'),
    });
  });

  it('accepts a credential as signCredential emits it', () => {
    expect(validateAchievementCredential(signed)).toEqual({ valid: true, errors: [] });
  });

  it('reports a missing achievement at its own path', () => {
    const { achievement: _achievement, ...subject } = signed.credentialSubject as Record<string, unknown>;
    const result = validateAchievementCredential({ ...signed, credentialSubject: subject });
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual({ path: '/credentialSubject/achievement', message: 'is required' });
  });

  it('rejects a single proof object, as @digitalbazaar/vc would emit it', () => {
    const result = validateAchievementCredential({ ...signed, proof: signed.proof[0] });
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual({ path: '/proof', message: 'must be array' });
  });

  it('rejects a date without a timezone', () => {
    const result = validateAchievementCredential({ ...signed, validFrom: '2024-01-01T00:00:00' });
    expect(result.valid).toBe(false);
    expect(result.errors.map((error) => error.path)).toContain('/validFrom');
  });

  it('answers with data, never throws, for non-credentials', () => {
    for (const input of [null, 42, 'text', [], {}]) {
      expect(validateAchievementCredential(input).valid).toBe(false);
    }
  });

  // test/fixtures/conformance/SOURCES.md lists which spec examples pass the schema: those written with single (compacted) values do not.
  const NOT_PLAIN_JSON = ['migrating--', 'recommended-practices--', 'readme--'];
  const examples = conformanceJsonFiles('examples/ob-v3p0');
  it.each(examples)('agrees with SOURCES.md on the spec example %s', (file) => {
    const example: unknown = readConformanceJson(`examples/ob-v3p0/${file}`);
    const expectedValid = !NOT_PLAIN_JSON.some((prefix) => file.startsWith(prefix));
    expect(validateAchievementCredential(example).valid).toBe(expectedValid);
  });
});
