import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of every file under `dir`, resolved to a path from the repository root. */
function importsUnder(dir: string): { file: string; target: string }[] {
  return sourceFiles(join(ROOT, dir)).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((match) => match[1] ?? match[2]!)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ file: relative(ROOT, file), target: relative(ROOT, resolve(dirname(file), specifier)) })),
  );
}

const SUBGRAPHS = readdirSync(join(ROOT, 'subgraphs'));

describe('architecture', () => {
  test('the repository has the four subgraphs', () => {
    expect(SUBGRAPHS.sort()).toEqual(['achievements', 'issuers', 'recipients', 'verification']);
  });

  test.each(SUBGRAPHS)('subgraph %s imports no other subgraph', (name) => {
    const crossings = importsUnder(`subgraphs/${name}`).filter(
      ({ target }) => target.startsWith('subgraphs/') && !target.startsWith(`subgraphs/${name}/`),
    );
    expect(crossings).toEqual([]);
  });

  test('lib/ imports no subgraph, gateway or script', () => {
    const crossings = importsUnder('lib').filter(({ target }) => /^(subgraphs|gateway|scripts)\//.test(target));
    expect(crossings).toEqual([]);
  });

  test('domain/ code is pure: no GraphQL, no database, no loaders', () => {
    const impure = SUBGRAPHS.flatMap((name) =>
      sourceFiles(join(ROOT, 'subgraphs', name, 'domain'))
        .filter((file) => !file.endsWith('.test.ts'))
        .filter((file) => /from ['"](type-graphql|graphql|drizzle-orm[^'"]*|dataloader)['"]|\/db\/|loaders\.js/.test(readFileSync(file, 'utf8')))
        .map((file) => relative(ROOT, file)),
    );
    expect(impure).toEqual([]);
  });

  test('SQL lives only in db/ rooms and lib/', () => {
    const offenders = SUBGRAPHS.flatMap((name) =>
      sourceFiles(join(ROOT, 'subgraphs', name))
        .filter((file) => !file.includes('/db/') && !file.endsWith('.test.ts'))
        .filter((file) => /from ['"]drizzle-orm(\/pg-core)?['"]/.test(readFileSync(file, 'utf8')))
        .map((file) => relative(ROOT, file)),
    );
    expect(offenders).toEqual([]);
  });

  test('no source file is over 400 lines', () => {
    const long = ['lib', 'subgraphs', 'gateway', 'scripts', 'test']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .filter((file) => readFileSync(file, 'utf8').split('\n').length > 400)
      .map((file) => relative(ROOT, file));
    expect(long).toEqual([]);
  });
});
