import jsonld from 'jsonld';
import { describe, expect, test } from 'vitest';
import { CTDL_CONTEXT, toCtdlPathway } from './pathway-ctdl.js';
import { normaliseRequirement } from './pathway-requirement.js';

const A = '0190a0a0-0000-7000-8000-000000000001';
const B = '0190a0a0-0000-7000-8000-000000000002';
const URL = 'https://hub.example/pathways/p1';

describe('toCtdlPathway', () => {
  const document = toCtdlPathway({
    url: URL,
    name: 'Data track',
    description: 'Three steps.',
    issuerUrl: 'https://hub.example/issuers/i1',
    language: 'en',
    requirement: normaliseRequirement({
      kind: 'ALL_OF',
      children: [
        { kind: 'SEQUENCE', children: [{ kind: 'ACHIEVEMENT', achievement: A }, { kind: 'ACHIEVEMENT', achievement: B, minResult: 70 }] },
        { kind: 'N_OF', n: 1, children: [{ kind: 'SKILL', skill: { framework: 'ESCO', code: 'S1' } }, { kind: 'ACHIEVEMENT', achievement: 'https://uni.example/a/9' }] },
      ],
    }),
    award: { name: 'Data Engineer', url: 'https://hub.example/achievements/x/versions/1' },
    achievements: new Map([
      [A, { name: 'SQL', url: 'https://hub.example/achievements/a/versions/1' }],
      [B, { name: 'Pipelines', url: 'https://hub.example/achievements/b/versions/2' }],
    ]),
  }) as { '@context': string; '@graph': Record<string, any>[] };
  const node = (id: string) => document['@graph'].find((each) => each['@id'] === id)!;

  test('a ceterms:Pathway whose destination is the award, conditioned on the requirement’s root', () => {
    expect(document['@context']).toBe('https://credreg.net/ctdl/schema/context/json');
    expect(node(URL)).toMatchObject({ '@type': 'ceterms:Pathway', 'ceterms:hasDestinationComponent': [`${URL}#award`], 'ceterms:hasChild': [`${URL}#r`] });
    expect(node(`${URL}#award`)['ceterms:hasCondition'][0]).toMatchObject({ 'ceterms:requiredNumber': 1, 'ceterms:targetComponent': [`${URL}#r`] });
  });

  test('groups are selection components requiring n of their children; a sequence’s children precede each other', () => {
    expect(node(`${URL}#r.1`)['ceterms:hasCondition'][0]).toMatchObject({ 'ceterms:requiredNumber': 1, 'ceterms:targetComponent': [`${URL}#r.1.0`, `${URL}#r.1.1`] });
    expect(node(`${URL}#r.0.0`)['ceterms:precedes']).toEqual([`${URL}#r.0.1`]);
    expect(node(`${URL}#r.0.1`)['ceterms:precedes']).toBeUndefined();
  });

  test('achievements are credential components pointing at their OB id; skills are competency components', () => {
    expect(node(`${URL}#r.0.1`)).toMatchObject({ '@type': 'ceterms:CredentialComponent', 'ceterms:name': { en: 'Pipelines' }, 'ceterms:sourceData': 'https://hub.example/achievements/b/versions/2', 'ceterms:description': { en: 'Earned with a result of at least 70.' } });
    expect(node(`${URL}#r.1.1`)).toMatchObject({ 'ceterms:sourceData': 'https://uni.example/a/9' });
    expect(node(`${URL}#r.1.0`)).toMatchObject({ '@type': 'ceterms:CompetencyComponent', 'ceterms:codedNotation': 'S1' });
  });

  test('it parses as JSON-LD with the CTDL terms it uses: every property and type expands into ceterms, nothing is dropped', async () => {
    // The CTDL context (credreg.net) is not reachable offline: these are the definitions of the terms we use as the
    // CTDL documentation gives them (language maps for text, IRIs for links). Safe mode fails on anything dropped.
    const ids = ['hasChild', 'precedes', 'isPartOf', 'targetComponent', 'hasDestinationComponent', 'isDestinationComponentOf', 'sourceData', 'ownedBy', 'subjectWebpage'];
    const context = {
      ceterms: 'https://purl.org/ctdl/terms/',
      'ceterms:name': { '@container': '@language' },
      'ceterms:description': { '@container': '@language' },
      ...Object.fromEntries(ids.map((term) => [`ceterms:${term}`, { '@type': '@id' }])),
    };
    const documentLoader = async (url: string) => {
      if (url !== CTDL_CONTEXT) throw new Error(`no network here: ${url}`);
      return { contextUrl: null, documentUrl: url, document: { '@context': context } };
    };
    const expanded = (await jsonld.expand(document, { documentLoader, safe: true })) as Record<string, any>[];
    const nodes = expanded.flatMap((graph) => graph['@graph'] as Record<string, any>[]);
    expect(nodes).toHaveLength(document['@graph'].length);
    const properties = new Set(nodes.flatMap((each) => Object.keys(each).filter((key) => !key.startsWith('@'))));
    expect([...properties].filter((property) => !property.startsWith('https://purl.org/ctdl/terms/'))).toEqual([]);
    const pathway = nodes.find((each) => each['@id'] === URL)!;
    expect(pathway['@type']).toEqual(['https://purl.org/ctdl/terms/Pathway']);
    expect(pathway['https://purl.org/ctdl/terms/hasChild']).toEqual([{ '@id': `${URL}#r` }]);
    expect(pathway['https://purl.org/ctdl/terms/name']).toEqual([{ '@value': 'Data track', '@language': 'en' }]);
  });
});
