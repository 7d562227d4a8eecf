import { randomBytes, randomInt } from 'node:crypto';
import { isJsonLdDouble, JSONLD_ABSOLUTE_IRI } from './jsonld-engine.js';

// The "shape" of a JSON-LD document, as the canonicalizer's cache sees it: everything that can change how jsonld
// expands it, with the leaf strings and numbers taken out. A leaf's value still shapes the key through its class (below),
// because the class is what decides which branch of jsonld's IRI expansion a string takes.

/**
 * Keys whose whole value stays in the shape, verbatim. `@context` selects every term definition; `type` / `@type`
 * select type-scoped contexts and term definitions (VC 2.0 aliases `type` to `@type`); `@language` and `@direction`
 * are validated by value in safe mode and end up in literal tags. Other aliases of these keywords are not needed here:
 * a placeholder in such a position does not land verbatim in the dataset, so its value is keyed anyway.
 */
const KEPT_KEYS = new Set(['@context', 'type', '@type', '@language', '@direction']);

/** A document the shape cache will not handle (non-JSON values, suspicious strings): it takes the stock path. */
export class UnsupportedDocument extends Error {}

/** A leaf string or number, in document order (objects in key insertion order, arrays in index order). */
export type LeafValue = string | number;

/** The parts of a document's shape that do not depend on its contexts' term names, plus what needs them. */
export interface DocumentWalk {
  /** Keys, array lengths, kept values, leaf kinds: one string, so equal strings mean equal structure. */
  structure: string;
  leaves: LeafValue[];
  /** Every `@context` value in the document, for the term-name set (see context-terms.ts). */
  contexts: unknown[];
}

/**
 * Placeholders for one canonicalizer: a random marker that real data is checked not to contain, and a random range of
 * numbers that real data is checked not to use. Random per instance so nobody can craft a document that imitates them.
 */
export class PlaceholderScheme {
  /** Letters and digits only, so `marker + 'q'` is a valid IRI scheme. */
  readonly marker = `cairn${randomBytes(6).toString('hex')}x`;
  /**
   * Number placeholders are `numberBase + i` (integers) or `numberBase + i + 0.5` (doubles). 14 integer digits keep
   * both exact in the 16 significant digits of jsonld's xsd:double form, so no two placeholders share a lexical form.
   */
  readonly numberBase = 1e13 + randomInt(0, 2 ** 32) * 1024;
  /** Anything numeric in this range in a document makes it unsupported (it could be mistaken for a placeholder). */
  private readonly numberLimit = this.numberBase + 2 ** 30;
  /** Finds placeholder tokens inside dataset terms; group 1 is the leaf index. */
  readonly tokenPattern = new RegExp(`${this.marker}(\\d+)_`, 'g');

  /** Throws UnsupportedDocument when a string or number in the document could be confused with a placeholder. */
  check(value: string | number): void {
    if (typeof value === 'string' && value.includes(this.marker)) throw new UnsupportedDocument('marker in data');
    const numeric = typeof value === 'number' ? value : Number(value);
    if (numeric >= this.numberBase && numeric < this.numberLimit) throw new UnsupportedDocument('placeholder number in data');
  }

  /** The placeholder for leaf `index`, of the same class as the real value (see {@link leafClass}). */
  placeholder(index: number, value: LeafValue, terms: ReadonlySet<string>): LeafValue {
    if (typeof value === 'number') return this.numberBase + index + (isJsonLdDouble(value) ? 0.5 : 0);
    const token = `${this.marker}${index}_`;
    const colon = value.indexOf(':');
    if (colon <= 0) return token;
    const prefix = value.slice(0, colon);
    const slashes = value.startsWith('//', colon + 1) ? '//' : '';
    const absolute = JSONLD_ABSOLUTE_IRI.test(value);
    // A prefix that is a term (or `_`) is kept, so jsonld takes the same compact-IRI / blank-node branch for both.
    // Otherwise any non-term prefix does, as long as it agrees on being a valid IRI scheme (a leading digit is not).
    const ownPrefix = prefix === '_' || terms.has(prefix) ? prefix : `${absolute ? '' : '0'}${this.marker}q`;
    const candidate = `${ownPrefix}:${slashes}${token}`;
    // The only other way to fail jsonld's absolute-IRI test with a valid scheme is whitespace.
    return JSONLD_ABSOLUTE_IRI.test(candidate) === absolute ? candidate : `${candidate} `;
  }

  /** Whether `T` would let real values collide with this scheme's placeholder prefixes. */
  clashesWith(terms: ReadonlySet<string>): boolean {
    return terms.has(`${this.marker}q`) || terms.has(`0${this.marker}q`) || [...terms].some((term) => term.includes(this.marker));
  }
}

/**
 * The class of a leaf: what jsonld's `_expandIri` (lib/context.js) looks at when the leaf sits in an IRI position.
 * Strings without a colon (or starting with one) are never absolute IRIs: they are relative references or literals.
 * With a colon, jsonld checks, in order: prefix `_` (blank node), a suffix starting with `//` (absolute, verbatim), a
 * term of that name with a prefix flag (compact IRI), then its absolute-IRI regex. So the class keeps the prefix when
 * it is `_` or a term name (any key in any loaded context, a superset), and otherwise only the two flags. Numbers are
 * integers or doubles as jsonld.toRDF tells them apart. In a literal position none of this matters, and it costs only
 * a few more shapes.
 */
export function leafClass(value: LeafValue, terms: ReadonlySet<string>): string {
  if (typeof value === 'number') return isJsonLdDouble(value) ? 'd' : 'i';
  const colon = value.indexOf(':');
  if (colon <= 0) return 's';
  const prefix = value.slice(0, colon);
  const named = prefix === '_' || terms.has(prefix) ? `p${JSON.stringify(prefix)}` : 'x';
  return `${named}${value.startsWith('//', colon + 1) ? '/' : ''}${JSONLD_ABSOLUTE_IRI.test(value) ? 'A' : ''}`;
}

/**
 * Walks a plain-JSON document once. Throws UnsupportedDocument for anything jsonld would read differently from its JSON
 * text (undefined, functions, Dates, class instances, non-finite numbers, `__proto__` keys) and for data that could be
 * mistaken for a placeholder.
 */
export function walkDocument(document: unknown, scheme: PlaceholderScheme): DocumentWalk {
  const leaves: LeafValue[] = [];
  const contexts: unknown[] = [];
  const parts: string[] = [];

  const visit = (value: unknown): void => {
    if (value === null) return void parts.push('n');
    switch (typeof value) {
      case 'boolean':
        return void parts.push(value ? 't' : 'f');
      case 'number':
        if (!Number.isFinite(value)) throw new UnsupportedDocument('non-finite number');
        scheme.check(value);
        leaves.push(value);
        return void parts.push('#');
      case 'string':
        scheme.check(value);
        leaves.push(value);
        return void parts.push('$');
      case 'object':
        break;
      default:
        throw new UnsupportedDocument(`a ${typeof value} value`);
    }
    if (Array.isArray(value)) {
      parts.push('[');
      for (const item of value) visit(item);
      return void parts.push(']');
    }
    assertPlainObject(value);
    parts.push('{');
    for (const key of Object.keys(value)) {
      checkKey(key, scheme);
      const child = (value as Record<string, unknown>)[key];
      parts.push(JSON.stringify(key));
      if (KEPT_KEYS.has(key)) {
        checkKept(child, scheme);
        parts.push('=', JSON.stringify(child));
        if (key === '@context') contexts.push(child);
      } else {
        visit(child);
      }
    }
    parts.push('}');
  };

  visit(document);
  return { structure: parts.join(''), leaves, contexts };
}

/**
 * A copy of `document` whose leaves for which `replace(index, value)` returns a value get that value instead. It
 * visits leaves in exactly {@link walkDocument}'s order, which is what keeps leaf indexes meaningful.
 */
export function replaceLeaves(document: unknown, replace: (index: number, value: LeafValue) => LeafValue): unknown {
  let index = 0;
  const copy = (value: unknown): unknown => {
    if (typeof value === 'string' || typeof value === 'number') return replace(index++, value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(copy);
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = KEPT_KEYS.has(key) ? child : copy(child);
    return out;
  };
  return copy(document);
}

/** Only `{}` objects: the cache runs jsonld on copies, which must behave exactly like the original. */
function assertPlainObject(value: object): void {
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new UnsupportedDocument('not a plain object');
}

function checkKey(key: string, scheme: PlaceholderScheme): void {
  // A `__proto__` own key (JSON.parse makes those) would turn into a prototype when jsonld copies the object.
  if (key === '__proto__') throw new UnsupportedDocument('__proto__ key');
  // Keys can become literal values too (property-valued @index maps), so they must not imitate placeholders either.
  scheme.check(key);
}

/** Kept values are compared as JSON text, so they too must be plain JSON and free of placeholder look-alikes. */
function checkKept(value: unknown, scheme: PlaceholderScheme): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string' || typeof value === 'number') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new UnsupportedDocument('non-finite number');
    return scheme.check(value);
  }
  if (typeof value !== 'object') throw new UnsupportedDocument(`a ${typeof value} value`);
  if (Array.isArray(value)) return value.forEach((item) => checkKept(item, scheme));
  assertPlainObject(value);
  for (const [key, child] of Object.entries(value)) {
    checkKey(key, scheme);
    checkKept(child, scheme);
  }
}
