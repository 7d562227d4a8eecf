import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.dispose());

describe('gateway limits answer with coded errors', () => {
  test('a query nested past the depth limit is QUERY_TOO_DEEP', async () => {
    const deep = `{ issuers { edges { node { achievements { edges { node { issuer { achievements { edges { node { issuer { achievements { edges { node { name } } } } } } } } } } } } } } }`;
    const result = await hub.gql(deep);
    expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(result.data ?? null).toBeNull();
  });

  test('depth hidden in fragments is still counted', async () => {
    const query = `
      fragment A on Achievement { issuer { achievements { edges { node { issuer { achievements { edges { node { issuer { name } } } } } } } } } }
      { issuers { edges { node { achievements { edges { node { ...A } } } } } } }`;
    expect((await hub.gql(query)).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  test('a query whose estimated cost exceeds the limit is COST_ESTIMATED_TOO_EXPENSIVE', async () => {
    // 100 issuers × 100 achievements each, through two subgraphs: about 30,000 fields.
    const result = await hub.gql(`{ issuers(first: 100) { edges { node { name achievements(first: 100) { edges { node { name description } } } } } } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', maxCost: 20_000 });
    expect(result.data ?? null).toBeNull();
    // The same shape with modest pages is fine.
    const modest = await hub.gql(`{ issuers(first: 20) { edges { node { name achievements(first: 20) { edges { node { name } } } } } } }`);
    expect(modest.errors).toBeUndefined();
  });

  test('introspection (GraphiQL, code generators) is not priced like data', async () => {
    const result = await hub.gql(getIntrospectionQuery(), {}, null);
    expect(result.errors).toBeUndefined();
    expect(result.data.__schema.queryType.name).toBe('Query');
  });

  test('a body over the size limit is refused with 413 PAYLOAD_TOO_LARGE before it is read', async () => {
    const big = JSON.stringify({ query: '{ me { kind } }', variables: { padding: 'x'.repeat(hub.deps.config.limits.maxRequestBytes) } });
    const response = await fetch(hub.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('malformed queries get the standard parse and validation codes', async () => {
    expect((await hub.gql('{ issuers { ')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await hub.gql('{ noSuchField }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('bad input and unknown cursors are BAD_USER_INPUT', async () => {
    expect((await hub.gql('{ issuers(first: 1000) { totalCount } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await hub.gql('{ issuers(after: "bogus") { totalCount } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await hub.gql(`mutation { createIssuer(input: { name: "", url: "https://x.example" }) { issuer { id } } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });
});

describe('operational endpoints', () => {
  const base = () => hub.gateway.url.replace(/\/graphql$/, '');

  test('/healthz and /readyz answer', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base()}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  test('every response carries a request id, the caller’s own when it sends one', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(hub.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ me { kind } }"}' });
    expect((await post({})).headers.get('x-request-id')).toMatch(/\S{8,}/);
    expect((await post({ 'x-request-id': 'trace-me-123' })).headers.get('x-request-id')).toBe('trace-me-123');
  });

  test('a browser gets GraphiQL', async () => {
    const response = await fetch(hub.gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/graphiql/i);
    // Served from the installed package, not a CDN: GraphiQL works on a hub without internet access.
    expect(html).not.toContain('unpkg.com');
  });
});
