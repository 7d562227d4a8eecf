import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { LRUCache } from 'lru-cache';
import { collectContextTerms } from './context-terms.js';
import type { DocumentLoader } from './document-loader.js';
import { leafClass, PlaceholderScheme, replaceLeaves, UnsupportedDocument, walkDocument, type DocumentWalk, type LeafValue } from './document-shape.js';
import { jsonld, rdfCanonize } from './jsonld-engine.js';
import { describeValueObjects, fillTemplate, locatePlaceholders, type RdfTemplate } from './rdf-template.js';

/** Options for {@link createCanonicalizer}. */
export interface CanonicalizerOptions {
  /** The loader for contexts. Calls may pass their own (jsigs wraps it per call), which must serve the same contexts. */
  documentLoader: DocumentLoader;
  /**
   * How many document shapes, and how many templates (a shape plus the values that had to stay in the key, such as
   * `@vocab`-typed enum values, `@json` data or blank node ids), to remember; least recently used go first. Each
   * holds a few KB.
   * @default 256
   */
  cacheSize?: number;
}

/** Options of `eddsaRdfc2022.canonize` (what DataIntegrityProof passes); others send the call to the stock path. */
export interface CanonizeOptions {
  documentLoader?: DocumentLoader;
  base?: string | null;
  safe?: boolean;
  [option: string]: unknown;
}

/** Counters for tests and benchmarks. */
export interface CanonicalizerStats {
  /** Documents canonicalised by filling a cached template. */
  hits: number;
  /** Templates built (each also canonicalises its first document the stock way, and compares the two). */
  misses: number;
  /**
   * Documents canonicalised the stock way: the first of each shape, unsupported options or data, values that cannot be
   * filled in (see fillTemplate), shapes whose template failed.
   */
  fallbacks: number;
  /** Templates discarded because the first document's stock result differed from the filled template. Expect 0. */
  selfCheckFailures: number;
  readonly shapes: number;
  readonly templates: number;
}

/** eddsa-rdfc-2022 canonicalisation (JSON-LD → RDFC-1.0 N-Quads) that caches jsonld.toRDF per document shape. */
export interface Canonicalizer {
  /** Resolves to exactly what `eddsaRdfc2022.canonize(input, options)` resolves to, or rejects as it would. */
  canonize(input: unknown, options?: CanonizeOptions): Promise<string>;
  readonly stats: Readonly<CanonicalizerStats>;
}

const DEFAULT_CACHE_SIZE = 256;
/**
 * Documents whose key would be longer (a credential's is 2–4 K) take the stock path: the caches hold keys and
 * templates in proportion to them, and a verifier fed outsized documents must not keep 3 × cacheSize of them.
 */
const MAX_KEY_LENGTH = 32_768;
/** Options the cache understands; each goes into the cache key. The rest (e.g. a `signal`) take the stock path. */
const CACHEABLE_OPTIONS = new Set(['documentLoader', 'base', 'safe', 'algorithm', 'format', 'skipExpansion']);

interface ShapeAnalysis {
  /** Per leaf: whether its placeholder landed verbatim, so its value can be filled in rather than kept in the key. */
  substitutable: boolean[];
  /** The shape's template, when every leaf is substitutable and the analysis ran in safe mode. */
  template?: RdfTemplate;
}

interface BuiltTemplate {
  template?: RdfTemplate;
  /** The first document's own canonical form (stock path), or why it has none. */
  own: { nquads: string } | { error: unknown };
  /** The template could not be checked against this document (its values collide): build it again next time. */
  unverified?: boolean;
}

/**
 * Canonicalises JSON-LD documents exactly as eddsa-rdfc-2022 does (jsonld.toRDF in safe mode with a null base, then
 * rdf-canonize's RDFC-1.0), but runs jsonld.toRDF — 80–90% of the cost, nearly all of it expanding against the OB
 * context — once per document shape instead of once per document. For use in DataIntegrityProof, see
 * {@link createCachingCryptosuite}; signing and verification canonicalise the same way.
 *
 * How: a document's leaves (strings and numbers outside `@context`, `type` and language tags) are swapped for unique
 * placeholders, and jsonld.toRDF runs on that once (a template). Leaves whose placeholder appears verbatim and whole in
 * the dataset are *substitutable*; the others (those jsonld transforms: `@vocab` terms, relative IRIs, `@json`, blank
 * node ids, dropped values…) keep their real values in the key. A later document with the same shape and the same
 * kept values gets the template's dataset with its own values in the slots, then RDFC-1.0. See document-shape.ts
 * (what the key holds), rdf-template.ts (slots) and context-terms.ts (why term names matter).
 *
 * Cost: the first document of a shape goes the stock way; the second builds the template (two or three jsonld runs,
 * one of them its own stock canonicalisation); the rest cost ~0.3 ms instead of ~5 ms. Documents whose shapes never
 * repeat (a verifier's mixed inbox) therefore cost what the stock path costs, plus ~0.05 ms of keying.
 *
 * Why that equals jsonld's result: jsonld treats a string in a literal position as opaque, and a string in an IRI
 * position by a few tests on its prefix (the leaf's class, which is in the key); a placeholder that lands verbatim took
 * the branch that passes the value through, and so does any value of the same class. Safe-mode errors come from the
 * branches not taken, so the template's safe-mode run accepts exactly the documents of its key. Equal values that
 * jsonld's node map would merge (same node id twice, a repeated value) are merged when the template proves jsonld
 * would have, and sent to the stock path otherwise (see fillTemplate). Blank node labels may differ from jsonld's:
 * RDFC-1.0 relabels them canonically.
 * Belt and braces: each new template is checked against the stock result of the document that created it.
 *
 * The cache assumes the loader's context documents never change, as jsonld's own context cache does.
 * @throws TypeError on misuse
 */
export function createCanonicalizer(options: CanonicalizerOptions): Canonicalizer {
  const { documentLoader, cacheSize = DEFAULT_CACHE_SIZE } = options ?? ({} as CanonicalizerOptions);
  if (typeof documentLoader !== 'function') throw new TypeError('documentLoader is required (see createDocumentLoader)');
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new TypeError(`cacheSize must be a positive integer, got: ${String(cacheSize)}`);

  const scheme = new PlaceholderScheme();
  const termSets = new LRUCache<string, Promise<Set<string> | undefined>>({ max: cacheSize });
  const sightings = new LRUCache<string, true>({ max: cacheSize });
  const shapes = new LRUCache<string, Promise<ShapeAnalysis | undefined>>({ max: cacheSize });
  const templates = new LRUCache<string, Promise<RdfTemplate | undefined>>({ max: cacheSize });
  const stats: CanonicalizerStats = {
    hits: 0,
    misses: 0,
    fallbacks: 0,
    selfCheckFailures: 0,
    get shapes() {
      return shapes.size;
    },
    get templates() {
      return templates.size;
    },
  };

  const stock = (input: unknown, callOptions: CanonizeOptions): Promise<string> => {
    stats.fallbacks++;
    return eddsaRdfc2022.canonize(input, callOptions);
  };

  /** The term-name superset for a document's contexts, or undefined when it cannot be had (see context-terms.ts). */
  const termsFor = (contexts: unknown[], loader: DocumentLoader): Promise<Set<string> | undefined> => {
    const key = JSON.stringify(contexts);
    let pending = termSets.get(key);
    if (!pending) {
      const collecting: Promise<Set<string> | undefined> = collectContextTerms(contexts, loader).then((terms) => {
        if (terms && !scheme.clashesWith(terms)) return terms;
        if (termSets.get(key) === collecting) termSets.delete(key); // a loader failure may pass: ask again next time
        return undefined;
      });
      pending = collecting;
      termSets.set(key, pending);
    }
    return pending;
  };

  /**
   * jsonld on `input` with the chosen leaves replaced by placeholders: expand, then toRDF on the expanded form (what
   * jsonld.toRDF does inside, split so that the value objects can be read before toRDF consumes them).
   */
  const runWithPlaceholders = async (
    input: unknown,
    terms: Set<string>,
    placeholdered: (index: number) => boolean,
    toRdfOptions: Record<string, unknown>,
  ) => {
    const placeholders = new Map<number, LeafValue>();
    const document = replaceLeaves(input, (index, value) =>
      placeholdered(index) ? remember(placeholders, index, scheme.placeholder(index, value, terms)) : value,
    );
    const expanded = await jsonld.expand(document, toRdfOptions);
    const facts = describeValueObjects(expanded, placeholders);
    const dataset = await jsonld.toRDF(expanded, { ...toRdfOptions, skipExpansion: true });
    const { template, verbatim } = locatePlaceholders(dataset, placeholders, scheme, facts);
    return { template, verbatim, complete: verbatim.size === placeholders.size };
  };

  /**
   * Which leaves of a shape land verbatim, from jsonld on the all-placeholder document. In safe mode first: when that
   * passes and every leaf lands verbatim (the usual OB credential), its output is already the shape's template. When
   * safe mode rejects it, either the document is at fault (the stock path will say so) or a placeholder sits where
   * jsonld transforms values (an `@vocab` enum, say) and is unsafe where the real value is fine: a run without safe
   * mode then only learns which leaves are substitutable, and acceptance is left to the template's own safe-mode run.
   */
  const analyseShape = async (input: unknown, walk: DocumentWalk, terms: Set<string>, toRdfOptions: Record<string, unknown>) => {
    const everyLeaf = () => true;
    let run;
    try {
      run = await runWithPlaceholders(input, terms, everyLeaf, toRdfOptions);
    } catch {
      try {
        run = await runWithPlaceholders(input, terms, everyLeaf, { ...toRdfOptions, safe: false });
      } catch {
        return undefined;
      }
      return { substitutable: walk.leaves.map((_, index) => run!.verbatim.has(index)) };
    }
    const substitutable = walk.leaves.map((_, index) => run.verbatim.has(index));
    return { substitutable, template: run.complete ? run.template : undefined };
  };

  /** A template for one shape and its kept values, checked against the stock result of the document it is built for. */
  const buildTemplate = async (
    input: unknown,
    walk: DocumentWalk,
    analysis: ShapeAnalysis,
    terms: Set<string>,
    toRdfOptions: Record<string, unknown>,
    canonOptions: Record<string, unknown>,
    callOptions: CanonizeOptions,
  ): Promise<BuiltTemplate> => {
    let template = analysis.template;
    if (!template) {
      try {
        const run = await runWithPlaceholders(input, terms, (index) => analysis.substitutable[index]!, toRdfOptions);
        if (run.complete) template = run.template;
      } catch {
        // Rejected in safe mode: the stock run below tells whether the document itself is rejected, and how.
      }
    }
    let own: BuiltTemplate['own'];
    try {
      own = { nquads: await eddsaRdfc2022.canonize(input, callOptions) };
    } catch (error) {
      return { own: { error } };
    }
    if (!template) return { own };
    const filled = await fillAndCanonize(template, walk.leaves, terms, canonOptions);
    if (filled === undefined) return { own, unverified: true }; // this document cannot check it: the next one will
    if (filled !== own.nquads) stats.selfCheckFailures++;
    return { template: filled === own.nquads ? template : undefined, own };
  };

  async function canonize(input: unknown, callOptions: CanonizeOptions = {}): Promise<string> {
    const options: CanonizeOptions = { ...callOptions, documentLoader: callOptions.documentLoader ?? documentLoader };
    const optionsKey = cacheKeyOfOptions(options);
    // A string input is a URL to jsonld, and anything but an object or array is its error to report.
    if (optionsKey === undefined || typeof input !== 'object' || input === null) return stock(input, options);
    let walk: DocumentWalk;
    try {
      walk = walkDocument(input, scheme);
    } catch (error) {
      if (error instanceof UnsupportedDocument) return stock(input, options);
      throw error;
    }
    const loader = options.documentLoader!;
    const terms = await termsFor(walk.contexts, loader);
    if (!terms) return stock(input, options);

    // The same merging as eddsaRdfc2022.canonize, so every run below sees the options the stock path would.
    const canonOptions: Record<string, unknown> = { algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true, ...options };
    const { format: _format, ...rest } = canonOptions;
    const toRdfOptions = { rdfDirection: 'i18n-datatype', ...rest, produceGeneralizedRdf: false };

    const shapeKey = `${optionsKey}\n${walk.structure}\n${walk.leaves.map((value) => leafClass(value, terms)).join(',')}`;
    if (shapeKey.length > MAX_KEY_LENGTH) return stock(input, options);
    let analysing = shapes.get(shapeKey);
    if (!analysing) {
      // A shape seen once may never come back (a verifier meets many): its first document goes the stock way, and
      // only a second one pays for analysing the shape and building a template (two or three jsonld runs).
      if (!sightings.get(shapeKey)) {
        sightings.set(shapeKey, true);
        return stock(input, options);
      }
      sightings.delete(shapeKey);
      const running: Promise<ShapeAnalysis | undefined> = analyseShape(input, walk, terms, toRdfOptions);
      analysing = running;
      shapes.set(shapeKey, running);
      // A failed analysis is not remembered: the stock path reports the error, and a later document tries again.
      void running.then((analysis) => {
        if (!analysis && shapes.get(shapeKey) === running) shapes.delete(shapeKey);
      });
    }
    const analysis = await analysing;
    if (!analysis) return stock(input, options);

    const { substitutable } = analysis;
    const templateKey = `${shapeKey}\n${JSON.stringify(walk.leaves.filter((_, index) => !substitutable[index]))}`;
    if (templateKey.length > MAX_KEY_LENGTH) return stock(input, options);
    const cached = templates.get(templateKey);
    if (!cached) {
      stats.misses++;
      const building = buildTemplate(input, walk, analysis, terms, toRdfOptions, canonOptions, options);
      const pending = building.then((built) => built.template);
      templates.set(templateKey, pending);
      const { own, unverified } = await building;
      // Never remember a rejection (a loader may recover), nor a template no document has vouched for yet.
      if (('error' in own || unverified) && templates.get(templateKey) === pending) templates.delete(templateKey);
      if ('error' in own) throw own.error;
      return own.nquads;
    }
    const template = await cached;
    const nquads = template && (await fillAndCanonize(template, walk.leaves, terms, canonOptions));
    if (nquads === undefined) return stock(input, options);
    stats.hits++;
    return nquads;
  }

  return { canonize, stats };
}

/**
 * A copy of the eddsa-rdfc-2022 cryptosuite whose `canonize` is the given canonicalizer's: pass it to
 * `new DataIntegrityProof({ cryptosuite, signer })` to sign, or `new DataIntegrityProof({ cryptosuite })` to verify.
 */
export function createCachingCryptosuite(canonicalizer: Canonicalizer): typeof eddsaRdfc2022 {
  return { ...eddsaRdfc2022, canonize: (input, options) => canonicalizer.canonize(input, options as CanonizeOptions) };
}

/**
 * The filled template in canonical N-Quads, or undefined when this document must take the stock path: a leaf in an
 * IRI slot whose value is a term name (jsonld would look it up if the slot is `@type: @vocab`), quads that would
 * coincide (see fillTemplate), or an RDFC-1.0 failure. The last can only be rdf-canonize's work limit for blank
 * nodes it cannot tell apart, whose count of deep iterations may depend on the order of the quads, which is not
 * jsonld's order here: the stock path decides those documents.
 */
async function fillAndCanonize(
  template: RdfTemplate,
  leaves: readonly LeafValue[],
  terms: ReadonlySet<string>,
  canonOptions: Record<string, unknown>,
): Promise<string | undefined> {
  for (const leaf of template.iriLeaves) if (terms.has(leaves[leaf] as string)) return undefined;
  const dataset = fillTemplate(template, leaves);
  if (!dataset) return undefined;
  try {
    return await rdfCanonize.canonize(dataset, canonOptions);
  } catch {
    return undefined;
  }
}

/** The options as part of a cache key, or undefined when the cache cannot honour them (see CACHEABLE_OPTIONS). */
function cacheKeyOfOptions(options: CanonizeOptions): string | undefined {
  const entries = Object.entries(options).filter(([name]) => name !== 'documentLoader');
  if (typeof options.documentLoader !== 'function' || options.skipExpansion) return undefined;
  for (const [name, value] of entries) {
    // `undefined` would override a default in the stock path's option merging, and JSON cannot show it.
    if (!CACHEABLE_OPTIONS.has(name) || !(value === null || typeof value === 'string' || typeof value === 'boolean')) return undefined;
  }
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function remember(placeholders: Map<number, LeafValue>, index: number, placeholder: LeafValue): LeafValue {
  placeholders.set(index, placeholder);
  return placeholder;
}
