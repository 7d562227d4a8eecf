import type { RdfQuad, RdfTerm } from '../crypto/jsonld-engine.js';

/**
 * A SHACL Core validator for exactly the constraint components the European Commission's EDC shapes use
 * (`EDC-generic-no-cv` and `EDC-generic-full`, bundled under lib/crypto/schemas/): targetClass, property with a
 * predicate path, class, datatype, nodeKind, node, or, minCount, maxCount, uniqueLang, maxInclusive, hasValue and
 * deactivated. Loading shapes that use any other SHACL term throws, so a newer version of the shapes cannot be
 * half-checked without anyone noticing. No npm SHACL engine is in the stack (docs/decisions.md, issue 17).
 */

const SH = 'http://www.w3.org/ns/shacl#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** SHACL terms that carry no constraint (labels, severities, messages, ordering). */
const NON_VALIDATING = new Set(['name', 'description', 'severity', 'order', 'message', 'group']);
/** `sh:nodekind` (lower-case k) appears once in EDC-generic-no-cv 1.1.0: it is no SHACL term, so SHACL ignores it. */
const MISSPELLED_IGNORED = new Set(['nodekind']);

type JsonLdValue = { '@id'?: string; '@value'?: unknown; '@type'?: string; '@language'?: string; '@list'?: JsonLdValue[] };
type JsonLdNode = { '@id': string; '@type'?: string[] } & Record<string, JsonLdValue[] | string | string[] | undefined>;

interface Shape {
  id: string;
  /** A predicate IRI for a property shape; null for a node shape. */
  path: string | null;
  deactivated: boolean;
  classes: string[];
  datatype: string | null;
  nodeKind: string | null;
  nodes: string[];
  or: string[][];
  minCount: number | null;
  maxCount: number | null;
  uniqueLang: boolean;
  maxInclusive: number | null;
  hasValue: string[];
  properties: string[];
}

export interface ShapesGraph {
  shapes: ReadonlyMap<string, Shape>;
  targets: ReadonlyArray<{ targetClass: string; shape: string }>;
}

export interface ShaclViolation {
  /** The node that failed (an IRI, or `_:b…` for a blank node). */
  focusNode: string;
  /** The property, for property shapes. */
  path: string | null;
  /** The constraint component, e.g. `minCount`, `class`, `node`. */
  constraint: string;
  /** The shape that was violated (its IRI in the EU's shapes, e.g. …/edc-generic-no-cv/Person-elm_hasClaim). */
  shape: string;
  message: string;
}

const ids = (values: JsonLdValue[] | undefined): string[] => (values ?? []).flatMap((value) => (value['@id'] ? [value['@id']] : []));
const literal = (values: JsonLdValue[] | undefined): unknown => values?.[0]?.['@value'];
const numberOf = (values: JsonLdValue[] | undefined): number | null => {
  const value = literal(values);
  return value === undefined ? null : Number(value);
};

/** Reads shapes from SHACL graphs in expanded JSON-LD (several graphs merge: EDC-generic-full adds to no-cv). */
export function loadShapes(...graphs: unknown[]): ShapesGraph {
  const nodes = new Map<string, JsonLdNode>();
  for (const graph of graphs) for (const node of graph as JsonLdNode[]) nodes.set(node['@id'], { ...nodes.get(node['@id']), ...node });
  const listOf = (value: JsonLdValue): string[] => ids(value['@list']);
  const shapes = new Map<string, Shape>();
  const targets: { targetClass: string; shape: string }[] = [];
  const isShape = (node: JsonLdNode) =>
    (node['@type'] ?? []).some((type) => type === `${SH}NodeShape` || type === `${SH}PropertyShape`) ||
    Object.keys(node).some((key) => key.startsWith(SH));
  for (const node of nodes.values()) {
    if (!isShape(node)) continue;
    const get = (term: string) => node[`${SH}${term}`] as JsonLdValue[] | undefined;
    for (const key of Object.keys(node)) {
      if (!key.startsWith(SH)) continue;
      const term = key.slice(SH.length);
      const known = ['targetClass', 'property', 'path', 'class', 'datatype', 'nodeKind', 'node', 'or', 'minCount', 'maxCount', 'uniqueLang', 'maxInclusive', 'hasValue', 'deactivated'];
      if (!known.includes(term) && !NON_VALIDATING.has(term) && !MISSPELLED_IGNORED.has(term)) {
        throw new TypeError(`SHACL term sh:${term} (in ${node['@id']}) is not supported by Cairn's EDC validator`);
      }
    }
    const path = get('path');
    if (path && !path[0]?.['@id']) throw new TypeError(`only predicate paths are supported (shape ${node['@id']})`);
    shapes.set(node['@id'], {
      id: node['@id'],
      path: path?.[0]?.['@id'] ?? null,
      deactivated: literal(get('deactivated')) === true || literal(get('deactivated')) === 'true',
      classes: ids(get('class')),
      datatype: ids(get('datatype'))[0] ?? null,
      nodeKind: ids(get('nodeKind'))[0] ?? null,
      nodes: ids(get('node')),
      or: (get('or') ?? []).map(listOf),
      minCount: numberOf(get('minCount')),
      maxCount: numberOf(get('maxCount')),
      uniqueLang: literal(get('uniqueLang')) === true || literal(get('uniqueLang')) === 'true',
      maxInclusive: numberOf(get('maxInclusive')),
      hasValue: ids(get('hasValue')),
      properties: ids(get('property')),
    });
    for (const targetClass of ids(get('targetClass'))) targets.push({ targetClass, shape: node['@id'] });
  }
  return { shapes, targets };
}

/** jsonld.js names blank nodes `_:b0`; other RDF/JS producers leave the prefix out. */
const termKey = (term: RdfTerm): string => (term.termType === 'BlankNode' && !term.value.startsWith('_:') ? `_:${term.value}` : term.value);

/** The data graph, indexed by subject then predicate. */
class DataGraph {
  private readonly bySubject = new Map<string, Map<string, RdfTerm[]>>();

  constructor(quads: readonly RdfQuad[]) {
    for (const quad of quads) {
      const subject = termKey(quad.subject);
      let predicates = this.bySubject.get(subject);
      if (!predicates) this.bySubject.set(subject, (predicates = new Map()));
      const objects = predicates.get(quad.predicate.value) ?? [];
      objects.push(quad.object);
      predicates.set(quad.predicate.value, objects);
    }
  }

  objects(subject: string, predicate: string): RdfTerm[] {
    return this.bySubject.get(subject)?.get(predicate) ?? [];
  }

  typesOf(subject: string): Set<string> {
    return new Set(this.objects(subject, RDF_TYPE).map((term) => term.value));
  }

  instancesOf(cls: string): string[] {
    return [...this.bySubject.keys()].filter((subject) => this.typesOf(subject).has(cls));
  }
}

/** Validates RDF quads (jsonld.toRDF of a document) against the shapes; an empty list means the document conforms. */
export function validateShacl(shapesGraph: ShapesGraph, quads: readonly RdfQuad[]): ShaclViolation[] {
  const data = new DataGraph(quads);
  const violations: ShaclViolation[] = [];
  // Shapes that refer to each other (node → node) must not recurse for ever: a pair being checked is assumed to hold.
  const inProgress = new Set<string>();

  const conforms = (value: RdfTerm, shapeId: string): boolean => {
    const key = `${termKey(value)} ${shapeId}`;
    if (inProgress.has(key)) return true;
    inProgress.add(key);
    try {
      return checkNode(value, shapeId).length === 0;
    } finally {
      inProgress.delete(key);
    }
  };

  const valueProblems = (shape: Shape, value: RdfTerm): { constraint: string; message: string }[] => {
    const problems: { constraint: string; message: string }[] = [];
    const isResource = value.termType !== 'Literal';
    for (const cls of shape.classes) {
      if (!isResource || !data.typesOf(termKey(value)).has(cls)) problems.push({ constraint: 'class', message: `${termKey(value)} is not a ${cls}` });
    }
    if (shape.datatype) {
      const datatype = value.termType === 'Literal' ? (value.language ? RDF_LANG_STRING : value.datatype.value) : null;
      if (datatype !== shape.datatype) problems.push({ constraint: 'datatype', message: `${value.value} is not of datatype ${shape.datatype}` });
    }
    if (shape.nodeKind) {
      const kind = value.termType === 'Literal' ? `${SH}Literal` : value.termType === 'BlankNode' ? `${SH}BlankNode` : `${SH}IRI`;
      const allowed: Record<string, string[]> = {
        [`${SH}IRI`]: [`${SH}IRI`],
        [`${SH}Literal`]: [`${SH}Literal`],
        [`${SH}BlankNode`]: [`${SH}BlankNode`],
        [`${SH}BlankNodeOrIRI`]: [`${SH}BlankNode`, `${SH}IRI`],
        [`${SH}IRIOrLiteral`]: [`${SH}IRI`, `${SH}Literal`],
        [`${SH}BlankNodeOrLiteral`]: [`${SH}BlankNode`, `${SH}Literal`],
      };
      if (!allowed[shape.nodeKind]?.includes(kind)) problems.push({ constraint: 'nodeKind', message: `${termKey(value)} is not a ${shape.nodeKind}` });
    }
    for (const node of shape.nodes) {
      if (!conforms(value, node)) problems.push({ constraint: 'node', message: `${termKey(value)} does not conform to ${node}` });
    }
    for (const alternatives of shape.or) {
      if (!alternatives.some((alternative) => conforms(value, alternative))) {
        problems.push({ constraint: 'or', message: `${termKey(value)} conforms to none of ${alternatives.length} alternatives` });
      }
    }
    if (shape.maxInclusive !== null && !(value.termType === 'Literal' && Number(value.value) <= shape.maxInclusive)) {
      problems.push({ constraint: 'maxInclusive', message: `${value.value} is more than ${shape.maxInclusive}` });
    }
    return problems;
  };

  function checkNode(focus: RdfTerm, shapeId: string): ShaclViolation[] {
    const shape = shapesGraph.shapes.get(shapeId);
    if (!shape) throw new TypeError(`unknown SHACL shape ${shapeId}`);
    if (shape.deactivated) return [];
    const found: ShaclViolation[] = [];
    const report = (path: string | null, constraint: string, message: string, at = shape.id) =>
      found.push({ focusNode: termKey(focus), path, constraint, shape: at, message });
    // The node shape's own constraints apply to the focus node itself.
    for (const problem of valueProblems(shape, focus)) report(null, problem.constraint, problem.message);
    for (const propertyId of shape.properties) {
      const property = shapesGraph.shapes.get(propertyId);
      if (!property || property.deactivated || !property.path) continue;
      const values = focus.termType === 'Literal' ? [] : data.objects(termKey(focus), property.path);
      const at = property.id;
      if (property.minCount !== null && values.length < property.minCount) {
        report(property.path, 'minCount', `needs at least ${property.minCount} ${property.path}, has ${values.length}`, at);
      }
      if (property.maxCount !== null && values.length > property.maxCount) {
        report(property.path, 'maxCount', `allows at most ${property.maxCount} ${property.path}, has ${values.length}`, at);
      }
      for (const required of property.hasValue) {
        if (!values.some((value) => value.value === required)) report(property.path, 'hasValue', `${property.path} must include ${required}`, at);
      }
      if (property.uniqueLang) {
        const languages = values.flatMap((value) => (value.termType === 'Literal' && value.language ? [value.language.toLowerCase()] : []));
        if (new Set(languages).size !== languages.length) report(property.path, 'uniqueLang', `${property.path} has two values in one language`, at);
      }
      for (const value of values) for (const problem of valueProblems(property, value)) report(property.path, problem.constraint, problem.message, at);
    }
    return found;
  }

  for (const { targetClass, shape } of shapesGraph.targets) {
    for (const focus of data.instancesOf(targetClass)) {
      const term: RdfTerm = focus.startsWith('_:') ? { termType: 'BlankNode', value: focus } : { termType: 'NamedNode', value: focus };
      violations.push(...checkNode(term, shape));
    }
  }
  return violations;
}
