import { readFile } from 'node:fs/promises';
import { readEuropassTrustAnchors } from '../europass/jades.js';
import { ANONYMOUS, signViewer, VIEWER_HEADER } from '../auth/viewer.js';
import { ISSUERS_PUBLIC_PATHS, type HubConfig } from '../config/env.js';
import { createCachingCryptosuite, createCanonicalizer } from '../crypto/canonicalizer.js';
import { didWebFor, hubDidWebOf, issuerIdOfDidWeb, rebaseDidDocument } from '../did-web.js';
import type { Logger } from '../log.js';
import { createSafeFetch } from '../net/safe-fetch.js';
import { FetchFailedError, FetchRefusedError, type FetchedDocument, type SafeFetch } from '../net/types.js';
import { createVerifierDocumentLoader } from './document-loader.js';
import { cachedLookup } from './known-issuer-cache.js';
import { parseTrustRegistry, type TrustedIssuer } from './trust-registry.js';
import { createCredentialVerifier, type CredentialVerifier, type IssuerTrustLookup } from './verify-credential.js';

const INTERNAL_TIMEOUT_MS = 5_000;
const INTERNAL_MAX_BYTES = 2 * 1024 * 1024;
/** How long a registry fetched over https is trusted before it is fetched again. */
const REGISTRY_TTL_MS = 60 * 60_000;
/** How soon a registry that could not be fetched is tried again (not on every lookup). */
const REGISTRY_RETRY_MS = 5 * 60_000;

/** One of this hub's issuers as a service that projects IssuerKeysChanged events knows it. */
export interface KnownHubIssuer {
  issuerId: string;
  issuerName: string;
  /** The did:web document; null for a did:key DID (which resolves itself). */
  document: Record<string, unknown> | null;
}

export interface HubVerifierDeps {
  config: HubConfig;
  log: Logger;
  /**
   * This hub's issuers by DID, from a projection of IssuerKeysChanged (no HTTP, and did:key issuers are known too).
   * Without it, this hub's did:web DIDs are read from the issuers service and did:key issuers count as unknown.
   */
  knownIssuerByDid?: (did: string) => Promise<KnownHubIssuer | null>;
}

/**
 * The verifier as this hub runs it, in any service: the SSRF-safe fetch for the world, this hub's own documents
 * (status lists, JWKs, credential URLs, DID documents) from the issuers service directly, and issuer trust from this
 * hub's issuers plus the operator's lists.
 */
export async function createHubVerifier(deps: HubVerifierDeps): Promise<HubVerifier> {
  const { config, log } = deps;
  const fetch = hubFetch(config);
  // Asked twice per credential (its key, its issuer's trust): one lookup per issuer DID, not per credential.
  const knownIssuers = cachedLookup(underEveryHubAddress(config, deps.knownIssuerByDid ?? ownDidWebIssuer(config, fetch)));
  const knownIssuer = (did: string) => knownIssuers.get(did);
  const documentLoader = createVerifierDocumentLoader({ fetch, resolveLocalDid: async (did) => (await knownIssuer(did))?.document ?? null });
  const trust = await createTrustLookup({ config, knownIssuer, fetch, log });
  // The shape cache canonicalises like the stock path, byte for byte (lib/crypto/canonicalizer.ts), several times faster.
  const cryptosuites = { 'eddsa-rdfc-2022': createCachingCryptosuite(createCanonicalizer({ documentLoader })) };
  const europassTrustAnchors = readEuropassTrustAnchors(config.verifier.europassTrustAnchorsFile);
  const verifier = createCredentialVerifier({ documentLoader, fetch, trust, cryptosuites, requireKnownIssuer: config.verifier.requireKnownIssuer, europassTrustAnchors });
  return Object.assign(verifier, { forgetKnownIssuers: () => knownIssuers.forget() });
}

/** The hub's verifier, plus a way to drop its briefly cached answers about this hub's issuers (a key changed). */
export type HubVerifier = CredentialVerifier & { forgetKnownIssuers(): void };

/**
 * An issuer of this hub is the same issuer under each of the hub's addresses (PUBLIC_BASE_URL and its aliases): a
 * credential issued before the address changed names the old did:web DID, one issued after it the new one, and the
 * lookup may know either (the projection holds the DIDs its last IssuerKeysChanged event named). A DID it does not
 * know is looked up under the hub's other addresses, and the document found is rebased onto the DID asked for.
 */
function underEveryHubAddress(config: HubConfig, lookup: (did: string) => Promise<KnownHubIssuer | null>): (did: string) => Promise<KnownHubIssuer | null> {
  const addresses = [config.publicBaseUrl, ...config.publicBaseUrlAliases];
  if (addresses.length === 1) return lookup;
  return async (did) => {
    const found = await lookup(did);
    if (found) return found;
    const own = hubDidWebOf(addresses, did);
    if (!own) return null;
    for (const address of addresses) {
      const twin = didWebFor(address, own.issuerId);
      if (twin === did) continue;
      const known = await lookup(twin);
      if (known) return { ...known, document: known.document && rebaseDidDocument(known.document, twin, did) };
    }
    return null;
  };
}

/** This hub's did:web issuers, their DID documents read from the issuers service (for services without the projection). */
function ownDidWebIssuer(config: HubConfig, fetch: SafeFetch): (did: string) => Promise<KnownHubIssuer | null> {
  return async (did) => {
    const issuerId = issuerIdOfDidWeb(config.publicBaseUrl, did);
    if (!issuerId) return null;
    const base = `${config.publicBaseUrl}${ISSUERS_PUBLIC_PATHS.issuers}${issuerId}`;
    try {
      const [document, profile] = await Promise.all([`${base}/did.json`, base].map(async (url) => JSON.parse((await fetch(url)).body.toString('utf8'))));
      return { issuerId, issuerName: typeof profile.name === 'string' ? profile.name : issuerId, document };
    } catch {
      return null;
    }
  };
}

/**
 * The world through the SSRF-safe fetch; this hub's own public URLs straight from the issuers service, which is
 * inside the deployment (and would be refused as a private address, or be plain http in development).
 */
export function hubFetch(config: HubConfig): SafeFetch {
  const world = createSafeFetch(config.outboundFetch);
  // Its aliases too: credentials issued under an earlier address name their status lists and keys there.
  const publicBases = [config.publicBaseUrl, ...config.publicBaseUrlAliases];
  const issuersOrigin = new URL(config.subgraphUrls.issuers).origin;
  return (url, options) => {
    const publicBase = publicBases.find((base) => url.startsWith(`${base}/`));
    if (publicBase) {
      const path = url.slice(publicBase.length);
      if (Object.values(ISSUERS_PUBLIC_PATHS).some((prefix) => path.startsWith(prefix))) return fetchFromIssuers(`${issuersOrigin}${path}`, config.viewerSecret, options);
    }
    return world(url, options);
  };
}

/** A request to the issuers service inside the deployment, signed as an anonymous viewer as the gateway would. */
async function fetchFromIssuers(url: string, viewerSecret: string, options: { accept?: string; maxBytes?: number } = {}): Promise<FetchedDocument> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: options.accept ?? 'application/json', [VIEWER_HEADER]: signViewer(ANONYMOUS, viewerSecret) },
      redirect: 'manual',
      signal: AbortSignal.timeout(INTERNAL_TIMEOUT_MS),
    });
  } catch (error) {
    throw new FetchFailedError(url, (error as Error).message);
  }
  if (!response.ok) throw new FetchFailedError(url, `HTTP ${response.status}`, response.status);
  const body = Buffer.from(await response.arrayBuffer());
  const maxBytes = options.maxBytes ?? INTERNAL_MAX_BYTES;
  if (body.length > maxBytes) throw new FetchRefusedError(url, `the response is larger than ${maxBytes} bytes`);
  return { url, contentType: response.headers.get('content-type'), body };
}

/** Who vouches for an issuer: this hub (its projection of issuer DIDs), the operator's list, or a registry. */
async function createTrustLookup(deps: {
  config: HubConfig;
  knownIssuer: (did: string) => Promise<KnownHubIssuer | null>;
  fetch: SafeFetch;
  log: Logger;
}): Promise<IssuerTrustLookup> {
  const { config, knownIssuer, fetch, log } = deps;
  const configured = new Map<string, TrustedIssuer>(config.verifier.trustedIssuers.map((id) => [id, { id, name: null, source: 'configured' }]));
  const registries = config.verifier.trustedIssuerRegistries.map((location) => ({ location, issuers: new Map<string, TrustedIssuer>(), loadedAt: 0 }));

  async function load(registry: (typeof registries)[number]): Promise<void> {
    try {
      const text = /^https?:\/\//.test(registry.location)
        ? (await fetch(registry.location, { accept: 'application/json' })).body.toString('utf8')
        : await readFile(registry.location, 'utf8');
      registry.issuers = new Map(parseTrustRegistry(JSON.parse(text), registry.location).map((issuer) => [issuer.id, issuer]));
      registry.loadedAt = Date.now();
    } catch (error) {
      // A registry that cannot be read vouches for nobody; the last good copy stays in use until one loads again.
      log.warn({ registry: registry.location, err: error }, 'trust registry could not be loaded');
      registry.loadedAt = Date.now() - REGISTRY_TTL_MS + REGISTRY_RETRY_MS;
    }
  }
  await Promise.all(registries.map(load));

  return async (issuerId) => {
    const own = await knownIssuer(issuerId);
    if (own) return { known: true, source: 'cairn', name: own.issuerName, hubIssuerId: own.issuerId };
    const listed = configured.get(issuerId);
    if (listed) return { known: true, source: listed.source, name: listed.name };
    for (const registry of registries) {
      if (/^https?:\/\//.test(registry.location) && Date.now() - registry.loadedAt > REGISTRY_TTL_MS) await load(registry);
      const found = registry.issuers.get(issuerId);
      if (found) return { known: true, source: found.source, name: found.name };
    }
    return { known: false, source: null };
  };
}
