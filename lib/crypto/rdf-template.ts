import type { LeafValue, PlaceholderScheme } from './document-shape.js';
import { numberLexicalForm, RDF_JSON, XSD_DOUBLE, type LiteralTerm, type RdfQuad, type RdfTerm } from './jsonld-engine.js';

// An RDF dataset produced by jsonld.toRDF from a document whose leaves were replaced by placeholders, turned into a
// template: each term that is exactly one placeholder becomes a slot, and filling the slots with another document's
// leaf values gives the dataset jsonld would have produced for that document (see canonicalizer.ts for why).

/** Where a leaf's value goes: as an IRI, as a string literal's text, or as a number's lexical form. */
export interface Slot {
  slot: true;
  leaf: number;
  kind: 'iri' | 'literal' | 'number';
  /** For literals and numbers: the template literal, whose datatype and language tag are kept. */
  literal?: LiteralTerm;
  /** For literals and numbers: the expanded value object's keys that jsonld compares values by, when known. */
  valueObject?: ValueObjectKeys;
}

/** The keys besides `@value` that jsonld's `util.compareValues` looks at (`@direction` is not one of them). */
export interface ValueObjectKeys {
  type: unknown;
  language: unknown;
  index: unknown;
}

/** What the expanded template says about its value objects (see {@link describeValueObjects}). */
export interface ExpandedFacts {
  /** Leaf → its value object's keys; absent when the leaf's placeholder is in no value object or in several. */
  valueObjects: Map<number, ValueObjectKeys>;
  /** Whether any `@index` appears: then merging nodes can fail in jsonld (conflicting indexes), so never merge. */
  hasIndex: boolean;
}

type TemplateTerm = RdfTerm | Slot;

type TemplateQuad = { subject: TemplateTerm; predicate: RdfTerm; object: TemplateTerm; graph: TemplateTerm };

export interface RdfTemplate {
  quads: TemplateQuad[];
  /** Leaves that land as IRIs: their real values must not be term names (see canonicalizer.ts). */
  iriLeaves: number[];
  /** Whether quads that coincide once filled may be merged as jsonld would (see fillTemplate). */
  mergeable: boolean;
}

export interface LocatedPlaceholders {
  template: RdfTemplate;
  /** Placeholdered leaves found at least once, and only ever as a whole term of one kind. */
  verbatim: Set<number>;
}

/**
 * Finds the placeholders (`placeholders`: leaf index → placeholder value) in a jsonld.toRDF dataset. A leaf is
 * verbatim when every occurrence of its placeholder is a whole subject/object/graph IRI, a whole literal text, or (for
 * numbers) exactly jsonld's lexical form of it, and never inside a `rdf:JSON` literal (whose text is the canonical
 * JSON of the value, not the value). Anything else, such as a placeholder prefixed by `@vocab`, resolved against a
 * base, relabelled as a blank node, parsed as a double or dropped altogether, leaves it out of `verbatim`.
 */
export function locatePlaceholders(
  dataset: readonly RdfQuad[],
  placeholders: ReadonlyMap<number, LeafValue>,
  scheme: PlaceholderScheme,
  facts: ExpandedFacts = { valueObjects: new Map(), hasIndex: true },
): LocatedPlaceholders {
  const numberLeaves = new Map<string, number>();
  for (const [leaf, value] of placeholders) {
    if (typeof value !== 'number') continue;
    numberLeaves.set(numberLexicalForm(value, ''), leaf);
    numberLeaves.set(numberLexicalForm(value, XSD_DOUBLE), leaf);
  }
  const kinds = new Map<number, Slot['kind']>();
  const bad = new Set<number>();
  const markBad = (text: string | undefined) => {
    if (text === undefined || !text.includes(scheme.marker)) return;
    for (const match of text.matchAll(scheme.tokenPattern)) bad.add(Number(match[1]));
  };
  const slotFor = (leaf: number, kind: Slot['kind'], literal?: LiteralTerm): Slot => {
    if ((kinds.get(leaf) ?? kind) !== kind) bad.add(leaf);
    kinds.set(leaf, kind);
    return { slot: true, leaf, kind, literal, valueObject: literal && facts.valueObjects.get(leaf) };
  };
  const exactLeaf = (text: string): number | undefined => {
    const match = /(\d+)_ ?$/.exec(text);
    const leaf = match ? Number(match[1]) : undefined;
    return leaf !== undefined && placeholders.get(leaf) === text ? leaf : undefined;
  };

  const toTemplateTerm = (term: RdfTerm, iriAllowed: boolean): TemplateTerm => {
    if (term.termType === 'NamedNode' && iriAllowed && term.value.includes(scheme.marker)) {
      const leaf = exactLeaf(term.value);
      if (leaf !== undefined) return slotFor(leaf, 'iri');
    }
    if (term.termType !== 'Literal') {
      markBad(term.value);
      return term;
    }
    markBad(term.datatype.value);
    markBad(term.language);
    const isJson = term.datatype.value === RDF_JSON;
    if (term.value.includes(scheme.marker)) {
      const leaf = isJson ? undefined : exactLeaf(term.value);
      if (leaf !== undefined) return slotFor(leaf, 'literal', term);
      markBad(term.value);
      return term;
    }
    const numberLeaf = numberLeaves.get(term.value);
    if (numberLeaf === undefined) return term;
    const placeholder = placeholders.get(numberLeaf) as number;
    if (!isJson && numberLexicalForm(placeholder, term.datatype.value) === term.value) return slotFor(numberLeaf, 'number', term);
    bad.add(numberLeaf);
    return term;
  };

  const quads = dataset.map(({ subject, predicate, object, graph }) => {
    markBad(predicate.value); // a leaf that became a predicate is not substituted: leave such shapes to jsonld
    return {
      subject: toTemplateTerm(subject, true),
      predicate,
      object: toTemplateTerm(object, true),
      graph: toTemplateTerm(graph, true),
    };
  });
  const verbatim = new Set([...kinds.keys()].filter((leaf) => !bad.has(leaf)));
  const iriLeaves = [...verbatim].filter((leaf) => kinds.get(leaf) === 'iri');
  return { template: { quads, iriLeaves, mergeable: !facts.hasIndex }, verbatim };
}

/**
 * Reads, from jsonld.expand's output for a placeholder document (before jsonld.toRDF consumes it), the value object
 * each placeholder ended up in. fillTemplate needs those keys to merge equal values exactly as jsonld's node map does.
 */
export function describeValueObjects(expanded: unknown, placeholders: ReadonlyMap<number, LeafValue>): ExpandedFacts {
  const leafOf = new Map<LeafValue, number>([...placeholders].map(([leaf, value]) => [value, leaf]));
  const valueObjects = new Map<number, ValueObjectKeys>();
  const ambiguous = new Set<number>();
  let hasIndex = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if ('@index' in object) hasIndex = true;
    if ('@value' in object) {
      const leaf = leafOf.get(object['@value'] as LeafValue);
      if (leaf === undefined) return;
      if (valueObjects.has(leaf)) ambiguous.add(leaf);
      valueObjects.set(leaf, { type: object['@type'], language: object['@language'], index: object['@index'] });
      return;
    }
    for (const child of Object.values(object)) visit(child);
  };
  visit(expanded);
  for (const leaf of ambiguous) valueObjects.delete(leaf);
  return { valueObjects, hasIndex };
}

/**
 * The template's dataset with `leaves` (a document's leaf values, by index) in its slots, or undefined when the
 * document must take the stock path instead.
 *
 * Filled slots can make quads coincide: equal values in one property, or two nodes with the same id, which jsonld
 * merges into one node. jsonld's node map keeps one of two values that `util.compareValues` finds equal (same
 * `@value`, `@type`, `@language`, `@index`; node references by `@id`) and both otherwise, even if they serialise
 * identically (`5` and `"5"^^xsd:integer`, two doubles with one lexical form, different `@index`es). So coinciding
 * quads are merged only when that is provably what jsonld did: both objects IRIs or blank nodes, or both filled
 * literals whose value objects are known and equal. Anything else, including values equal but for a `@direction`
 * (which compareValues ignores, so jsonld drops one of them), goes to the stock path.
 */
export function fillTemplate(template: RdfTemplate, leaves: readonly LeafValue[]): RdfQuad[] | undefined {
  const fill = (term: TemplateTerm): RdfTerm => {
    if (!('slot' in term)) return term;
    const value = leaves[term.leaf]!;
    if (term.kind === 'iri') return { termType: 'NamedNode', value: value as string };
    const literal = term.literal!;
    const text = term.kind === 'number' ? numberLexicalForm(value as number, literal.datatype.value) : (value as string);
    return literal.language === undefined
      ? { termType: 'Literal', value: text, datatype: literal.datatype }
      : { termType: 'Literal', value: text, datatype: literal.datatype, language: literal.language };
  };
  const dataset: RdfQuad[] = [];
  const sources: TemplateQuad[] = [];
  // Quads that coincide on everything but a literal's datatype and language: only these can be jsonld-equal values.
  const firstByWeakKey = new Map<string, number>();
  for (const quad of template.quads) {
    const filled = { subject: fill(quad.subject), predicate: quad.predicate, object: fill(quad.object), graph: fill(quad.graph) };
    const key = weakTermKey(filled.subject) + weakTermKey(filled.predicate) + weakTermKey(filled.object) + weakTermKey(filled.graph);
    const first = firstByWeakKey.get(key);
    if (first === undefined) {
      firstByWeakKey.set(key, dataset.length);
    } else {
      const earlier = sources[first]!;
      // Constant quads that coincide were in jsonld's own output for the template, and so are in the stock output.
      if (hasSlot(quad) || hasSlot(earlier)) {
        const merge = template.mergeable && sameLiteralTags(dataset[first]!.object, filled.object);
        if (merge && sameJsonLdObject(earlier.object, quad.object, filled.object, leaves)) continue;
        return undefined;
      }
    }
    dataset.push(filled);
    sources.push(quad);
  }
  return dataset;
}

function hasSlot(quad: TemplateQuad): boolean {
  return 'slot' in quad.subject || 'slot' in quad.object || 'slot' in quad.graph;
}

/** Whether jsonld's compareValues would find two objects equal, given that they serialise identically (`filled`). */
function sameJsonLdObject(a: TemplateTerm, b: TemplateTerm, filled: RdfTerm, leaves: readonly LeafValue[]): boolean {
  if (filled.termType !== 'Literal') return true; // node references compare by @id alone
  if (!('slot' in a) || !('slot' in b) || !a.valueObject || !b.valueObject) return false;
  return (
    leaves[a.leaf] === leaves[b.leaf] &&
    a.valueObject.type === b.valueObject.type &&
    a.valueObject.language === b.valueObject.language &&
    a.valueObject.index === b.valueObject.index
  );
}

function sameLiteralTags(a: RdfTerm, b: RdfTerm): boolean {
  if (a.termType !== 'Literal' || b.termType !== 'Literal') return a.termType === b.termType;
  return a.datatype.value === b.datatype.value && a.language === b.language;
}

/** Length-prefixed, so no two different terms (or quads) share a key whatever characters their values hold. */
function weakTermKey(term: RdfTerm): string {
  return `${term.termType[0]}${term.value.length}:${term.value}`;
}
