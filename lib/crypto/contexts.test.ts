import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledFilesRootFor, bundledFileUrl, readBundledJson } from './bundled-files.js';

// The hub ships its own copies of the JSON-LD contexts and the OB JSON schema: it never fetches them. SOURCES.md
// records where each copy comes from and the sha256 of the published original; these tests hold every bundled file to
// that digest, so a copy can never drift from the official one unnoticed.

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The `path → sha256` rows of SOURCES.md's tables: a backticked path in the first cell, a digest in the last. */
function recordedDigests(sources: string): Map<string, string> {
  const rows = sources.matchAll(/^\| `([^`]+)` \|.*\| ([0-9a-f]{64}) \|$/gm);
  return new Map([...rows].map(([, path, digest]) => [path!, digest!]));
}

/** Every recorded file whose bytes do not have the recorded digest (or that is missing), named with both digests. */
function driftedFiles(recorded: Map<string, string>, read: (path: string) => Buffer | undefined): string[] {
  return [...recorded].flatMap(([path, digest]) => {
    const bytes = read(path);
    const actual = bytes ? sha256(bytes) : 'missing';
    return actual === digest ? [] : [`${path}: recorded ${digest}, found ${actual}`];
  });
}

/** Every file under the given folders of lib/crypto/, as a path relative to lib/crypto/. */
function bundledFilesUnder(...folders: string[]): string[] {
  return folders.flatMap((folder) => {
    const root = fileURLToPath(bundledFileUrl(`${folder}/`));
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `${folder}/${`${entry.parentPath.slice(root.length)}/${entry.name}`.replace(/^\/+/, '')}`);
  });
}

const recorded = recordedDigests(readFileSync(bundledFileUrl('SOURCES.md'), 'utf8'));
const readBundled = (path: string) => readFileSync(bundledFileUrl(path));
const contextIndex = readBundledJson('contexts/index.json') as Record<string, string>;

describe('bundled contexts and schemas', () => {
  it('has a SOURCES.md row (origin, licence, sha256) for every bundled file, and a file for every row', () => {
    expect(bundledFilesUnder('contexts', 'schemas').sort()).toEqual([...recorded.keys()].sort());
    expect(recorded.size).toBeGreaterThan(20);
  });

  it('has, in every bundled file, exactly the bytes whose sha256 SOURCES.md records', () => {
    expect(driftedFiles(recorded, readBundled)).toEqual([]);
  });

  it('would name a copy that differs from its recorded original by one byte, and one that is missing', () => {
    const tampered = (path: string) => {
      if (path === 'contexts/index.json') return undefined;
      const bytes = Buffer.from(readBundled(path));
      if (path === 'schemas/ob_v3p0_achievementcredential_schema.json') bytes[bytes.length - 2]! ^= 1;
      return bytes;
    };
    expect(driftedFiles(recorded, tampered)).toEqual([
      expect.stringMatching(/^contexts\/index\.json: recorded [0-9a-f]{64}, found missing$/),
      expect.stringMatching(/^schemas\/ob_v3p0_achievementcredential_schema\.json: recorded 5753fb3e[0-9a-f]{56}, found [0-9a-f]{64}$/),
    ]);
  });

  it('bundles no context file that the index does not list', () => {
    expect(bundledFilesUnder('contexts').sort()).toEqual(['index.json', ...new Set(Object.values(contextIndex))].map((file) => `contexts/${file}`).sort());
  });

  it('equals the contexts that lockfile-pinned npm packages publish, where one does', () => {
    const require = createRequire(import.meta.url);
    const published = [
      ...(require('@digitalbazaar/credentials-context') as { contexts: Map<string, unknown> }).contexts,
      ...(require('ed25519-signature-2020-context') as { contexts: Map<string, unknown> }).contexts,
    ];
    expect(published.map(([url]) => url).sort()).toEqual([
      'https://w3id.org/security/suites/ed25519-2020/v1',
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/ns/credentials/undefined-terms/v2',
      'https://www.w3.org/ns/credentials/v2',
    ]);
    for (const [url, context] of published) {
      expect(readBundledJson(`contexts/${contextIndex[url]}`), url).toEqual(context);
    }
  });
});

describe('bundledFilesRootFor', () => {
  it('uses the module folder when running from source', () => {
    expect(bundledFilesRootFor('file:///app/lib/crypto/document-loader.ts').href).toBe('file:///app/lib/crypto/');
  });

  it('reaches back from dist/ to the source folder, which tsc does not copy JSON into', () => {
    expect(bundledFilesRootFor('file:///app/dist/lib/crypto/document-loader.js').href).toBe('file:///app/lib/crypto/');
  });

  it('refuses paths that escape lib/crypto/', () => {
    expect(() => bundledFileUrl('../db/migrate.ts')).toThrow(TypeError);
    expect(() => bundledFileUrl('/etc/passwd')).toThrow(TypeError);
  });
});
