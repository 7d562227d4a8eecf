import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../lib/auth/viewer.js';
import { createInMemoryGateway, FEDERATION_LINK, type InMemoryGateway } from '../test/helpers/in-memory-gateway.js';
import { useViewerAuth } from './auth.js';
import { PAGE_READ_COST, useCostLimit } from './cost.js';

const SECRET = 'a-test-viewer-secret-of-at-least-32-characters';
const KEYS: Record<string, Viewer> = { 'admin-key': { kind: 'ADMIN', apiKeyId: 'k1' } };
const BUDGETS = { maxCost: 2_000, maxAnonymousCost: 500 };

let gateway: InMemoryGateway;
beforeAll(async () => {
  const page = (first: number | null) => ({ edges: Array.from({ length: first ?? 20 }, (_, i) => ({ node: { id: String(i), name: `item ${i}` } })) });
  gateway = await createInMemoryGateway({
    typeDefs: `${FEDERATION_LINK}
      type Query { items(first: Int): ItemConnection! tags: [String!]! }
      type ItemConnection { edges: [ItemEdge!]! }
      type ItemEdge { node: Item! }
      type Item { id: ID! name: String! children(first: Int): ItemConnection! }`,
    resolvers: {
      Query: { items: (_parent, { first }) => page(first), tags: () => ['a'] },
      Item: { children: (_parent, { first }) => page(first) },
    },
    plugins: [useViewerAuth(async (token) => KEYS[token] ?? null, SECRET), useCostLimit(BUDGETS)],
  });
});
afterAll(() => gateway?.dispose());

const admin = { authorization: 'Bearer admin-key' };
const extensionsOf = (answer: { body: any }) => answer.body.errors?.[0]?.extensions;

describe('useCostLimit', () => {
  test('a paged field costs a page read plus its children once per requested item', async () => {
    // items: PAGE_READ_COST + 10 × (edges 1 + node 1 + id 1 + name 1)
    const expected = PAGE_READ_COST + 10 * 4;
    const answer = await gateway.post({ query: '{ items(first: 10) { edges { node { id name } } } }' }, admin);
    expect(answer.body.errors).toBeUndefined();
    // Priced exactly: one more field on each of 10 items crosses a budget set just below it.
    const tight = await createInMemoryGatewayWithBudget(expected - 1);
    expect(extensionsOf(await tight.post({ query: '{ items(first: 10) { edges { node { id name } } } }' }, admin))).toMatchObject({
      code: 'COST_ESTIMATED_TOO_EXPENSIVE',
      cost: expected,
    });
    await tight.dispose();
  });

  test('nested pages multiply, and the same operation is refused before any subgraph is asked', async () => {
    gateway.upstream.length = 0;
    const answer = await gateway.post({ query: '{ items(first: 50) { edges { node { children(first: 50) { edges { node { id } } } } } } }' }, admin);
    expect(extensionsOf(answer)).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', maxCost: 2_000 });
    expect(gateway.upstream).toEqual([]);
  });

  test('aliases add up: each is its own page read (80 × 28 > 2,000)', async () => {
    const query = `{ ${Array.from({ length: 80 }, (_, i) => `a${i}: items(first: 1) { edges { node { id } } }`).join(' ')} }`;
    expect(extensionsOf(await gateway.post({ query }, admin))?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
  });

  test('anonymous callers get the lower budget', async () => {
    const query = '{ items(first: 30) { edges { node { id name } } } }'; // 25 + 30 × 4 = 145
    const wide = `{ items(first: 100) { edges { node { id name } } } more: items(first: 100) { edges { node { id } } } }`; // 425 + 325 = 750
    expect((await gateway.post({ query }, {})).body.errors).toBeUndefined();
    expect((await gateway.post({ query: wide }, admin)).body.errors).toBeUndefined();
    expect(extensionsOf(await gateway.post({ query: wide }, {}))).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', maxCost: 500 });
  });

  test('an operation too big to estimate is refused with a code, not the estimator’s bare node-cap error', async () => {
    const fragments = ['fragment F0 on Item { id name }', ...Array.from({ length: 14 }, (_, i) => `fragment F${i + 1} on Item { ...F${i} ...F${i} }`)];
    const answer = await gateway.post({ query: `{ items(first: 1) { edges { node { ...F14 } } } } ${fragments.join(' ')}` }, admin);
    expect(extensionsOf(answer)?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
  });

  test('introspection is not priced like data', async () => {
    const answer = await gateway.post({ query: '{ __schema { types { name fields { name type { name ofType { name } } } } } }' }, {});
    expect(answer.body.errors).toBeUndefined();
  });
});

function createInMemoryGatewayWithBudget(maxCost: number) {
  return createInMemoryGateway({
    typeDefs: `${FEDERATION_LINK}
      type Query { items(first: Int): ItemConnection! }
      type ItemConnection { edges: [ItemEdge!]! }
      type ItemEdge { node: Item! }
      type Item { id: ID! name: String! }`,
    resolvers: { Query: { items: () => ({ edges: [] }) } },
    plugins: [useViewerAuth(async (token) => KEYS[token] ?? null, SECRET), useCostLimit({ maxCost, maxAnonymousCost: maxCost })],
  });
}
