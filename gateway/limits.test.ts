import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createInMemoryGateway, FEDERATION_LINK, type InMemoryGateway } from '../test/helpers/in-memory-gateway.js';
import { useDepthLimit, useExecutionTimeout, useStructuralLimits, useVariablesDepthLimit } from './limits.js';

const LIMITS = { maxTokens: 300, maxNesting: 20, maxAliases: 5, maxDirectives: 5, maxFields: 15 };

let gateway: InMemoryGateway;
beforeAll(async () => {
  gateway = await createInMemoryGateway({
    typeDefs: `${FEDERATION_LINK}
      type Query { node: Node! echo(value: JSON): String slow(ms: Int!): String }
      type Node { id: ID! child: Node! }
      scalar JSON`,
    resolvers: {
      Query: {
        node: () => ({ id: 'n' }),
        echo: (_parent, { value }) => JSON.stringify(value),
        slow: async (_parent, { ms }) => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          return 'done';
        },
      },
      Node: { child: () => ({ id: 'c' }) },
    },
    plugins: [useStructuralLimits(LIMITS), useVariablesDepthLimit(20), useDepthLimit(6), useExecutionTimeout(1_500)],
  });
});
afterAll(() => gateway?.dispose());

const codeOf = (answer: { body: any }) => answer.body.errors?.[0]?.extensions;

describe('structural limits, before parsing and before executing', () => {
  test('too many tokens is QUERY_TOO_COMPLEX with HTTP 400, and nothing reaches the subgraph', async () => {
    gateway.upstream.length = 0;
    const answer = await gateway.post({ query: `{ node { ${'id '.repeat(400)} } }` });
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 300 });
    expect(gateway.upstream).toEqual([]);
  });

  test.each([
    ['an object literal', `{ echo(value: ${'{a: '.repeat(3_000)}1${'}'.repeat(3_000)}) }`],
    ['a list literal', `{ echo(value: ${'['.repeat(3_000)}1${']'.repeat(3_000)}) }`],
    ['a selection', `{ node ${'{ child '.repeat(3_000)}{ id }${' }'.repeat(3_000)} }`],
  ])('%s nested 3,000 deep is refused on its nesting (a coded 400, not a stack overflow)', async (_shape, query) => {
    const answer = await gateway.post({ query }, {});
    expect(answer.status).toBe(400);
    expect(codeOf(answer)?.code).toBe('QUERY_TOO_COMPLEX');
  });

  test('aliases, directives and fields are counted with fragments expanded', async () => {
    const aliases = await gateway.post({ query: `{ ...Six } fragment Six on Query { ${Array.from({ length: 6 }, (_, i) => `a${i}: node { id }`).join(' ')} }` });
    expect(codeOf(aliases)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 5 });
    const directives = await gateway.post({ query: `{ node { ...D ...D } } fragment D on Node { id @skip(if: false) @include(if: true) child @skip(if: false) { id } }` });
    expect(codeOf(directives)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'directives' });
    // Two fragments each spread twice: 19 fields from the 8 written (the limit here is 15).
    const bomb = await gateway.post({
      query: `{ node { ...A } } fragment A on Node { child { ...B } c2: child { ...B } } fragment B on Node { child { ...C } c3: child { ...C } } fragment C on Node { id child { id } }`,
    });
    expect(codeOf(bomb)).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });

  test('a fragment cycle is left to validation, not counted forever', async () => {
    const answer = await gateway.post({ query: `{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }` });
    expect(codeOf(answer)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('an ordinary operation passes every limit', async () => {
    const answer = await gateway.post({ query: `query ($v: JSON) { node { id child { id } } a: echo(value: $v) }`, variables: { v: { nested: [1, 2] } } });
    expect(answer.body).toEqual({ data: { node: { id: 'n', child: { id: 'c' } }, a: '{"nested":[1,2]}' } });
  });
});

describe('depth limits', () => {
  test('selections deeper than the depth limit are QUERY_TOO_DEEP', async () => {
    expect(codeOf(await gateway.post({ query: `{ node { child { child { child { child { child { child { id } } } } } } } }` }))?.code).toBe('QUERY_TOO_DEEP');
  });

  test('variables nested deeper than the limit are BAD_USER_INPUT', async () => {
    let deep: unknown = 1;
    for (let level = 0; level < 50; level += 1) deep = { a: deep };
    expect(codeOf(await gateway.post({ query: `query ($v: JSON) { echo(value: $v) }`, variables: { v: deep } }))?.code).toBe('BAD_USER_INPUT');
  });
});

describe('execution timeout', () => {
  test('an operation running past the timeout is answered QUERY_TIMEOUT in time', async () => {
    const started = performance.now();
    const answer = await gateway.post({ query: '{ slow(ms: 8000) }' });
    expect(codeOf(answer)).toMatchObject({ code: 'QUERY_TIMEOUT', timeoutMs: 1_500 });
    expect(performance.now() - started).toBeLessThan(6_000);
  });

  test('a quick one is untouched', async () => {
    expect((await gateway.post({ query: '{ slow(ms: 10) }' })).body).toEqual({ data: { slow: 'done' } });
  });
});
