import { FetchFailedError, FetchRefusedError, type SafeFetch } from '../net/types.js';

/**
 * Fetching the linked documents of an OB 2.0 assertion (the hosted copy, BadgeClass, issuer Profile,
 * CryptographicKey, RevocationList) through the SafeFetch, with every failure turned into a sentence naming the URL.
 */

export type Json = Record<string, unknown>;

/** What the proof and status steps of an OB 2.0 verification found, for the orchestration in ob2.ts. */
export interface Ob2Evidence {
  /** The assertion to judge: the hosted copy, or the verified JWS payload; the given one when nothing better was read. */
  assertion: Json | null;
  badge: Json | null;
  issuer: Json | null;
  proof: CheckFinding;
  status: CheckFinding & { verdict?: 'REVOKED' | 'STATUS_UNKNOWN' };
}

export interface CheckFinding {
  passed: boolean;
  message: string;
}

export type LinkedDocument =
  | { ok: true; document: Json; url: string | null }
  /** `gone`: the host answered 410, which for a hosted assertion means revoked (OB 2.0 "Hosted verification"). */
  | { ok: false; reason: string; gone: boolean };

const JSON_LD_ACCEPT = 'application/ld+json, application/json;q=0.9';

/** GETs `url` as a JSON object whose `id`, if it has one, is that URL (or the URL it redirected to). */
export async function fetchJsonDocument(fetch: SafeFetch, url: string, what: string): Promise<LinkedDocument> {
  if (!isHttpUrl(url)) return { ok: false, reason: `the ${what} ${url} is not an http(s) URL, so it cannot be fetched`, gone: false };
  let body: Buffer;
  let finalUrl: string;
  try {
    const fetched = await fetch(url, { accept: JSON_LD_ACCEPT });
    body = fetched.body;
    finalUrl = fetched.url;
  } catch (error) {
    if (error instanceof FetchFailedError && error.httpStatus === 410) {
      return { ok: false, reason: `the ${what} at ${url} is gone (HTTP 410)`, gone: true };
    }
    const cause = error instanceof FetchRefusedError || error instanceof FetchFailedError ? error.message : `could not fetch ${url}: ${String(error)}`;
    return { ok: false, reason: `the ${what} could not be read: ${cause}`, gone: false };
  }
  let document: unknown;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: `the ${what} at ${url} is not JSON`, gone: false };
  }
  if (!isObject(document)) return { ok: false, reason: `the ${what} at ${url} is not a JSON object`, gone: false };
  // A document claiming another id is not the one that was linked: trusting it would let any host speak for any id.
  if (typeof document.id === 'string' && document.id !== url && document.id !== finalUrl) {
    return { ok: false, reason: `the ${what} at ${url} says its id is ${document.id}`, gone: false };
  }
  return { ok: true, document, url };
}

/** An OB 2.0 link: either the embedded object itself or the IRI to fetch it from. */
export async function linkedDocument(fetch: SafeFetch, value: unknown, what: string): Promise<LinkedDocument> {
  if (isObject(value)) return { ok: true, document: value, url: typeof value.id === 'string' ? value.id : null };
  if (typeof value === 'string' && value.length > 0) return fetchJsonDocument(fetch, value, what);
  return { ok: false, reason: `the ${what} is missing`, gone: false };
}

/** The id of an embedded object or the IRI itself. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return isObject(value) && typeof value.id === 'string' ? value.id : null;
}

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
