import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from './errors.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Achievement warnings carry `code`s of their own: data in a mutation's payload, documented in the schema, not errors. */
const WARNING_CODES = new Set(['LEARNING_HOURS_OUTSIDE_RANGE', 'SHARED_SKILL_KEPT']);

/** The shapes in which source code hands a client an error code: an extensions `code:`, a problem document or refusal. */
const CODE_LITERALS = [/\bcode: '([A-Z][A-Z_]+)'/g, /\b(?:sendProblem|refuse)\([^,]+, \d{3}, '([A-Z][A-Z_]+)'/g, /\bnew AppError\('([A-Z][A-Z_]+)'/g];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the closed list of error codes', () => {
  test('every code literal in the gateway, lib and the subgraphs is on the list', () => {
    const found = ['gateway', 'lib', 'subgraphs'].flatMap((dir) =>
      sources(join(ROOT, dir)).flatMap((file) =>
        CODE_LITERALS.flatMap((pattern) => [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => ({ file: relative(ROOT, file), code: match[1]! }))),
      ),
    );
    expect(found.length).toBeGreaterThan(20);
    const foreign = found.filter(({ code }) => !(ERROR_CODES as readonly string[]).includes(code) && !WARNING_CODES.has(code));
    expect(foreign).toEqual([]);
  });

  test('the README documents exactly the list', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const paragraph = readme.slice(readme.indexOf('Errors carry a stable `extensions.code`'));
    const documented = [...paragraph.slice(0, paragraph.indexOf('\n\n')).matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1]);
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });

  test('the scan would catch a foreign code', () => {
    const planted = `throw new GraphQLError('x', { extensions: { code: 'SOMETHING_ELSE' } });`;
    expect([...planted.matchAll(CODE_LITERALS[0]!)].map((match) => match[1])).toEqual(['SOMETHING_ELSE']);
  });
});
