import { bakedTextKind, extractFromPng, extractFromSvg, type BakedCredential } from '../badges/bake.js';
import { PNG_SIGNATURE } from '../badges/png-chunks.js';
import { nestsDeeperThan } from '../json-depth.js';
import type { SafeFetch } from '../net/types.js';
import { isJadesDocument, type JadesDocument } from '../europass/jades.js';
import { errorMessage } from './messages.js';

/** What a verifier input turned out to hold, once images are opened and URLs fetched. */
export type Unwrapped =
  | { kind: 'vc'; credential: Record<string, unknown> }
  | { kind: 'jwt'; jwt: string }
  | { kind: 'ob2'; assertion: string | Record<string, unknown> }
  | { kind: 'jades'; sealed: JadesDocument }
  | { kind: 'invalid'; message: string };

/** The four ways a credential can be handed to the verifier; exactly one must be given. */
export interface CredentialInput {
  credential?: unknown;
  jwt?: string | null;
  /** A baked PNG or SVG, base64-encoded. */
  image?: string | null;
  url?: string | null;
}

export interface UnwrapLimits {
  /** Largest credential (JSON text, JWT or decoded image) accepted. @default 2 MiB */
  maxBytes?: number;
  /** Deepest JSON nesting accepted: JSON-LD expansion recurses per level. @default 64 */
  maxDepth?: number;
}

const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;
const OB2_CONTEXT = 'https://w3id.org/openbadges/v2';

/** How many of the alternatives an input sets: anything but one is a caller mistake, not an invalid credential. */
export function providedInputs(input: CredentialInput): string[] {
  return (['credential', 'jwt', 'image', 'url'] as const).filter((key) => input[key] !== undefined && input[key] !== null);
}

/**
 * Opens whatever was given into a credential to verify. Never throws for bad input: an unreadable image, a URL that
 * cannot be fetched, malformed, oversized or absurdly nested JSON all come back as `invalid` with the reason.
 */
export async function unwrapInput(input: CredentialInput, fetch: SafeFetch, limits: UnwrapLimits = {}): Promise<Unwrapped> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (input.jwt !== undefined && input.jwt !== null) return fromText(String(input.jwt), maxBytes, maxDepth);
  if (input.image !== undefined && input.image !== null) return fromImage(String(input.image), maxBytes, maxDepth);
  if (input.url !== undefined && input.url !== null) return fromUrl(String(input.url), fetch, maxBytes, maxDepth);
  const credential = input.credential;
  if (typeof credential === 'string') return fromText(credential, maxBytes, maxDepth);
  return fromJson(credential, maxBytes, maxDepth);
}

function fromJson(value: unknown, maxBytes: number, maxDepth: number): Unwrapped {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'invalid', message: 'The credential is not a JSON object' };
  if (nestsDeeperThan(value, maxDepth)) return { kind: 'invalid', message: `The credential nests deeper than ${maxDepth} levels` };
  const size = Buffer.byteLength(JSON.stringify(value));
  if (size > maxBytes) return tooLarge(size, maxBytes);
  const json = value as Record<string, unknown>;
  if (isEnveloped(json)) return fromEnvelope(json, maxBytes, maxDepth);
  // A sealed European Digital Credential: a JWS JSON serialisation (JAdES) whose payload is the EDC.
  if (isJadesDocument(json)) return { kind: 'jades', sealed: json };
  return isOb2Assertion(json) ? { kind: 'ob2', assertion: json } : { kind: 'vc', credential: json };
}

/** The media types of a VC-JWT inside an EnvelopedVerifiableCredential's `data:` URL (VCDM 2.0 §4.13, VC-JOSE-COSE). */
const ENVELOPED_JWT = /^data:application\/(vc\+jwt|vc-ld\+jwt|jwt)(;[^,]*)?,/;

function isEnveloped(json: Record<string, unknown>): boolean {
  const types = Array.isArray(json.type) ? json.type : [json.type];
  return types.includes('EnvelopedVerifiableCredential');
}

/**
 * An EnvelopedVerifiableCredential: the credential is secured by an envelope (a VC-JWT) carried in a `data:` URL as
 * its `id`, and is verified as that JWT. Another envelope (SD-JWT, COSE) is named as unsupported.
 */
function fromEnvelope(json: Record<string, unknown>, maxBytes: number, maxDepth: number): Unwrapped {
  const id = typeof json.id === 'string' ? json.id : '';
  const jwt = ENVELOPED_JWT.exec(id);
  if (!jwt) return { kind: 'invalid', message: `An EnvelopedVerifiableCredential's id must be a data: URL of application/vc+jwt, got ${id ? id.slice(0, 40) : 'none'}` };
  const text = decodeURIComponent(id.slice(jwt[0].length));
  const unwrapped = fromText(text, maxBytes, maxDepth);
  return unwrapped.kind === 'jwt' ? unwrapped : { kind: 'invalid', message: 'The EnvelopedVerifiableCredential does not carry a compact JWS' };
}

function fromText(text: string, maxBytes: number, maxDepth: number): Unwrapped {
  const size = Buffer.byteLength(text);
  if (size > maxBytes) return tooLarge(size, maxBytes);
  const kind = bakedTextKind(text);
  if (kind === 'jws') return { kind: 'jwt', jwt: text.trim() };
  if (kind === 'url') return { kind: 'ob2', assertion: text.trim() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', message: `The credential is not valid JSON: ${errorMessage(error)}` };
  }
  return fromJson(parsed, maxBytes, maxDepth);
}

function fromImage(base64: string, maxBytes: number, maxDepth: number): Unwrapped {
  const cleaned = base64.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(cleaned)) return { kind: 'invalid', message: 'The image is not base64' };
  if ((cleaned.length * 3) / 4 > maxBytes) return tooLarge(Math.floor((cleaned.length * 3) / 4), maxBytes);
  return fromImageBytes(Buffer.from(cleaned, 'base64'), maxBytes, maxDepth);
}

function fromImageBytes(bytes: Buffer, maxBytes: number, maxDepth: number): Unwrapped {
  let baked: BakedCredential | null;
  try {
    const isPng = bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
    if (!isPng && !bytes.subarray(0, 512).toString('utf8').includes('<svg')) return { kind: 'invalid', message: 'The image is neither a PNG nor an SVG' };
    baked = isPng ? extractFromPng(bytes, { maxInflatedBytes: maxBytes }) : extractFromSvg(bytes.toString('utf8'));
  } catch (error) {
    return { kind: 'invalid', message: `The image could not be read: ${errorMessage(error)}` };
  }
  if (!baked) return { kind: 'invalid', message: 'The image carries no baked credential (no openbadgecredential/openbadges data)' };
  if (baked.format === 'ob2') {
    const text = baked.assertion;
    return bakedTextKind(text) === 'json' ? fromOb2Json(text, maxBytes, maxDepth) : { kind: 'ob2', assertion: text.trim() };
  }
  return fromText(baked.credential, maxBytes, maxDepth);
}

function fromOb2Json(text: string, maxBytes: number, maxDepth: number): Unwrapped {
  const unwrapped = fromText(text, maxBytes, maxDepth);
  return unwrapped.kind === 'vc' ? { kind: 'ob2', assertion: unwrapped.credential } : unwrapped;
}

async function fromUrl(url: string, fetch: SafeFetch, maxBytes: number, maxDepth: number): Promise<Unwrapped> {
  let fetched;
  try {
    fetched = await fetch(url, { accept: 'application/vc+ld+json, application/ld+json, application/json, application/vc+jwt, image/png, image/svg+xml', maxBytes });
  } catch (error) {
    return { kind: 'invalid', message: errorMessage(error) };
  }
  const type = fetched.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'image/png' || type === 'image/svg+xml') return fromImageBytes(fetched.body, maxBytes, maxDepth);
  const unwrapped = fromText(fetched.body.toString('utf8'), maxBytes, maxDepth);
  // A hosted OB 2.0 assertion is verified by fetching it again from its own id, so hand over the URL form.
  return unwrapped.kind === 'ob2' && typeof unwrapped.assertion === 'object' ? { kind: 'ob2', assertion: url } : unwrapped;
}

function isOb2Assertion(json: Record<string, unknown>): boolean {
  const contexts = Array.isArray(json['@context']) ? json['@context'] : [json['@context']];
  if (contexts.includes(OB2_CONTEXT)) return true;
  const types = Array.isArray(json.type) ? json.type : [json.type];
  return types.includes('Assertion') && !types.includes('VerifiableCredential');
}

function tooLarge(size: number, maxBytes: number): Unwrapped {
  return { kind: 'invalid', message: `The credential is ${size} bytes, more than the ${maxBytes} accepted` };
}
