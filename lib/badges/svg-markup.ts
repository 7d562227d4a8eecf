/**
 * A small, careful scanner for the parts of an SVG document that badge baking touches: the prolog, the
 * root `<svg>` start tag, and elements found by name. It is not an XML parser. It relies on one XML
 * rule: outside comments, CDATA sections and processing instructions, a raw `<` always starts markup
 * (attribute values and text must escape it). That is enough to find elements without being fooled
 * by a credential whose JSON mentions `</openbadges:credential>`.
 */
import { AppError } from '../errors.js';

function notSvg(message: string): never {
  throw new AppError('BAD_USER_INPUT', `Not a valid SVG document: ${message}`, { field: 'image' });
}

/** Where the root `<svg …>` start tag is. `end` is the index just after its `>`. */
export interface SvgRoot {
  start: number;
  end: number;
  selfClosing: boolean;
}

/** One element found by {@link findElements}. `body` is null for a self-closing element. */
export interface ElementSpan {
  name: string;
  start: number;
  end: number;
  attributes: Map<string, string>;
  body: string | null;
}

/** Index just after the `>` that ends the tag starting at `start`, ignoring `>` inside quoted values. */
function tagEnd(svg: string, start: number): number {
  let quote: string | null = null;
  for (let i = start + 1; i < svg.length; i += 1) {
    const char = svg[i];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '<') {
      notSvg(`unexpected "<" inside the tag at ${start}`);
    } else if (char === '>') {
      return i + 1;
    }
  }
  return notSvg(`the tag at ${start} is never closed`);
}

/** Index just after `terminator`, searching from `from`; the construct must be closed. */
function skipPast(svg: string, from: number, terminator: string, what: string): number {
  const at = svg.indexOf(terminator, from);
  if (at === -1) notSvg(`unterminated ${what}`);
  return at + terminator.length;
}

/** Skips a comment, CDATA section or processing instruction at `at`; returns -1 when there is none. */
function skipNonElement(svg: string, at: number): number {
  if (svg.startsWith('<!--', at)) return skipPast(svg, at + 4, '-->', 'comment');
  if (svg.startsWith('<![CDATA[', at)) return skipPast(svg, at + 9, ']]>', 'CDATA section');
  if (svg.startsWith('<?', at)) return skipPast(svg, at + 2, '?>', 'processing instruction');
  return -1;
}

/**
 * Locates the root element after the prolog (BOM, XML declaration, comments, PIs, DOCTYPE) and checks
 * that it is `<svg>` and that the document closes it. Anything else is BAD_USER_INPUT.
 */
export function findSvgRoot(svg: string): SvgRoot {
  if (typeof svg !== 'string') throw new TypeError('Expected the SVG document as a string');
  let at = svg.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (true) {
    while (at < svg.length && /\s/.test(svg[at]!)) at += 1;
    const skipped = skipNonElement(svg, at);
    if (skipped !== -1) {
      at = skipped;
    } else if (svg.startsWith('<!DOCTYPE', at)) {
      // An internal subset ([…]) may itself contain ">", so skip it as a whole.
      const close = svg.indexOf('>', at);
      const subset = svg.indexOf('[', at);
      at = subset !== -1 && subset < close ? skipPast(svg, skipPast(svg, subset, ']', 'DOCTYPE'), '>', 'DOCTYPE') : skipPast(svg, at, '>', 'DOCTYPE');
    } else {
      break;
    }
  }
  if (!/^<svg[\s/>]/.test(svg.slice(at, at + 5))) notSvg('the root element is not <svg>');
  const end = tagEnd(svg, at);
  const selfClosing = svg[end - 2] === '/';
  if (!selfClosing && !closesRoot(svg, end)) notSvg('the document does not end with </svg>');
  return { start: at, end, selfClosing };
}

/** True when the last `</svg>` comes after `rootEnd` and only whitespace, comments and PIs follow it. */
function closesRoot(svg: string, rootEnd: number): boolean {
  const close = svg.lastIndexOf('</svg');
  if (close < rootEnd || !/^<\/svg\s*>/.test(svg.slice(close, close + 64))) return false;
  let at = svg.indexOf('>', close) + 1;
  while (at < svg.length) {
    if (/\s/.test(svg[at]!)) {
      at += 1;
      continue;
    }
    const skipped = svg.startsWith('<![CDATA[', at) ? -1 : skipNonElement(svg, at);
    if (skipped === -1) return false;
    at = skipped;
  }
  return true;
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The attributes of a start tag (source text from `<` to `>`), values entity-decoded. */
export function parseAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const afterName = tag.search(/[\s/>]/);
  for (const match of tag.slice(afterName).matchAll(ATTRIBUTE)) {
    attributes.set(match[1]!, decodeXmlEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

/** Removes every `name="…"` / `name='…'` attribute from a start tag's source text. */
export function removeAttribute(tag: string, name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return tag.replace(new RegExp(`\\s+${escaped}\\s*=\\s*(?:"[^"]*"|'[^']*')`, 'g'), '');
}

/**
 * Every element named one of `names` (qualified names, e.g. `openbadges:credential`) from `from` on, in
 * document order, skipping comments, CDATA and PIs. Elements of the same name are not expected to nest.
 */
export function findElements(svg: string, from: number, names: ReadonlySet<string>): ElementSpan[] {
  const found: ElementSpan[] = [];
  let at = svg.indexOf('<', from);
  while (at !== -1) {
    const skipped = skipNonElement(svg, at);
    if (skipped !== -1) {
      at = svg.indexOf('<', skipped);
      continue;
    }
    const name = /^[^\s/>]+/.exec(svg.slice(at + 1, at + 200))?.[0];
    if (name === undefined || !names.has(name)) {
      at = svg.indexOf('<', at + 1);
      continue;
    }
    const startEnd = tagEnd(svg, at);
    const attributes = parseAttributes(svg.slice(at, startEnd));
    if (svg[startEnd - 2] === '/') {
      found.push({ name, start: at, end: startEnd, attributes, body: null });
      at = svg.indexOf('<', startEnd);
      continue;
    }
    const close = findClosingTag(svg, startEnd, name);
    found.push({ name, start: at, end: close.end, attributes, body: svg.slice(startEnd, close.start) });
    at = svg.indexOf('<', close.end);
  }
  return found;
}

function findClosingTag(svg: string, from: number, name: string): { start: number; end: number } {
  let at = svg.indexOf('<', from);
  while (at !== -1) {
    const skipped = skipNonElement(svg, at);
    if (skipped !== -1) {
      at = svg.indexOf('<', skipped);
      continue;
    }
    if (svg.startsWith(`</${name}`, at) && /[\s>]/.test(svg[at + name.length + 2] ?? '')) {
      return { start: at, end: skipPast(svg, at, '>', `</${name}>`) };
    }
    at = svg.indexOf('<', at + 1);
  }
  return notSvg(`<${name}> is never closed`);
}

/** The character data of an element body: CDATA sections verbatim (and concatenated), text entity-decoded, comments dropped. */
export function textContent(body: string): string {
  let text = '';
  let at = 0;
  while (at < body.length) {
    const cdata = body.indexOf('<![CDATA[', at);
    const plainEnd = cdata === -1 ? body.length : cdata;
    text += decodeXmlEntities(body.slice(at, plainEnd).replace(/<!--[\s\S]*?-->/g, ''));
    if (cdata === -1) break;
    const close = body.indexOf(']]>', cdata + 9);
    if (close === -1) notSvg('unterminated CDATA section');
    text += body.slice(cdata + 9, close);
    at = close + 3;
  }
  return text;
}

/** Wraps text in CDATA. A `]]>` inside is split across two sections, so it survives verbatim. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and numeric character references; leaves anything else. */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|(lt|gt|amp|quot|apos));/g, (whole, hex?: string, dec?: string, named?: string) => {
    if (named) return NAMED_ENTITIES[named]!;
    const codePoint = hex ? Number.parseInt(hex, 16) : Number(dec);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  });
}

/** Characters XML 1.0 forbids anywhere, even escaped: C0 controls except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML content or a double- or single-quoted attribute, dropping characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * JSON text made safe for XML and UTF-8 without changing its meaning: characters XML cannot hold can
 * only occur inside JSON strings, where a `\uXXXX` escape means the same thing.
 */
export function xmlSafeJson(json: string): string {
  return json.replace(NOT_XML_CHAR, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
