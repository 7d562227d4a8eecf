import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { outsideReferences } from './helpers/outside-references.js';

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

/** Rooms that call services and never write themselves: no transaction, no outbox, no drizzle, no loader clearing. */
const CALLER_ROOMS = ['graphql', 'rest', 'consumers', 'ob-api', 'workers'];
const WRITE_PRIMITIVE = /from ['"][^'"]*lib\/events\/outbox\.js['"]|from ['"]drizzle-orm[^'"]*['"]|\.transaction\(|loaders\.\w+\.clear(All)?\(/;

/** Files in a subgraph's caller rooms that write by themselves instead of calling a service. */
function writesOutsideServices(root: string): string[] {
  const subgraphs = readdirSync(join(root, 'subgraphs'));
  return subgraphs.flatMap((name) =>
    CALLER_ROOMS.flatMap((room) => {
      const dir = join(root, 'subgraphs', name, room);
      try {
        statSync(dir);
      } catch {
        return [];
      }
      return sourceFiles(dir)
        .filter((file) => !file.endsWith('.test.ts') && WRITE_PRIMITIVE.test(readFileSync(file, 'utf8')))
        .map((file) => relative(root, file));
    }),
  );
}

/** Event payloads built outside their contracts, or read without one: `{ type: EventType.X, … }` literals, zod in consumers, bare `event.payload.x`. */
function eventsBypassingContracts(root: string): string[] {
  const files = ['subgraphs', 'lib', 'gateway', 'scripts'].flatMap((dir) => {
    try {
      return sourceFiles(join(root, dir));
    } catch {
      return [];
    }
  });
  return files
    .filter((file) => !file.endsWith('.test.ts') && !file.includes(`${join('lib', 'events', 'contracts')}`))
    .flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      const problems: string[] = [];
      if (/type:\s*EventType\.\w+\s*,/.test(source)) problems.push('builds an event literal');
      if (file.includes(`${join('', 'consumers', '')}`) && /from ['"]zod['"]/.test(source)) problems.push('parses payloads with its own schema');
      if (/event\.payload\.\w/.test(source)) problems.push('reads a payload field without its contract');
      return problems.map((problem) => `${relative(root, file)}: ${problem}`);
    });
}

/** A throwaway repository with one subgraph whose files are given, to prove a rule can fail. */
function plantedRepository(files: Record<string, string>): { root: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'cairn-architecture-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

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

  test('graphql/, rest/, consumers/, ob-api/ and workers/ write only through services/', () => {
    expect(writesOutsideServices(ROOT)).toEqual([]);
  });

  test('every event is built with its contract and read through it', () => {
    expect(eventsBypassingContracts(ROOT)).toEqual([]);
  });

  test('the rules fail on planted violations', () => {
    const planted = plantedRepository({
      'subgraphs/demo/graphql/demo.resolver.ts': `import { appendEvents } from 'cairn/lib/events/outbox.js';\nexport const write = (db: any) => db.transaction(async () => {});\n`,
      'subgraphs/demo/consumers/demo.ts': `import { z } from 'zod';\nexport const read = (event: any) => event.payload.credentialId;\n`,
      'subgraphs/demo/services/demo.ts': `export const made = { type: EventType.CREDENTIAL_ISSUED, payload: {} };\nexport const fine = (db: any) => db.transaction(async () => {});\n`,
    });
    try {
      expect(writesOutsideServices(planted.root)).toEqual(['subgraphs/demo/graphql/demo.resolver.ts']);
      expect(eventsBypassingContracts(planted.root)).toEqual([
        'subgraphs/demo/consumers/demo.ts: parses payloads with its own schema',
        'subgraphs/demo/consumers/demo.ts: reads a payload field without its contract',
        'subgraphs/demo/services/demo.ts: builds an event literal',
      ]);
    } finally {
      planted.dispose();
    }
  });

  test('no source file is over 400 lines', () => {
    const long = ['lib', 'subgraphs', 'gateway', 'scripts', 'test']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .filter((file) => readFileSync(file, 'utf8').split('\n').length > 400)
      .map((file) => relative(ROOT, file));
    expect(long).toEqual([]);
  });

  test('no file refers to a path outside the repository (a fresh clone has nothing beside it)', () => {
    expect(outsideReferences(ROOT)).toEqual([]);
  });

  test('the outside-path rule names planted references and passes paths that stay inside', () => {
    // Spelled in pieces, so that this file does not break the rule itself.
    const sibling = ['..', 'shared'].join('/');
    const twoUp = ['..', '..'].join('/');
    const planted: Record<string, string> = {
      'lib/a.test.ts': `const FIXTURE = new URL('../../../${sibling}/conformance/x.json', import.meta.url);`,
      'lib/b.ts': `import { up } from '${twoUp}/above.js';\nimport { ok } from '../test/helpers/x.js';`,
      'docs/notes.md': `See [the design](${twoUp}/design.md) and [the map](architecture.md).`,
      '.ci/run': `cp -r ${sibling}/fixtures test/`,
      'lib/ok.ts': `import './sibling.js';\nconst README = new URL('../README.md', import.meta.url);`,
      'node_modules/pkg/index.js': `import x from '${sibling}/y.js';`,
      'run.log': `${sibling}/conformance`,
    };
    const root = mkdtempSync(join(tmpdir(), 'cairn-outside-'));
    try {
      for (const [file, text] of Object.entries(planted)) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      }
      expect(outsideReferences(root)).toEqual([
        `.ci/run:1: names the sibling shared/ folder: cp -r ${sibling}/fixtures test/`,
        `docs/notes.md:1: reaches outside the repository: ${twoUp}/design.md`,
        `lib/a.test.ts:1: names the sibling shared/ folder: ${planted['lib/a.test.ts']}`,
        `lib/a.test.ts:1: reaches outside the repository: ../../../${sibling}/conformance/x.json`,
        `lib/b.ts:1: reaches outside the repository: ${twoUp}/above.js`,
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
