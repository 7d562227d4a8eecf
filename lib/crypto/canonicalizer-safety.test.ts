import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { describe, expect, it } from 'vitest';
import { createCanonicalizer, type Canonicalizer, type CanonizeOptions } from './canonicalizer.js';
import { createDocumentLoader } from './document-loader.js';
import { collectContextTerms } from './context-terms.js';
import { leafClass, PlaceholderScheme, replaceLeaves, UnsupportedDocument, walkDocument, type LeafValue } from './document-shape.js';
import { AWKWARD_STRINGS, generateVariedCredential, SHAPE_FAMILIES } from '../../test/fixtures/varied-credentials.js';
import { seededRandom } from '../seeded-random.js';
import { canonicalOutcome } from '../../test/helpers/canonical-outcome.js';

// The shape cache must never accept what the stock path rejects, must step aside where jsonld transforms values or
// merges them, and must stay bounded. Every check compares with eddsaRdfc2022.canonize itself.

const documentLoader = createDocumentLoader();
const PROOF_OPTIONS = { documentLoader, base: null, safe: true };
const ISSUER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

async function expectSameAsStock(canonicalizer: Canonicalizer, document: unknown, label: string, options: CanonizeOptions = PROOF_OPTIONS) {
  const stock = await canonicalOutcome(() => eddsaRdfc2022.canonize(document, options));
  expect(await canonicalOutcome(() => canonicalizer.canonize(document, options)), label).toEqual(stock);
  return stock;
}

/** An OB credential whose shape is cached (seen, built, filled once), and a fresh copy of it to modify. */
async function cachedCredential(canonicalizer: Canonicalizer) {
  const credential = generateVariedCredential(SHAPE_FAMILIES, { issuerId: ISSUER });
  credential.evidence = [{ id: 'https://academy.example.org/evidence/1', type: ['Evidence'], name: 'Exam' }];
  for (let run = 0; run < 3; run++) await canonicalizer.canonize(structuredClone(credential), PROOF_OPTIONS);
  expect(canonicalizer.stats).toMatchObject({ fallbacks: 1, misses: 1, hits: 1 });
  return structuredClone(credential);
}

/** Terms that exercise what OB contexts do not: `@vocab` values, compact IRIs, `@json`, language maps, lists, indexes. */
const EDGE_CONTEXT = {
  ex: 'https://example.org/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  level: { '@id': 'ex:level', '@type': '@vocab' },
  Gold: 'ex:Gold',
  Silver: 'ex:Silver',
  homepage: { '@id': 'ex:homepage', '@type': '@id' },
  score: { '@id': 'ex:score', '@type': 'xsd:double' },
  count: { '@id': 'ex:count', '@type': 'xsd:integer' },
  note: { '@id': 'ex:note', '@type': '@json' },
  labels: { '@id': 'ex:labels', '@container': '@language' },
  steps: { '@id': 'ex:steps', '@container': '@list' },
  indexed: { '@id': 'ex:indexed', '@container': '@index' },
  plain: 'ex:plain',
  said: 'ex:said',
};

const EDGE_VALUES = {
  level: ['Gold', 'Silver', 'ex:Bronze', 'ex:Gold', 'https://example.org/ns#Platinum', 'Unknown', '_:b1'],
  homepage: ['https://a.example/x', 'https://a.example/y', 'ex:page', 'urn:x:y', 'page/relative', '_:b7', 'Gold', 'http://a.example/ b'],
  score: [1, 2.5, '3.5', 1e21, 0.3, 0.30000000000000004, 7],
  count: [0, 5, '5', 2.0, 1e-7, 123456789],
  note: [{ a: 1, b: 'x' }, 'text', 12, [1, '2', { c: null }], true, 2.5],
  said: [
    'hi',
    { '@value': 'hi', '@language': 'en' },
    { '@value': 'hi', '@language': 'en', '@direction': 'rtl' },
    { '@value': 'hi', '@language': 'en', '@direction': 'ltr' },
    { '@value': 'hi', '@type': 'xsd:string' },
    { '@value': 'hi', '@language': 'not a tag!' },
  ],
  text: ['same', 'other', ...AWKWARD_STRINGS.flat().slice(0, 8)],
};

/** A credential under EDGE_CONTEXT: structure from `index % 11`, values from small pools so that duplicates are common. */
function edgeDocument(index: number): Record<string, unknown> {
  const shape = seededRandom(31 * ((index % 11) + 1));
  const value = seededRandom(index + 101);
  const has = (p: number) => shape() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(value() * items.length)]!;
  const many = <T>(items: readonly T[]) => Array.from({ length: 1 + Math.floor(shape() * 3) }, () => pick(items));
  const subject: Record<string, unknown> = {};
  if (has(0.5)) subject.id = pick(['did:example:alice', 'did:example:bob']);
  if (has(0.6)) subject.level = has(0.3) ? many(EDGE_VALUES.level) : pick(EDGE_VALUES.level);
  if (has(0.6)) subject.homepage = has(0.3) ? many(EDGE_VALUES.homepage) : pick(EDGE_VALUES.homepage);
  if (has(0.5)) subject.score = has(0.4) ? many(EDGE_VALUES.score) : pick(EDGE_VALUES.score);
  if (has(0.5)) subject.count = has(0.4) ? many(EDGE_VALUES.count) : pick(EDGE_VALUES.count);
  if (has(0.4)) subject.note = pick(EDGE_VALUES.note);
  if (has(0.5)) subject.labels = { en: pick(EDGE_VALUES.text), fr: pick(EDGE_VALUES.text) };
  if (has(0.5)) subject.steps = many(EDGE_VALUES.text);
  if (has(0.5)) subject.indexed = { a: pick(EDGE_VALUES.text), b: pick(EDGE_VALUES.text) };
  if (has(0.5)) subject.plain = many([...EDGE_VALUES.text, 42, 3.25, true]);
  if (has(0.5)) subject.said = many(EDGE_VALUES.said);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', EDGE_CONTEXT],
    id: `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    type: ['VerifiableCredential'],
    issuer: ISSUER,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: subject,
  };
}

/**
 * The same document with other values, each of the same class (see leafClass), so the same shape. `level` (`@vocab`)
 * and `note` (`@json`) values stay: they are part of the template key, so changing them would only build new templates.
 */
function withOtherValues(node: unknown): unknown {
  if (typeof node === 'string') return `${node}x`;
  if (typeof node === 'number') return node + 1;
  if (Array.isArray(node)) return node.map(withOtherValues);
  if (node === null || typeof node !== 'object') return node;
  const kept = new Set(['@context', 'type', '@type', '@language', '@direction', 'level', 'note']);
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, kept.has(key) ? child : withOtherValues(child)]));
}

/** Values that jsonld may treat specially: term and keyword look-alikes, IRIs of every kind, numbers of both kinds. */
const ADVERSARIAL_VALUES: LeafValue[] = [
  ...['name', 'Achievement', 'Profile', 'MicroCredential', 'emailAddress', 'VerifiableCredential', 'Gold', 'level', 'ex', 'xsd'],
  ...['@id', '@type', '@vocab', '_:b0', '_:x', 'rel/ative', '', ' ', '#frag', '?q', '//host/x', ':x', 'x:', '1:2', 'a:b c'],
  ...['ex:Gold', 'ex:', 'xsd:double', 'rdf:type', 'https:x', 'https:/x', 'http://x', 'https://a.example/ x', 'urn:a'],
  ...['did:key:abc', 'mailto:a@b', 'tel:+1', 'data:,x', 'https://www.w3.org/ns/credentials/v2', ISSUER],
  ...AWKWARD_STRINGS.flat(),
  ...[0, 1, -1, 2, 42, 1e-7, 1.5, 3.25, 1e21, 0.30000000000000004],
];

/**
 * The document with each leaf replaced, half the time, by an adversarial value or by another of its own leaves, always
 * of the leaf's class: the same shape, so these documents are served from the cache, with the nastiest values it can
 * be handed.
 */
function withAdversarialValues(document: unknown, terms: ReadonlySet<string>, seed: number): unknown {
  const random = seededRandom(seed);
  const { leaves } = walkDocument(document, new PlaceholderScheme());
  return replaceLeaves(document, (_, value) => {
    const kind = leafClass(value, terms);
    const pool = random() < 0.3 ? leaves : ADVERSARIAL_VALUES;
    const candidates = pool.filter((candidate) => leafClass(candidate, terms) === kind);
    return random() < 0.5 && candidates.length > 0 ? candidates[Math.floor(random() * candidates.length)]! : value;
  });
}

describe('createCanonicalizer: safety', () => {
  it('refuses an undefined term (safe mode) even after the same-looking credential was cached', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const credential = await cachedCredential(canonicalizer);
    const withTypo = { ...credential, favouriteColour: 'teal' };
    await expect(canonicalizer.canonize(withTypo, PROOF_OPTIONS)).rejects.toThrow(/safe mode/i);
    await expectSameAsStock(canonicalizer, withTypo, 'undefined term');
    expect(canonicalizer.stats.hits).toBe(1);
    expect(canonicalizer.stats.templates).toBe(1); // rejections are never remembered
  });

  it('does not substitute a relative IRI where an absolute one was cached: the stock path rejects it', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const credential = await cachedCredential(canonicalizer);
    credential.evidence[0].id = 'evidence/1';
    const outcome = await expectSameAsStock(canonicalizer, credential, 'relative evidence id');
    expect(outcome).toMatchObject({ error: expect.stringMatching(/relative @id reference/) });
    expect(canonicalizer.stats.hits).toBe(1);
  });

  it('does not substitute blank node ids (`_:`), whose labels jsonld reassigns', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const credential = await cachedCredential(canonicalizer);
    for (const id of ['_:e1', '_:e2', '_:b0']) {
      credential.evidence[0].id = id;
      await expectSameAsStock(canonicalizer, credential, id);
    }
    expect(canonicalizer.stats.selfCheckFailures).toBe(0);
  });

  it('refuses an invalid @language value, which is never substituted', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const credential = await cachedCredential(canonicalizer);
    credential.name = { '@value': 'Badge', '@language': 'en' };
    await expectSameAsStock(canonicalizer, credential, 'valid language');
    credential.name = { '@value': 'Badge', '@language': 'not a tag!' };
    expect(await expectSameAsStock(canonicalizer, credential, 'invalid language')).toHaveProperty('error');
  });

  it('merges nodes and values exactly as jsonld does (repeated issuer profile, duplicate evidence and tags)', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    for (let i = 0; i < 6; i++) {
      const credential = generateVariedCredential(0, { issuerId: ISSUER });
      credential.name = `Credential ${i}`;
      credential.credentialSubject.achievement.creator = structuredClone(credential.issuer); // one node, embedded twice
      credential.credentialSubject.achievement.tag = ['SQL', i % 2 ? 'SQL' : 'Welding'];
      credential.evidence = [0, 1].map(() => ({ id: `https://academy.example.org/evidence/${i}`, type: ['Evidence'], name: 'Exam' }));
      await expectSameAsStock(canonicalizer, credential, `merge #${i}`);
    }
    // The first credential is the shape's first sight, the second builds the template: the other four fill it.
    expect(canonicalizer.stats).toMatchObject({ selfCheckFailures: 0, fallbacks: 1, misses: 1, hits: 4 });
  });

  it('agrees with the stock path on 990 documents using @vocab, compact IRIs, @json, language maps, lists and indexes', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    let rejected = 0;
    for (let i = 0; i < 330; i++) {
      const document = edgeDocument(i);
      if ('error' in (await expectSameAsStock(canonicalizer, document, `edge document #${i}`))) rejected++;
      // Two more of the same shape: the first sight goes the stock way, so only the third fills a template.
      await expectSameAsStock(canonicalizer, withOtherValues(document), `edge document #${i}, other values`);
      await expectSameAsStock(canonicalizer, withOtherValues(withOtherValues(document)), `edge document #${i}, more values`);
    }
    expect(rejected).toBeGreaterThan(10); // relative IRIs, unknown @vocab values, bad language tags
    expect(rejected).toBeLessThan(300);
    expect(canonicalizer.stats.selfCheckFailures).toBe(0);
    expect(canonicalizer.stats.hits).toBeGreaterThan(50);
  });

  it('fills cached templates exactly as jsonld would with adversarial values (600 documents)', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const obTerms = (await collectContextTerms([generateVariedCredential(0, { issuerId: ISSUER })['@context']], documentLoader))!;
    const edgeTerms = (await collectContextTerms([edgeDocument(0)['@context']], documentLoader))!;
    for (let i = 0; i < 300; i++) {
      const credential = withAdversarialValues(generateVariedCredential(i % 40, { issuerId: ISSUER }), obTerms, i);
      await expectSameAsStock(canonicalizer, credential, `credential #${i % 40}, seed ${i}`);
      const edge = withAdversarialValues(edgeDocument(i % 60), edgeTerms, i);
      await expectSameAsStock(canonicalizer, edge, `edge document #${i % 60}, seed ${i}`);
    }
    expect(canonicalizer.stats.selfCheckFailures).toBe(0);
    expect(canonicalizer.stats.hits).toBeGreaterThan(200);
  });

  it('keeps at most cacheSize shapes and templates, and stays correct while evicting', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader, cacheSize: 2 });
    for (let i = 0; i < 3 * SHAPE_FAMILIES; i++) {
      await expectSameAsStock(canonicalizer, generateVariedCredential(i, { issuerId: ISSUER }), `credential #${i}`);
      expect(canonicalizer.stats.shapes).toBeLessThanOrEqual(2);
      expect(canonicalizer.stats.templates).toBeLessThanOrEqual(2);
    }
    expect(canonicalizer.stats.selfCheckFailures).toBe(0);
  });

  it('leaves to the stock path what it does not model: URL input, non-JSON values, unknown options', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const credential = generateVariedCredential(1, { issuerId: ISSUER });
    await expectSameAsStock(canonicalizer, 'https://example.org/remote.jsonld', 'a URL');
    await expectSameAsStock(canonicalizer, { ...credential, validFrom: new Date('2025-01-01T00:00:00Z') }, 'a Date value');
    await expectSameAsStock(canonicalizer, credential, 'an abort signal', { ...PROOF_OPTIONS, signal: new AbortController().signal });
    expect(canonicalizer.stats.fallbacks).toBe(3);
    // Options it does model are part of the key: the same credential without safe mode is a shape of its own.
    for (let run = 0; run < 3; run++) {
      await expectSameAsStock(canonicalizer, credential, 'no safe mode', { ...PROOF_OPTIONS, safe: false });
    }
    expect(canonicalizer.stats).toMatchObject({ fallbacks: 4, misses: 1, hits: 1 });
    // Outsized documents are not cached at all (the caches hold keys and templates in proportion to them).
    const outsized = { ...credential, evidence: Array.from({ length: 1000 }, (_, i) => ({ id: `urn:x:${i}`, type: ['Evidence'], name: `E${i}` })) };
    const kept = { ...credential, _sd: ['x'.repeat(40_000)] };
    for (let run = 0; run < 3; run++) {
      await expectSameAsStock(canonicalizer, outsized, 'outsized structure');
      await expectSameAsStock(canonicalizer, kept, 'outsized kept value');
    }
    expect(canonicalizer.stats).toMatchObject({ fallbacks: 10, misses: 1, hits: 1, templates: 1 });
  });

  it('never mistakes data for its placeholders', () => {
    const scheme = new PlaceholderScheme();
    expect(() => walkDocument({ name: `x${scheme.marker}1_` }, scheme)).toThrow(UnsupportedDocument);
    expect(() => walkDocument({ [`${scheme.marker}`]: 1 }, scheme)).toThrow(UnsupportedDocument);
    expect(() => walkDocument({ n: scheme.numberBase + 3 }, scheme)).toThrow(UnsupportedDocument);
    expect(() => walkDocument({ n: String(scheme.numberBase + 3.5) }, scheme)).toThrow(UnsupportedDocument);
    expect(() => walkDocument({ type: [`${scheme.marker}7_`] }, scheme)).toThrow(UnsupportedDocument);
    expect(walkDocument({ n: 42, s: 'plain' }, scheme).leaves).toEqual([42, 'plain']);
  });

  it('throws TypeError on misuse', () => {
    expect(() => createCanonicalizer({} as never)).toThrow(TypeError);
    expect(() => createCanonicalizer({ documentLoader, cacheSize: 0 })).toThrow(TypeError);
    expect(() => createCanonicalizer({ documentLoader, cacheSize: 1.5 })).toThrow(TypeError);
  });
});
