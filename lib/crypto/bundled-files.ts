import { readFileSync } from 'node:fs';

/**
 * `lib/crypto/` in the package, where the JSON contexts and schemas live, for a module at `moduleUrl`. tsc compiles
 * this module to `dist/lib/crypto/` but copies no JSON, so from `dist/` we reach back to the source folder at the
 * package root (the same trick `lib/db/migrate.ts` uses for `drizzle/`). The Docker image must therefore ship
 * `lib/crypto/contexts` and `lib/crypto/schemas` next to `dist/`.
 */
export function bundledFilesRootFor(moduleUrl: string): URL {
  return moduleUrl.includes('/dist/lib/crypto/') ? new URL('../../../lib/crypto/', moduleUrl) : new URL('./', moduleUrl);
}

const BUNDLED_FILES_ROOT = bundledFilesRootFor(import.meta.url);

/** The URL of a file bundled under `lib/crypto/`, e.g. `contexts/index.json`. */
export function bundledFileUrl(relativePath: string): URL {
  if (relativePath.startsWith('/') || relativePath.split('/').includes('..')) {
    throw new TypeError(`bundled file path must stay inside lib/crypto/, got: ${relativePath}`);
  }
  return new URL(relativePath, BUNDLED_FILES_ROOT);
}

/** Reads and parses a JSON file bundled under `lib/crypto/`; the error names the file if it is missing. */
export function readBundledJson(relativePath: string): unknown {
  const url = bundledFileUrl(relativePath);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (error) {
    throw new Error(`Cairn's bundled file ${url.pathname} could not be read (is lib/crypto/ shipped with dist/?)`, {
      cause: error,
    });
  }
  return JSON.parse(text);
}
