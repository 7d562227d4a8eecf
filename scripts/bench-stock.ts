import * as didMethodKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { JsonLdDocumentLoader } from 'jsonld-document-loader';
import { getBundledContexts } from '../lib/crypto/document-loader.js';

/**
 * The stock document loader of the @digitalbazaar READMEs, for the benchmarks' baselines: jsonld-document-loader with
 * the contexts (copied: the stock libraries may mutate them, Cairn's are frozen) and a did:key resolver.
 */
export function createStockDocumentLoader(): JsonLdDocumentLoader {
  const loader = new JsonLdDocumentLoader();
  loader.addDocuments({ documents: [...getBundledContexts()].map(([url, document]) => [url, structuredClone(document)] as [string, object]) });
  const didKey = didMethodKey.driver();
  didKey.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });
  loader.setDidResolver(didKey);
  return loader;
}
