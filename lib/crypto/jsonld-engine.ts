import { createRequire } from 'node:module';

// The JSON-LD processor and RDFC-1.0 implementation that @digitalbazaar/eddsa-rdfc-2022-cryptosuite itself uses.
// They are resolved from the cryptosuite's own location rather than imported by name: the shape cache must produce
// exactly what `eddsaRdfc2022.canonize` produces, so it has to run the very same module instances (same version, same
// jsonld context cache), even if npm ever nests a different jsonld under the cryptosuite. Neither package ships types;
// the interfaces below describe only what Cairn calls.

/** An RDF/JS term as jsonld.toRDF emits it and rdf-canonize reads it. */
export type RdfTerm =
  | { termType: 'NamedNode'; value: string }
  | { termType: 'BlankNode'; value: string }
  | { termType: 'DefaultGraph'; value: '' }
  | { termType: 'Literal'; value: string; datatype: { termType: 'NamedNode'; value: string }; language?: string };

export type LiteralTerm = Extract<RdfTerm, { termType: 'Literal' }>;

export interface RdfQuad {
  subject: RdfTerm;
  predicate: RdfTerm;
  object: RdfTerm;
  graph: RdfTerm;
}

interface JsonLdProcessor {
  expand(input: unknown, options: Record<string, unknown>): Promise<unknown>;
  toRDF(input: unknown, options: Record<string, unknown>): Promise<RdfQuad[]>;
}

interface RdfCanonize {
  canonize(dataset: RdfQuad[], options: Record<string, unknown>): Promise<string>;
}

const requireFromCryptosuite = createRequire(
  createRequire(import.meta.url).resolve('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
);

export const jsonld = requireFromCryptosuite('jsonld') as JsonLdProcessor;
export const rdfCanonize = requireFromCryptosuite('rdf-canonize') as RdfCanonize;

/** jsonld's test for an absolute IRI (lib/url.js `isAbsoluteRegex`), copied verbatim: IRI classes must agree with it. */
export const JSONLD_ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;

/** jsonld's `types.isDouble`: decides between the xsd:double and xsd:integer lexical forms of a JSON number. */
export function isJsonLdDouble(value: number): boolean {
  return String(value).indexOf('.') !== -1 || Math.abs(value) >= 1e21;
}

export const XSD_DOUBLE = 'http://www.w3.org/2001/XMLSchema#double';
export const RDF_JSON = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON';

/** The lexical form jsonld.toRDF gives a JSON number in a literal of `datatype` (lib/toRdf.js `_objectToRDF`). */
export function numberLexicalForm(value: number, datatype: string): string {
  if (isJsonLdDouble(value) || datatype === XSD_DOUBLE) return value.toExponential(15).replace(/(\d)0*e\+?/, '$1E');
  return value.toFixed(0);
}
