/**
 * Open Badges baking: embed a credential in a PNG or SVG badge image, and read it back.
 *
 * OB 3.0 (OBSPEC ob_v3p0/docformat.md "Baked Badge"): PNG iTXt keyword `openbadgecredential`,
 * uncompressed, empty language tag and translated keyword; SVG `<openbadges:credential>` directly after
 * the root tag, JSON in CDATA or a compact JWS in `verify`, namespace https://purl.imsglobal.org/ob/v3p0.
 * OB 2.0 (ob_v2p0/baking): PNG iTXt `openbadges` (pre-spec: a URL in tEXt `openbadges`), SVG
 * `<openbadges:assertion verify="URL|JWS">` with optional JSON body, namespace http://openbadges.org.
 *
 * Baking always writes OB 3.0 and removes every earlier bake, OB 2.0 included: an image that still held
 * someone else's assertion would leak it to every later recipient, and the SVG prefix `openbadges`
 * can only be bound to one namespace.
 */
import { AppError } from '../errors.js';
import { chunkKeyword, encodePngChunk, iTXtData, readPngChunks, readTextChunk, type PngChunk } from './png-chunks.js';
import { cdata, escapeXml, findElements, findSvgRoot, removeAttribute, textContent, xmlSafeJson } from './svg-markup.js';

/** What an image carried: an OB 3.0 credential (JSON text or compact JWS) or an OB 2.0 assertion (JSON, JWS or URL). */
export type BakedCredential = { format: 'ob3'; credential: string } | { format: 'ob2'; assertion: string };

/** Options for extraction. */
export interface ExtractOptions {
  /** Ceiling for a compressed PNG text chunk once inflated. @default 16 MiB */
  maxInflatedBytes?: number;
}

/** PNG text keyword of an OB 3.0 bake (iTXt). */
export const OB3_PNG_KEYWORD = 'openbadgecredential';
/** PNG text keyword of an OB 2.0 bake (iTXt, or tEXt holding a URL before the 2013 spec). */
export const OB2_PNG_KEYWORD = 'openbadges';
/** Namespace bound to the `openbadges` prefix in an OB 3.0 baked SVG. */
export const OB3_SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const OB3_SVG_ELEMENT = 'openbadges:credential';
const OB2_SVG_ELEMENT = 'openbadges:assertion';
const BAKED_SVG_ELEMENTS: ReadonlySet<string> = new Set([OB3_SVG_ELEMENT, OB2_SVG_ELEMENT]);
const BAKED_PNG_KEYWORDS: ReadonlySet<string> = new Set([OB3_PNG_KEYWORD, OB2_PNG_KEYWORD]);
const DEFAULT_MAX_INFLATED_BYTES = 16 * 1024 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The text to bake and how SVG must carry it. */
interface Payload {
  kind: 'json' | 'jws';
  text: string;
}

/**
 * An object is serialised as JSON; a string must already be a JSON object (embedded proof) or a compact
 * JWS (VC-JWT). Anything else is BAD_USER_INPUT: baking garbage would produce an unverifiable badge.
 */
function payloadOf(credential: string | object): Payload {
  if (typeof credential === 'string') {
    const text = credential.trim();
    if (COMPACT_JWS.test(text)) return { kind: 'jws', text };
    if (isJsonObject(text)) return { kind: 'json', text: xmlSafeJson(text) };
    throw new AppError('BAD_USER_INPUT', 'The credential to bake must be a JSON object or a compact JWS', { field: 'credential' });
  }
  if (credential === null || typeof credential !== 'object' || Array.isArray(credential)) {
    throw new TypeError('The credential to bake must be a string or a plain object');
  }
  return { kind: 'json', text: xmlSafeJson(JSON.stringify(credential)) };
}

function isJsonObject(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    return typeof JSON.parse(text) === 'object';
  } catch {
    return false;
  }
}

function emptyBake(where: string): never {
  throw new AppError('BAD_USER_INPUT', `The image's ${where} is empty`, { field: 'image' });
}

/**
 * A copy of `png` with the credential in one uncompressed `iTXt` chunk `openbadgecredential`, placed just
 * before IEND. Earlier OB 2.0/3.0 bakes are removed, so the chunk never appears twice. Every other chunk
 * is copied byte for byte; bytes after IEND are dropped.
 */
export function bakePng(png: Buffer, credential: string | object): Buffer {
  const { text } = payloadOf(credential);
  const chunks = readPngChunks(png);
  const kept = chunks.filter((chunk) => chunk.type !== 'IEND' && !isBakedChunk(chunk)).map((chunk) => chunk.raw);
  const baked = encodePngChunk('iTXt', iTXtData(OB3_PNG_KEYWORD, text));
  return Buffer.concat([png.subarray(0, 8), ...kept, baked, chunks[chunks.length - 1]!.raw]);
}

function isBakedChunk(chunk: PngChunk): boolean {
  const keyword = chunkKeyword(chunk);
  return keyword !== null && BAKED_PNG_KEYWORDS.has(keyword);
}

/**
 * The credential baked into `png`, or null when there is none. OB 3.0 wins over OB 2.0 when both are
 * present; within a version the first chunk counts, as the specs say. Accepts compressed iTXt (inflation
 * bounded) and the legacy OB 2.0 `tEXt` URL. Malformed PNGs are BAD_USER_INPUT.
 */
export function extractFromPng(png: Buffer, options: ExtractOptions = {}): BakedCredential | null {
  const maxInflatedBytes = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  let ob2: PngChunk | undefined;
  for (const chunk of readPngChunks(png)) {
    const keyword = chunkKeyword(chunk);
    if (keyword === OB3_PNG_KEYWORD && chunk.type === 'iTXt') {
      const credential = readTextChunk(chunk, maxInflatedBytes).trim();
      return credential ? { format: 'ob3', credential } : emptyBake('openbadgecredential chunk');
    }
    if (keyword === OB2_PNG_KEYWORD && (chunk.type === 'iTXt' || chunk.type === 'tEXt')) ob2 ??= chunk;
  }
  if (!ob2) return null;
  const assertion = readTextChunk(ob2, maxInflatedBytes).trim();
  return assertion ? { format: 'ob2', assertion } : emptyBake('openbadges chunk');
}

/**
 * `svg` with `xmlns:openbadges` set to the OB 3.0 namespace on the root and one `<openbadges:credential>`
 * directly after the root start tag: JSON in CDATA (a `]]>` inside is split safely), or a compact JWS in
 * `verify` with an empty body. Earlier OB 2.0/3.0 bakes are removed. Non-SVG input is BAD_USER_INPUT.
 */
export function bakeSvg(svg: string, credential: string | object): string {
  const payload = payloadOf(credential);
  const root = findSvgRoot(svg);
  const element =
    payload.kind === 'jws'
      ? `<${OB3_SVG_ELEMENT} verify="${escapeXml(payload.text)}"></${OB3_SVG_ELEMENT}>`
      : `<${OB3_SVG_ELEMENT}>${cdata(payload.text)}</${OB3_SVG_ELEMENT}>`;

  let rootTag = removeAttribute(svg.slice(root.start, root.end), 'xmlns:openbadges');
  rootTag = `<svg xmlns:openbadges="${OB3_SVG_NAMESPACE}"${rootTag.slice(4)}`;
  if (root.selfClosing) {
    return `${svg.slice(0, root.start)}${rootTag.replace(/\s*\/>$/, '>')}${element}</svg>${svg.slice(root.end)}`;
  }

  let rest = '';
  let copied = root.end;
  for (const old of findElements(svg, root.end, BAKED_SVG_ELEMENTS)) {
    rest += svg.slice(copied, old.start);
    copied = old.end;
  }
  rest += svg.slice(copied);
  return `${svg.slice(0, root.start)}${rootTag}${element}${rest}`;
}

/**
 * The credential baked into `svg`, or null when there is none. OB 3.0 `<openbadges:credential>` wins over
 * OB 2.0 `<openbadges:assertion>`; the element body (CDATA or text) is preferred, else its `verify`
 * attribute. Only the `openbadges` prefix both specs prescribe is recognised.
 */
export function extractFromSvg(svg: string): BakedCredential | null {
  const root = findSvgRoot(svg);
  if (root.selfClosing) return null;
  const elements = findElements(svg, root.end, BAKED_SVG_ELEMENTS);
  const ob3 = elements.find((element) => element.name === OB3_SVG_ELEMENT);
  const chosen = ob3 ?? elements[0];
  if (!chosen) return null;
  const text = (chosen.body === null ? '' : textContent(chosen.body)).trim() || (chosen.attributes.get('verify') ?? '').trim();
  if (!text) emptyBake(`<${chosen.name}> element`);
  return ob3 ? { format: 'ob3', credential: text } : { format: 'ob2', assertion: text };
}

/** What a baked text is, so an importer knows whether to parse, verify a JWS, or fetch a hosted assertion. */
export function bakedTextKind(text: string): 'json' | 'jws' | 'url' | 'unknown' {
  const trimmed = text.trim();
  if (COMPACT_JWS.test(trimmed)) return 'jws';
  if (isJsonObject(trimmed)) return 'json';
  return /^https?:\/\/\S+$/.test(trimmed) ? 'url' : 'unknown';
}
