import { describe, expect, test } from 'vitest';
import type { RdfQuad, RdfTerm } from '../crypto/jsonld-engine.js';
import { loadShapes, validateShacl } from './shacl.js';

// The SHACL Core semantics the EDC shapes rely on, on a tiny shapes graph (expanded JSON-LD, as the bundled shapes are).

const SH = 'http://www.w3.org/ns/shacl#';
const EX = 'http://example.com/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const iri = (value: string) => [{ '@id': value }];
const literal = (value: unknown) => [{ '@value': value }];

const shapes = loadShapes([
  {
    '@id': `${EX}PersonShape`,
    '@type': [`${SH}NodeShape`],
    [`${SH}targetClass`]: iri(`${EX}Person`),
    [`${SH}property`]: [{ '@id': '_:name' }, { '@id': '_:org' }, { '@id': '_:age' }, { '@id': '_:off' }],
  },
  { '@id': '_:name', [`${SH}path`]: iri(`${EX}name`), [`${SH}minCount`]: literal(1), [`${SH}uniqueLang`]: literal(true), [`${SH}datatype`]: iri('http://www.w3.org/1999/02/22-rdf-syntax-ns#langString') },
  { '@id': '_:org', [`${SH}path`]: iri(`${EX}memberOf`), [`${SH}maxCount`]: literal(1), [`${SH}or`]: [{ '@list': [{ '@id': '_:isOrg' }, { '@id': '_:isGroup' }] }] },
  { '@id': '_:isOrg', [`${SH}class`]: iri(`${EX}Organisation`) },
  { '@id': '_:isGroup', [`${SH}node`]: iri(`${EX}GroupShape`) },
  { '@id': `${EX}GroupShape`, '@type': [`${SH}NodeShape`], [`${SH}property`]: [{ '@id': '_:label' }] },
  { '@id': '_:label', [`${SH}path`]: iri(`${EX}label`), [`${SH}minCount`]: literal(1) },
  { '@id': '_:age', [`${SH}path`]: iri(`${EX}age`), [`${SH}maxInclusive`]: literal(150) },
  { '@id': '_:off', [`${SH}path`]: iri(`${EX}nickname`), [`${SH}minCount`]: literal(1), [`${SH}deactivated`]: literal(true) },
]);

const node = (value: string) => ({ termType: 'NamedNode' as const, value });
const text = (value: string, language?: string): RdfTerm => ({
  termType: 'Literal',
  value,
  datatype: node(language ? 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' : 'http://www.w3.org/2001/XMLSchema#string'),
  ...(language ? { language } : {}),
});
const quad = (subject: string, predicate: string, object: RdfTerm): RdfQuad => ({ subject: node(subject), predicate: node(predicate), object, graph: { termType: 'DefaultGraph', value: '' } });
const person = (...more: RdfQuad[]) => [quad(`${EX}ada`, RDF_TYPE, node(`${EX}Person`)), ...more];
const constraintsOf = (quads: RdfQuad[]) => validateShacl(shapes, quads).map((violation) => violation.constraint).sort();

describe('SHACL Core, as far as the EDC shapes use it', () => {
  test('a conforming node has no violation; a deactivated shape is not checked', () => {
    expect(validateShacl(shapes, person(quad(`${EX}ada`, `${EX}name`, text('Ada', 'en'))))).toEqual([]);
  });

  test('minCount, datatype and uniqueLang', () => {
    expect(constraintsOf(person())).toEqual(['minCount']);
    expect(constraintsOf(person(quad(`${EX}ada`, `${EX}name`, text('Ada'))))).toEqual(['datatype']);
    expect(constraintsOf(person(quad(`${EX}ada`, `${EX}name`, text('Ada', 'en')), quad(`${EX}ada`, `${EX}name`, text('Ada L.', 'EN'))))).toEqual(['uniqueLang']);
  });

  test('or: one alternative that holds is enough (a class, or a node shape checked recursively); maxCount', () => {
    const named = quad(`${EX}ada`, `${EX}name`, text('Ada', 'en'));
    const org = [quad(`${EX}ada`, `${EX}memberOf`, node(`${EX}acme`)), quad(`${EX}acme`, RDF_TYPE, node(`${EX}Organisation`))];
    expect(constraintsOf(person(named, ...org))).toEqual([]);
    expect(constraintsOf(person(named, quad(`${EX}ada`, `${EX}memberOf`, node(`${EX}club`)), quad(`${EX}club`, `${EX}label`, text('Club'))))).toEqual([]);
    expect(constraintsOf(person(named, quad(`${EX}ada`, `${EX}memberOf`, node(`${EX}nothing`))))).toEqual(['or']);
    expect(constraintsOf(person(named, ...org, quad(`${EX}ada`, `${EX}memberOf`, node(`${EX}other`)), quad(`${EX}other`, RDF_TYPE, node(`${EX}Organisation`))))).toEqual(['maxCount']);
  });

  test('maxInclusive compares numbers', () => {
    const named = quad(`${EX}ada`, `${EX}name`, text('Ada', 'en'));
    const age = (value: string): RdfTerm => ({ termType: 'Literal', value, datatype: node('http://www.w3.org/2001/XMLSchema#integer') });
    expect(constraintsOf(person(named, quad(`${EX}ada`, `${EX}age`, age('36'))))).toEqual([]);
    expect(constraintsOf(person(named, quad(`${EX}ada`, `${EX}age`, age('151'))))).toEqual(['maxInclusive']);
  });

  test('shapes with paths other than a predicate are refused', () => {
    expect(() => loadShapes([{ '@id': '_:p', [`${SH}path`]: [{ '@list': [{ '@id': `${EX}a` }] }], [`${SH}minCount`]: literal(1) }])).toThrow(/predicate paths/);
  });
});
