/**
 * The verifier's JSON-LD document loader. Unlike the signer's offline loader it must resolve other people's keys,
 * but it still never fetches a context: only the bundled ones are served, so a credential cannot change the meaning
 * of its own terms or make us download anything but a DID document. Network access is confined to did:web, through
 * the SSRF-safe fetch, cached with a TTL so a verification burst does not hammer an issuer's host.
 */
import type { JsonWebKey } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createDocumentLoader, getBundledContexts, type DocumentLoader, type RemoteDocument } from '../crypto/document-loader.js';
import { ed25519PublicKeyFromMultibase } from '../crypto/multibase.js';
import type { SafeFetch } from '../net/types.js';

/** Options for {@link createVerifierDocumentLoader}. */
export interface VerifierDocumentLoaderOptions {
  /** The only way this loader reaches the network (used for did:web). */
  fetch: SafeFetch;
  /** Resolves this hub's own DIDs without HTTP: given a bare DID, returns its DID document or null when not ours. */
  resolveLocalDid?: (did: string) => Promise<object | null>;
  /** How long a fetched did:web document is trusted. @default 300_000 // 5 minutes */
  didWebTtlMs?: number;
  /** How long a failed did:web resolution is remembered, so a down host is not asked again at once. @default 30_000 */
  didWebFailureTtlMs?: number;
  /** did:web always means https; tests serving DID documents from a local http server set `'http'`. @default 'https' */
  didWebScheme?: 'https' | 'http';
  /** Largest DID document accepted. @default 262_144 // 256 KiB */
  maxDidDocumentBytes?: number;
  /** Injectable clock for the TTLs. @default Date.now */
  now?: () => number;
  /** Bound on cached did:web results and remembered fragment-key controllers (oldest evicted first). @default 1_000 */
  maxCacheEntries?: number;
}

/** Network fetches made by the loader, by kind: what cache tests and metrics count. */
export interface VerifierDocumentLoaderStats {
  networkFetches: { didWeb: number };
}

/** A jsonld.js document loader with its cache counters and a way to forget everything it cached. */
export interface VerifierDocumentLoader extends DocumentLoader {
  readonly stats: VerifierDocumentLoaderStats;
  clearCache(): void;
}

type JsonObject = Record<string, unknown>;

const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
/** The properties of a DID document that list (or embed) verification methods. */
const VERIFICATION_RELATIONSHIPS = [
  'assertionMethod',
  'authentication',
  'capabilityInvocation',
  'capabilityDelegation',
  'keyAgreement',
];
/** JWK members that only a private or symmetric key has; a key published for verification must never carry them. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const DID_DOCUMENT_ACCEPT = 'application/did+json, application/did+ld+json, application/json';
const DID_WEB_ID = /^[A-Za-z0-9._%-]+(?::[A-Za-z0-9._%-]+)*$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Creates the verifier's document loader. It serves the bundled contexts, `did:key` (locally), `did:jwk` (decoded),
 * this hub's own DIDs (through `resolveLocalDid`, before anything else), `did:web` (fetched, cached), and the 1EdTech
 * fragment-key convention `https://issuer.example/path#z6Mk…`. A DID URL with a `#fragment` yields the verification
 * method node (with `@context` and `controller`), as the did:key driver does. Everything else is refused with an
 * error naming the URL.
 *
 * The fragment-key convention proves nothing about who controls the https URL: the key is whatever the credential
 * says it is. The verifier's issuer-trust check, not this loader, decides whether such an issuer is believed.
 */
export function createVerifierDocumentLoader(options: VerifierDocumentLoaderOptions): VerifierDocumentLoader {
  const { fetch, resolveLocalDid } = options;
  if (typeof fetch !== 'function') throw new TypeError(`fetch must be a SafeFetch function, got: ${typeof fetch}`);
  if (resolveLocalDid !== undefined && typeof resolveLocalDid !== 'function') {
    throw new TypeError(`resolveLocalDid must be a function, got: ${typeof resolveLocalDid}`);
  }
  const ttlMs = options.didWebTtlMs ?? 5 * 60_000;
  const failureTtlMs = options.didWebFailureTtlMs ?? 30_000;
  const scheme = options.didWebScheme ?? 'https';
  const maxDidDocumentBytes = options.maxDidDocumentBytes ?? 256 * 1024;
  const now = options.now ?? Date.now;
  const maxCacheEntries = options.maxCacheEntries ?? 1_000;

  // The signer's offline loader already serves the bundled contexts and did:key; reuse it rather than a second copy.
  const offlineLoader = createDocumentLoader();
  const bundledContexts = getBundledContexts();
  const stats: VerifierDocumentLoaderStats = { networkFetches: { didWeb: 0 } };

  /** A did:web answer with its own expiry: a document for the TTL, a failure for the shorter failure TTL. */
  type DidWebAnswer = { expiresAt: number; document: JsonObject } | { expiresAt: number; error: Error };
  // One request per DID however many ask at once (the fetch in flight is shared); the TTLs run on `now`.
  const didWebCache = new LRUCache<string, DidWebAnswer>({
    max: maxCacheEntries,
    fetchMethod: async (did) => {
      try {
        const document = await fetchDidWebDocument(did);
        return { expiresAt: now() + ttlMs, document };
      } catch (error) {
        return { expiresAt: now() + failureTtlMs, error: error instanceof Error ? error : new Error(String(error)) };
      }
    },
    // clearCache() during a fetch must not fail the verifications waiting on it; the answer is just not kept.
    ignoreFetchAbort: true,
  });
  /** did:key documents by URL: resolving one is pure (the key is the DID) but costs a key import each time. */
  const didKeyCache = new LRUCache<string, RemoteDocument>({ max: maxCacheEntries, fetchMethod: (url) => offlineLoader(url), ignoreFetchAbort: true });
  /** Controller URL → the fragment-key verification methods served under it, for its controller document. */
  const fragmentKeyControllers = new LRUCache<string, Set<string>>({ max: maxCacheEntries });

  async function fetchDidWebDocument(did: string): Promise<JsonObject> {
    const url = didWebUrl(did, scheme);
    stats.networkFetches.didWeb++;
    const fetched = await fetch(url, { accept: DID_DOCUMENT_ACCEPT, maxBytes: maxDidDocumentBytes });
    let document: unknown;
    try {
      document = JSON.parse(fetched.body.toString('utf8'));
    } catch {
      throw new Error(`the DID document at ${fetched.url} is not JSON`);
    }
    if (!isObject(document)) throw new Error(`the DID document at ${fetched.url} is not a JSON object`);
    if (document.id !== did) throw new Error(`the DID document at ${fetched.url} has id ${String(document.id)}, not ${did}`);
    return document;
  }

  /** did:web with a TTL cache, a shorter cache for failures, and one request per DID however many ask at once. */
  async function resolveDidWeb(did: string): Promise<JsonObject> {
    const held = didWebCache.get(did);
    const answer = (await didWebCache.fetch(did, { forceRefresh: !held || held.expiresAt <= now() }))!;
    if ('error' in answer) throw answer.error;
    return answer.document;
  }

  async function resolveDidDocument(did: string): Promise<JsonObject> {
    const local = resolveLocalDid ? await resolveLocalDid(did) : null;
    if (local) return local as JsonObject;
    if (did.startsWith('did:web:')) return resolveDidWeb(did);
    if (did.startsWith('did:jwk:')) return didJwkDocument(did);
    throw new Error(`no resolver for the DID method of ${did}`);
  }

  async function loadDid(url: string): Promise<object> {
    const hashAt = url.indexOf('#');
    const did = hashAt === -1 ? url : url.slice(0, hashAt);
    if (/[/?]/.test(did)) throw new Error('DID URLs with a path or query are not supported');
    // Documents are copied on the way out: jsonld.js and the suites must not be able to edit the cache.
    const document = withAbsoluteIds(structuredClone(await resolveDidDocument(did)), did);
    return hashAt === -1 ? document : verificationMethodNode(document, url);
  }

  async function loadDidKey(url: string): Promise<RemoteDocument> {
    const loaded = (await didKeyCache.fetch(url))!; // a failure is thrown here and not remembered
    // Copied on the way out, like every cached document: the suites must not be able to edit the cache.
    return { ...loaded, document: structuredClone(loaded.document) };
  }

  function fragmentKeyMethod(url: string): JsonObject | null {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (!parsed || parsed.protocol !== 'https:' || !parsed.hash) return null;
    const publicKeyMultibase = parsed.hash.slice(1);
    try {
      ed25519PublicKeyFromMultibase(publicKeyMultibase);
    } catch {
      return null;
    }
    const controller = url.slice(0, url.indexOf('#'));
    fragmentKeyControllers.set(controller, (fragmentKeyControllers.get(controller) ?? new Set()).add(url));
    return { '@context': MULTIKEY_CONTEXT, id: url, type: 'Multikey', controller, publicKeyMultibase };
  }

  function fragmentKeyControllerDocument(url: string): JsonObject | null {
    const methods = fragmentKeyControllers.get(url);
    if (!methods) return null;
    const ids = [...methods];
    return { '@context': [DID_CONTEXT, MULTIKEY_CONTEXT], id: url, assertionMethod: ids, authentication: [...ids] };
  }

  async function loadDocument(url: string): Promise<RemoteDocument> {
    if (typeof url !== 'string') throw new TypeError(`document URL must be a string, got: ${typeof url}`);
    if (bundledContexts.has(url)) return offlineLoader(url);
    if (url.startsWith('did:key:')) return loadDidKey(url);
    if (url.startsWith('did:')) {
      let document: object;
      try {
        document = await loadDid(url);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Document loader could not resolve ${url}: ${reason}`, { cause: error });
      }
      return { contextUrl: null, document, documentUrl: url };
    }
    const keyDocument = fragmentKeyMethod(url) ?? fragmentKeyControllerDocument(url);
    if (keyDocument) return { contextUrl: null, document: keyDocument, documentUrl: url };
    throw new Error(
      `Document loader refuses to load ${url}: contexts are never fetched (only bundled contexts, DIDs and fragment keys are served)`,
    );
  }

  return Object.assign(loadDocument, {
    stats,
    clearCache(): void {
      didWebCache.clear();
      didKeyCache.clear();
      fragmentKeyControllers.clear();
    },
  });
}

/**
 * The https URL of a did:web document (W3C did:web §3.2.1): `did:web:example.com` → `/.well-known/did.json`,
 * `did:web:example.com:user:alice` → `/user/alice/did.json`; a port arrives percent-encoded (`example.com%3A8443`).
 */
export function didWebUrl(did: string, scheme: 'https' | 'http' = 'https'): string {
  const methodSpecificId = did.slice('did:web:'.length);
  if (!did.startsWith('did:web:') || !DID_WEB_ID.test(methodSpecificId)) throw new Error(`${did} is not a valid did:web`);
  const [encodedHost = '', ...segments] = methodSpecificId.split(':');
  const host = decodeURIComponent(encodedHost);
  if (!/^[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(host)) throw new Error(`${did} does not name a valid host`);
  const path = segments.map((segment) => {
    const decoded = decodeURIComponent(segment);
    if (decoded === '.' || decoded === '..' || decoded.includes('/')) throw new Error(`${did} has an invalid path segment`);
    return encodeURIComponent(decoded);
  });
  return `${scheme}://${host}/${path.length === 0 ? '.well-known' : path.join('/')}/did.json`;
}

/** The DID document of a did:jwk (did:jwk spec): one `#0` JsonWebKey verification method, the JWK itself. */
function didJwkDocument(did: string): JsonObject {
  const encoded = did.slice('did:jwk:'.length);
  if (!BASE64URL.test(encoded)) throw new Error('the did:jwk value is not base64url');
  let jwk: unknown;
  try {
    jwk = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new Error('the did:jwk value is not a base64url-encoded JSON object');
  }
  const publicKeyJwk = publicJwk(jwk);
  const methodId = `${did}#0`;
  // did:jwk: a key marked for encryption only serves key agreement, one marked for signing never does.
  const signing = publicKeyJwk.use !== 'enc';
  const agreement = publicKeyJwk.use !== 'sig';
  return {
    '@context': [DID_CONTEXT],
    id: did,
    verificationMethod: [{ id: methodId, type: 'JsonWebKey', controller: did, publicKeyJwk }],
    ...(signing && {
      assertionMethod: [methodId],
      authentication: [methodId],
      capabilityInvocation: [methodId],
      capabilityDelegation: [methodId],
    }),
    ...(agreement && { keyAgreement: [methodId] }),
  };
}

/**
 * Rewrites relative verification method references (`#key-1`) to absolute ones, so jsigs' purpose check (which
 * compares the proof's absolute verificationMethod with the controller's `assertionMethod` entries) finds them.
 */
function withAbsoluteIds(document: JsonObject, did: string): JsonObject {
  const absolute = (id: unknown) => (typeof id === 'string' && id.startsWith('#') ? `${did}${id}` : id);
  const absoluteMethod = (entry: unknown) => (isObject(entry) ? { ...entry, id: absolute(entry.id) } : absolute(entry));
  for (const property of ['verificationMethod', ...VERIFICATION_RELATIONSHIPS]) {
    const value = document[property];
    if (Array.isArray(value)) document[property] = value.map(absoluteMethod);
  }
  return document;
}

/** The verification method a DID URL names, from `verificationMethod` or embedded in a relationship. */
function verificationMethodNode(document: JsonObject, methodId: string): JsonObject {
  for (const property of ['verificationMethod', ...VERIFICATION_RELATIONSHIPS]) {
    const value = document[property];
    const method = Array.isArray(value) ? value.find((entry) => isObject(entry) && entry.id === methodId) : undefined;
    if (isObject(method)) {
      // Key material is passed through untouched: the suites decide which key types they accept.
      const context = method['@context'] ?? document['@context'] ?? DID_CONTEXT;
      return { '@context': context, ...method, controller: method.controller ?? document.id };
    }
  }
  throw new Error(`the DID document has no verification method ${methodId}`);
}

/**
 * Loads a key URL (a DID URL with a fragment, a did:key, a fragment-key URL) and checks that it really is the
 * verification method asked for, for the VC-JWT and OB 2.0 verifiers that need the key rather than a JSON-LD proof.
 */
export async function resolveVerificationMethod(loader: DocumentLoader, url: string): Promise<JsonObject> {
  const { document } = await loader(url);
  const method: unknown = typeof document === 'string' ? JSON.parse(document) : document;
  if (!isObject(method) || method.id !== url || typeof method.type !== 'string') {
    throw new Error(`${url} does not resolve to a verification method`);
  }
  return method;
}

/**
 * The public JWK of a verification method: a Multikey or Ed25519VerificationKey2020 `publicKeyMultibase` (Ed25519
 * only) becomes an OKP JWK; a `publicKeyJwk` is returned as published, unless it carries private key members.
 */
export async function verificationMethodToPublicJwk(method: object): Promise<JsonWebKey> {
  const { type, id, publicKeyJwk, publicKeyMultibase } = method as JsonObject;
  const name = typeof id === 'string' ? id : 'the verification method';
  if (publicKeyJwk !== undefined) return publicJwk(publicKeyJwk, name);
  if (typeof publicKeyMultibase === 'string' && (type === 'Multikey' || type === 'Ed25519VerificationKey2020')) {
    let rawPublicKey: Uint8Array;
    try {
      rawPublicKey = ed25519PublicKeyFromMultibase(publicKeyMultibase);
    } catch (error) {
      throw new Error(`${name}: only Ed25519 multikeys (z6Mk…) are supported`, { cause: error });
    }
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawPublicKey).toString('base64url') };
  }
  throw new Error(`${name} has no usable public key (type ${String(type)})`);
}

/** A JWK that is safe to use as a public key: an object with `kty` and no private members. */
function publicJwk(jwk: unknown, name = 'the JWK'): JsonWebKey {
  if (!isObject(jwk) || typeof jwk.kty !== 'string') throw new Error(`${name} is not a JWK object with a "kty"`);
  const privateMembers = PRIVATE_JWK_MEMBERS.filter((member) => member in jwk);
  if (privateMembers.length > 0) throw new Error(`${name} carries private key material (${privateMembers.join(', ')})`);
  return { ...jwk } as JsonWebKey;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
