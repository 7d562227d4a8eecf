import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { readEvents } from '../../lib/events/outbox.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { issuers } from './index.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: '0190a0a0-0000-7000-8000-000000000001' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await issuers.create(deps);
});
afterAll(() => deps.dispose());

const CREATE = `mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id name url } } }`;

describe('issuers subgraph', () => {
  test('createIssuer stores the profile and writes IssuerCreated in the same transaction', async () => {
    const result = await executeAs(subgraph, admin, CREATE, { input: { name: 'Acme Academy', url: 'https://acme.example' } });
    expect(result.errors).toBeUndefined();
    const issuer = result.data!.createIssuer.issuer;
    expect(issuer).toMatchObject({ name: 'Acme Academy', url: 'https://acme.example/' });
    const events = await readEvents(deps.database.db, { after: 0, limit: 10, issuerId: issuer.id });
    expect(events.map((event) => event.type)).toEqual(['IssuerCreated']);
  });

  test('only operators create issuers', async () => {
    const anonymous = await executeAs(subgraph, { kind: 'ANONYMOUS' }, CREATE, { input: { name: 'X', url: 'https://x.example' } });
    expect(anonymous.errors?.[0]?.message).toMatch(/Authentication is required/);
    const employer = await executeAs(subgraph, { kind: 'EMPLOYER', apiKeyId: admin.apiKeyId, employerId: admin.apiKeyId }, CREATE, {
      input: { name: 'X', url: 'https://x.example' },
    });
    expect(employer.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  test('entity references resolve through _entities, unknown ids as null', async () => {
    const created = await executeAs(subgraph, admin, CREATE, { input: { name: 'Beta', url: 'https://beta.example' } });
    const id = created.data!.createIssuer.issuer.id;
    const result = await executeAs(
      subgraph,
      { kind: 'ANONYMOUS' },
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Issuer { id name } } }`,
      { representations: [{ __typename: 'Issuer', id }, { __typename: 'Issuer', id: '0190a0a0-0000-7000-8000-00000000dead' }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([{ id, name: 'Beta' }, null]);
  });

  test('issuers pages with Relay cursors', async () => {
    const first = await executeAs(subgraph, { kind: 'ANONYMOUS' }, `{ issuers(first: 1) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.errors).toBeUndefined();
    const page = first.data!.issuers;
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((edge: any) => edge.node.name)).toEqual(['Acme Academy']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const second = await executeAs(subgraph, { kind: 'ANONYMOUS' }, `query ($after: String) { issuers(first: 5, after: $after) { edges { node { name } } pageInfo { hasNextPage } } }`, {
      after: page.pageInfo.endCursor,
    });
    expect(second.data!.issuers.edges.map((edge: any) => edge.node.name)).toEqual(['Beta']);
    expect(second.data!.issuers.pageInfo.hasNextPage).toBe(false);
  });
});
