import type { DocumentLoader } from './document-loader.js';
import { JSONLD_ABSOLUTE_IRI } from './jsonld-engine.js';

/** More context documents than any credential needs; a cycle or a runaway chain of imports stops here. */
const MAX_CONTEXT_DOCUMENTS = 64;

/**
 * Every key of every object in the given `@context` values and in the context documents they reach (by URL, through
 * `@import`, or through scoped contexts given as URLs), loaded with `documentLoader`. That is a superset of every
 * term that any active context can hold while a document using these contexts is expanded, which is what the shape
 * cache needs: a string whose prefix is not in this set cannot be a compact IRI, and a string not in it cannot be a
 * term (see document-shape.ts `leafClass`).
 *
 * Resolves to undefined when a context cannot be read this way (a relative URL, a loader failure, too many
 * documents): the caller then leaves the document to the stock path, which reports the problem itself.
 */
export async function collectContextTerms(contexts: readonly unknown[], documentLoader: DocumentLoader): Promise<Set<string> | undefined> {
  const terms = new Set<string>();
  const loaded = new Set<string>();

  const visitContext = async (context: unknown): Promise<boolean> => {
    if (context === null || context === undefined) return true;
    if (Array.isArray(context)) {
      for (const item of context) if (!(await visitContext(item))) return false;
      return true;
    }
    if (typeof context === 'object') return visitTree(context);
    if (typeof context !== 'string') return true; // jsonld rejects it; the stock path will say so
    const url = resolveUrl(context);
    if (!url) return false;
    if (loaded.has(url)) return true;
    if (loaded.size >= MAX_CONTEXT_DOCUMENTS) return false;
    loaded.add(url);
    let remote;
    try {
      remote = await documentLoader(url);
    } catch {
      return false;
    }
    return visitTree(remote.document);
  };

  const visitTree = async (node: unknown): Promise<boolean> => {
    if (Array.isArray(node)) {
      for (const item of node) if (!(await visitTree(item))) return false;
      return true;
    }
    if (node === null || typeof node !== 'object') return true;
    for (const [key, child] of Object.entries(node)) {
      terms.add(key);
      const ok = key === '@context' || key === '@import' ? await visitContext(child) : await visitTree(child);
      if (!ok) return false;
    }
    return true;
  };

  for (const context of contexts) if (!(await visitContext(context))) return undefined;
  return terms;
}

/**
 * The URL jsonld will ask the loader for. Relative references are refused rather than resolved: jsonld resolves them
 * with its own URL code, and a term set read from a different document than jsonld reads would not be a superset.
 */
function resolveUrl(reference: string): string | undefined {
  return JSONLD_ABSOLUTE_IRI.test(reference) && !reference.startsWith('_:') ? reference : undefined;
}
