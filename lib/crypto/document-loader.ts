import * as didMethodKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { readBundledJson } from './bundled-files.js';

/** What a JSON-LD document loader returns (the jsonld.js `RemoteDocument` shape). */
export interface RemoteDocument {
  contextUrl: string | null;
  document: unknown;
  documentUrl: string;
  /** `'static'` tells jsonld.js the document never changes, so it may cache what it derives from it. */
  tag?: 'static';
}

/** Resolves a URL for jsonld.js / @digitalbazaar/vc; rejects for anything it may not serve. */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/**
 * Resolves a DID URL of a method other than did:key (Cairn's own did:web issuers): returns the DID document for a
 * bare DID, or the verification method node (a Multikey with `controller`) for a `#fragment`, or null when unknown.
 */
export type DidResolver = (didUrl: string) => Promise<object | null | undefined>;

/** Options for {@link createDocumentLoader}. */
export interface DocumentLoaderOptions {
  /** Called for every `did:` URL that is not `did:key:`; without it such URLs are refused. */
  resolveDid?: DidResolver;
}

/** The context URL → file map shipped in `lib/crypto/contexts/index.json` (a copy of the conformance one). */
const CONTEXT_INDEX_FILE = 'contexts/index.json';

let bundledContexts: ReadonlyMap<string, object> | undefined;

/**
 * Every bundled JSON-LD context by URL, parsed once per process and deep-frozen: all loaders share the same objects,
 * so a caller that mutated one would silently change every later signature.
 */
export function getBundledContexts(): ReadonlyMap<string, object> {
  if (!bundledContexts) {
    const index = readBundledJson(CONTEXT_INDEX_FILE) as Record<string, string>;
    const parsedByFile = new Map<string, object>();
    const contexts = new Map<string, object>();
    for (const [url, file] of Object.entries(index)) {
      let document = parsedByFile.get(file);
      if (!document) {
        document = deepFreeze(readBundledJson(`contexts/${file}`) as object);
        parsedByFile.set(file, document);
      }
      contexts.set(url, document);
    }
    bundledContexts = contexts;
  }
  return bundledContexts;
}

let didKeyDriver: didMethodKey.DidKeyDriver | undefined;

/** did:key is resolved from the key itself, so the driver is pure and shared; only Ed25519 (`z6Mk…`) keys are accepted. */
function getDidKeyDriver(): didMethodKey.DidKeyDriver {
  if (!didKeyDriver) {
    didKeyDriver = didMethodKey.driver();
    didKeyDriver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });
  }
  return didKeyDriver;
}

/**
 * An offline JSON-LD document loader: it serves the bundled contexts, resolves `did:key:` URLs locally, hands other
 * `did:` URLs to `resolveDid`, and refuses everything else with an error naming the URL. It never fetches, so
 * signing and verifying cannot be slowed, tracked or poisoned through the network.
 */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const { resolveDid } = options;
  if (resolveDid !== undefined && typeof resolveDid !== 'function') {
    throw new TypeError(`resolveDid must be a function, got: ${typeof resolveDid}`);
  }
  const contexts = getBundledContexts();

  return async function loadDocument(url: string): Promise<RemoteDocument> {
    if (typeof url !== 'string') throw new TypeError(`document URL must be a string, got: ${typeof url}`);
    const context = contexts.get(url);
    if (context) return { contextUrl: null, document: context, documentUrl: url, tag: 'static' };

    if (url.startsWith('did:key:')) {
      const document = await resolveWith(url, (didUrl) => getDidKeyDriver().get({ url: didUrl }));
      return { contextUrl: null, document, documentUrl: url };
    }
    if (url.startsWith('did:')) {
      if (!resolveDid) throw new Error(`Document loader cannot resolve ${url}: no resolver for this DID method`);
      const document = await resolveWith(url, resolveDid);
      return { contextUrl: null, document, documentUrl: url };
    }
    throw new Error(`Document loader refuses to load ${url}: only bundled contexts and DIDs are served, never fetched`);
  };
}

/** Runs a DID resolver and makes both of its failure modes (throwing, returning nothing) name the URL. */
async function resolveWith(url: string, resolve: DidResolver): Promise<object> {
  let document: object | null | undefined;
  try {
    document = await resolve(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Document loader could not resolve ${url}: ${reason}`, { cause: error });
  }
  if (!document) throw new Error(`Document loader could not resolve ${url}: DID not found`);
  return document;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
