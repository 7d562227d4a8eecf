import { readBundledJson } from '../crypto/bundled-files.js';
import { getBundledContexts, type RemoteDocument } from '../crypto/document-loader.js';
import { jsonld } from '../crypto/jsonld-engine.js';
import { loadShapes, validateShacl, type ShaclViolation, type ShapesGraph } from './shacl.js';

/**
 * Validation of a European Digital Credential against the European Commission's SHACL shapes for the EDC application
 * profile, the profile EDC documents name in `credentialSchema` (`http://data.europa.eu/snb/model/ap/edc-generic-full`,
 * which imports `edc-generic-no-cv`). The shapes and the `edc-ap` JSON-LD context are bundled (lib/crypto/SOURCES.md):
 * nothing is fetched.
 */

export interface EdcValidationResult {
  conforms: boolean;
  violations: ShaclViolation[];
  /** Properties the EDC context does not define: JSON-LD drops them, so no SHACL shape ever sees them. */
  undefinedTerms: string[];
}

let shapes: ShapesGraph | undefined;

/** The EDC shapes, parsed once per process. */
function edcShapes(): ShapesGraph {
  shapes ??= loadShapes(readBundledJson('schemas/edc-generic-no-cv.shacl.jsonld'), readBundledJson('schemas/edc-generic-full.shacl.jsonld'));
  return shapes;
}

async function bundledContextLoader(url: string): Promise<RemoteDocument> {
  const document = getBundledContexts().get(url);
  if (!document) throw new Error(`Document loader unable to load URL "${url}" (EDC validation is offline)`);
  return { contextUrl: null, document, documentUrl: url, tag: 'static' };
}

/** Validates an (unsealed) EDC document; never throws for a bad document, only for a broken bundle. */
export async function validateEdc(document: unknown): Promise<EdcValidationResult> {
  const undefinedTerms: string[] = [];
  let quads;
  try {
    quads = await jsonld.toRDF(document, {
      documentLoader: bundledContextLoader,
      eventHandler: ({ event, next }: { event: { code: string; details?: { property?: string } }; next: () => void }) => {
        if (event.code === 'invalid property' && event.details?.property) undefinedTerms.push(event.details.property);
        else next();
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { conforms: false, undefinedTerms, violations: [{ focusNode: '', path: null, constraint: 'json-ld', shape: '', message }] };
  }
  const violations = validateShacl(edcShapes(), quads);
  return { conforms: violations.length === 0 && undefinedTerms.length === 0, violations, undefinedTerms: [...new Set(undefinedTerms)] };
}
