import { createPublicKey, type KeyObject } from 'node:crypto';
import type { DocumentLoader } from '../crypto/document-loader.js';
import type { SafeFetch } from '../net/types.js';
import { resolveVerificationMethod, verificationMethodToPublicJwk } from './document-loader.js';

/**
 * Finds the public key behind a VC-JWT's header `kid` (or, without one, the issuer DID's only assertion method) and
 * says who controls it, so the caller can insist that the controller is the issuer ("key provenance", OB 3.0
 * recommended practices). Never throws for bad input: every dead end is a reason naming the URL or the field.
 */

/** A public key found for a JWT, with what binds it to an issuer. */
export interface JwtVerificationKey {
  key: KeyObject;
  /** The verification method id, or the JWK's URL (with the header's fragment). */
  kid: string;
  /**
   * The verification method's `controller`. Null for a bare JWK or JWK Set fetched from an https URL: such a key
   * names no controller, so it belongs to an issuer only through the URL it was published at.
   */
  controller: string | null;
  /** The https URL a bare JWK was fetched from (null for verification methods). */
  publishedAt: string | null;
}

export type JwtKeyLookup = { found: true; key: JwtVerificationKey } | { found: false; reason: string };

export interface JwtKeyDeps {
  documentLoader: DocumentLoader;
  fetch: SafeFetch;
}

type Json = Record<string, unknown>;

/** Where a JWT's key comes from: header `kid` (absolute, or `#fragment` relative to `iss`), else `iss`'s only assertion method. */
export async function findJwtVerificationKey(kid: string | undefined, iss: string | undefined, deps: JwtKeyDeps): Promise<JwtKeyLookup> {
  try {
    if (kid === undefined) return await keyOfOnlyAssertionMethod(iss, deps.documentLoader);
    if (kid.startsWith('#')) {
      if (!iss) return { found: false, reason: `kid ${kid} is relative but the JWT has no iss to resolve it against` };
      return await findJwtVerificationKey(`${iss.split('#')[0]}${kid}`, iss, deps);
    }
    if (kid.startsWith('did:')) return await keyOfDidUrl(kid, deps.documentLoader);
    if (/^https?:\/\//i.test(kid)) return await keyOfHttpUrl(kid, deps);
    return { found: false, reason: `kid ${kid} is neither a DID URL, an https URL nor a #fragment of iss` };
  } catch (error) {
    return { found: false, reason: `key ${kid ?? iss ?? '(none)'} could not be resolved: ${reasonOf(error)}` };
  }
}

/**
 * Why `key` does not belong to `issuerId`, or null when it does. A verification method must name the issuer as its
 * controller. A bare JWK has no controller, so the URL it was published at must be the issuer's: on the issuer id's
 * origin (https issuers), or on the host of a did:web issuer (where its DID document lives too).
 */
export function keyOwnershipProblem(key: JwtVerificationKey, issuerId: string): string | null {
  if (key.controller !== null) {
    return key.controller === issuerId ? null : `key ${key.kid} is controlled by ${key.controller}, not by the issuer ${issuerId}`;
  }
  const publishedAt = new URL(key.publishedAt ?? key.kid);
  const issuerHost = hostOfIssuer(issuerId);
  if (issuerHost !== null && issuerHost === publishedAt.host.toLowerCase()) return null;
  return `key ${key.kid} is a bare JWK published at ${publishedAt.host}, which is not the issuer ${issuerId}'s host, so nothing ties it to the issuer`;
}

/** The host (with port) an issuer id speaks for: an http(s) URL's own, or did:web's (`%3A` encodes the port). */
function hostOfIssuer(issuerId: string): string | null {
  if (issuerId.startsWith('did:web:')) {
    const encodedHost = issuerId.slice('did:web:'.length).split(/[:#?]/)[0] ?? '';
    return decodeURIComponent(encodedHost).toLowerCase();
  }
  try {
    const url = new URL(issuerId);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** No kid: acceptable only when `iss` is a DID whose document leaves no doubt, i.e. lists exactly one assertion method. */
async function keyOfOnlyAssertionMethod(iss: string | undefined, loader: DocumentLoader): Promise<JwtKeyLookup> {
  if (!iss?.startsWith('did:')) {
    return { found: false, reason: `the JWT has no kid and its iss ${iss ?? '(missing)'} is not a DID, so there is no way to find its key` };
  }
  const didDocument = await loadObject(loader, iss.split('#')[0]!);
  const assertionMethods = asArray(didDocument.assertionMethod);
  if (assertionMethods.length !== 1) {
    return {
      found: false,
      reason: `the JWT has no kid and the DID document of ${iss} lists ${assertionMethods.length} assertion methods, so the key is ambiguous`,
    };
  }
  const only = assertionMethods[0];
  const vmId = typeof only === 'string' ? only : isObject(only) && typeof only.id === 'string' ? only.id : null;
  if (vmId === null) return { found: false, reason: `the assertion method of ${iss} has no id` };
  return keyOfDidUrl(absoluteId(vmId, iss.split('#')[0]!), loader);
}

/**
 * A DID URL: resolve the DID document, find the verification method, and require it to be listed under
 * `assertionMethod`, since a key the DID controller reserved for authentication or key agreement may not sign credentials.
 */
async function keyOfDidUrl(didUrl: string, loader: DocumentLoader): Promise<JwtKeyLookup> {
  const did = didUrl.split('#')[0]!;
  if (did === didUrl) return { found: false, reason: `kid ${didUrl} is a DID without a #fragment naming one of its keys` };
  const method = await resolveVerificationMethod(loader, didUrl);
  const didDocument = await loadObject(loader, did);
  const authorised = asArray(didDocument.assertionMethod).some((entry) => {
    const id = typeof entry === 'string' ? entry : isObject(entry) ? entry.id : undefined;
    return typeof id === 'string' && absoluteId(id, did) === didUrl;
  });
  if (!authorised) return { found: false, reason: `${didUrl} is not listed as an assertionMethod of ${did}, so it may not sign credentials` };
  return verificationMethodKey(method, didUrl, did);
}

/**
 * An http(s) `kid`. The `https://issuer#z6Mk…` convention is the document loader's to serve (it knows which of those
 * keys it can vouch for); anything else is fetched as a JWK, a JWK Set (picked by kid) or a controller document.
 */
async function keyOfHttpUrl(kid: string, deps: JwtKeyDeps): Promise<JwtKeyLookup> {
  const hashAt = kid.indexOf('#');
  const fragment = hashAt === -1 ? null : kid.slice(hashAt + 1);
  if (fragment?.startsWith('z6Mk')) {
    const method = await resolveVerificationMethod(deps.documentLoader, kid).catch(() => null);
    if (method) return verificationMethodKey(method, kid, kid.slice(0, hashAt));
  }
  const documentUrl = hashAt === -1 ? kid : kid.slice(0, hashAt);
  const fetched = await deps.fetch(documentUrl, {
    accept: 'application/jwk+json, application/jwk-set+json, application/did+ld+json, application/ld+json, application/json',
  });
  let document: unknown;
  try {
    document = JSON.parse(fetched.body.toString('utf8'));
  } catch {
    return { found: false, reason: `the key document at ${documentUrl} is not JSON` };
  }
  if (!isObject(document)) return { found: false, reason: `the key document at ${documentUrl} is not a JSON object` };

  if (Array.isArray(document.keys)) {
    const jwk = document.keys.find((entry) => isObject(entry) && (entry.kid === kid || (fragment !== null && entry.kid === fragment)));
    if (!isObject(jwk)) return { found: false, reason: `the JWK Set at ${documentUrl} has no key with kid ${kid}` };
    return { found: true, key: { key: await publicKeyOf({ id: kid, publicKeyJwk: jwk }), kid, controller: null, publishedAt: documentUrl } };
  }
  if (typeof document.kty === 'string') {
    return { found: true, key: { key: await publicKeyOf({ id: kid, publicKeyJwk: document }), kid, controller: null, publishedAt: documentUrl } };
  }
  const base = typeof document.id === 'string' ? document.id : documentUrl;
  const method = (document.id === kid && (document.publicKeyJwk || document.publicKeyMultibase) ? document : null) ?? findVerificationMethod(document, kid, base);
  if (!method) return { found: false, reason: `the document at ${documentUrl} is neither a JWK, a JWK Set nor a controller document with ${kid}` };
  return verificationMethodKey(method, kid, base);
}

function findVerificationMethod(document: Json, id: string, base: string): Json | null {
  const candidates = [...asArray(document.verificationMethod), ...asArray(document.assertionMethod)];
  const found = candidates.find((entry) => isObject(entry) && typeof entry.id === 'string' && absoluteId(entry.id, base) === id);
  return isObject(found) ? found : null;
}

/** A verification method's key (`publicKeyJwk`, or an Ed25519 Multikey / Ed25519VerificationKey2020) and its controller. */
async function verificationMethodKey(method: Json, kid: string, base: string): Promise<JwtKeyLookup> {
  const controller = typeof method.controller === 'string' ? absoluteId(method.controller, base) : null;
  if (controller === null) return { found: false, reason: `verification method ${kid} names no controller` };
  return { found: true, key: { key: await publicKeyOf(method), kid, controller, publishedAt: null } };
}

/** Refuses JWKs with private members: a published private key means anyone could have signed. */
async function publicKeyOf(method: Json): Promise<KeyObject> {
  return createPublicKey({ key: await verificationMethodToPublicJwk(method), format: 'jwk' });
}

async function loadObject(loader: DocumentLoader, url: string): Promise<Json> {
  const { document } = await loader(url);
  if (!isObject(document)) throw new Error(`${url} did not resolve to a JSON object`);
  return document;
}

function absoluteId(id: string, base: string): string {
  return id.startsWith('#') ? `${base.split('#')[0]}${id}` : id;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
