import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledFilesRootFor, bundledFileUrl } from './bundled-files.js';

// The hub ships its own copies of the JSON-LD contexts and the OB JSON schema (the running service cannot read
// ../shared). These tests keep the copies byte-identical to the conformance originals, so they can never drift.

const SHARED = new URL('../../../shared/conformance/', import.meta.url);
const sharedIndex = JSON.parse(readFileSync(new URL('contexts/index.json', SHARED), 'utf8')) as Record<string, string>;

/** Every bundled copy and the shared original it must equal, as paths relative to lib/crypto/ and shared/conformance/. */
const COPIES: Array<[bundled: string, shared: string]> = [
  ['contexts/index.json', 'contexts/index.json'],
  ...[...new Set(Object.values(sharedIndex))].map((file): [string, string] => [`contexts/${file}`, `contexts/${file}`]),
  [
    'schemas/ob_v3p0_achievementcredential_schema.json',
    'schemas/ob-v3p0/ob_v3p0_achievementcredential_schema.json',
  ],
];

describe('bundled contexts and schemas', () => {
  it.each(COPIES)('%s is byte-identical to shared/conformance/%s', (bundled, shared) => {
    const copy = readFileSync(bundledFileUrl(bundled));
    const original = readFileSync(new URL(shared, SHARED));
    expect(copy.equals(original)).toBe(true);
  });

  it('bundles no context file that the index does not list', () => {
    const contextsDir = fileURLToPath(bundledFileUrl('contexts/'));
    const bundledFiles = readdirSync(contextsDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `${entry.parentPath.slice(contextsDir.length)}/${entry.name}`.replace(/^\/+/, ''))
      .sort();
    expect(bundledFiles).toEqual(['index.json', ...new Set(Object.values(sharedIndex))].sort());
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
