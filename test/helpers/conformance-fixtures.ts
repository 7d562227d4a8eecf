import { readdirSync, readFileSync } from 'node:fs';

/**
 * The third-party conformance material the tests read (spec examples, 1EdTech test vectors, OB 3.0 schemas, the W3C
 * VC 2.0 suite's inputs), committed under `test/fixtures/conformance/`; `SOURCES.md` there names each file's origin
 * and licence. The contexts and the AchievementCredential schema the hub itself uses are bundled in `lib/crypto/`.
 */
const CONFORMANCE_FIXTURES = new URL('../fixtures/conformance/', import.meta.url);

/** The OB 3.0 spec's basic example (an unsigned OpenBadgeCredential), which many tests re-issue under a test key. */
export const BASIC_OB3_EXAMPLE = 'examples/ob-v3p0/basicOpenBadgeCredential--sample-openbadgecredential.json';

/** The URL of a fixture, e.g. `examples/ob-v3p0/` or `test-vectors/ob-v3p0-eddsa-rdfc-2022/vector.json`. */
export function conformanceFixture(path: string): URL {
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw new TypeError(`conformance fixture paths stay inside test/fixtures/conformance/, got: ${path}`);
  }
  return new URL(path, CONFORMANCE_FIXTURES);
}

/** A fixture's text, exactly as committed (the test vectors' N-Quads are compared byte for byte). */
export function readConformanceText(path: string): string {
  return readFileSync(conformanceFixture(path), 'utf8');
}

/** A JSON fixture, parsed afresh on every call, so a test may change its copy. */
export function readConformanceJson<T = any>(path: string): T {
  return JSON.parse(readConformanceText(path)) as T;
}

/** The names of the `.json` files directly in a fixture folder such as `examples/ob-v2p0`, sorted. */
export function conformanceJsonFiles(folder: string): string[] {
  return readdirSync(conformanceFixture(`${folder}/`))
    .filter((name) => name.endsWith('.json'))
    .sort();
}
