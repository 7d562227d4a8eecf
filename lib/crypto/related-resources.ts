import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundledFileUrl, readBundledJson } from './bundled-files.js';

/**
 * Digests of resources the hub can check offline, for VCDM 2.0 `relatedResource` (§5.3 "Integrity of Related
 * Resources"): the JSON-LD contexts it bundles. A digest is checked against the bundled file's bytes, and against
 * the digests of the bytes W3C serves today where those differ from the bundled copy (the published v2 context has
 * been re-serialised since our copy was taken; its digests are those the W3C VCDM 2.0 test suite uses,
 * w3c/vc-data-model-2.0-test-suite@6e075243 tests/fixtures.js).
 */
const PUBLISHED_DIGESTS: Record<string, { sha384: string[]; sha256: string[] }> = {
  'https://www.w3.org/ns/credentials/v2': {
    sha384: ['NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg'],
    sha256: ['24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9'],
  },
};

type Algorithm = 'sha256' | 'sha384' | 'sha512';

let bundledFiles: Map<string, string> | null = null;

function bundledFileOf(url: string): string | null {
  bundledFiles ??= new Map(Object.entries(readBundledJson('contexts/index.json') as Record<string, string>));
  return bundledFiles.get(url) ?? null;
}

/** The digests (hex) a resource may have under `algorithm`, or null when the hub cannot read the resource offline. */
export function knownDigests(url: string, algorithm: Algorithm): string[] | null {
  const file = bundledFileOf(url);
  if (!file) return null;
  const bytes = readFileSync(bundledFileUrl(`contexts/${file}`));
  const published = PUBLISHED_DIGESTS[url];
  const extra = algorithm === 'sha384' ? (published?.sha384 ?? []).map((b64) => Buffer.from(b64, 'base64').toString('hex')) : algorithm === 'sha256' ? (published?.sha256 ?? []) : [];
  return [createHash(algorithm).update(bytes).digest('hex'), ...extra];
}
