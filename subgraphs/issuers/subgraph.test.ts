import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { apiKeys } from '../../lib/auth/tables.js';
import { signingKeys } from './db/tables.js';
import { issuers } from './index.js';
import { readLog } from '../../test/helpers/events.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: '0190a0a0-0000-7000-8000-000000000001' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await issuers.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const CREATE = `mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id name url } } }`;

describe('issuers subgraph', () => {
  test('createIssuer stores the profile and writes IssuerCreated and IssuerKeysChanged in the same transaction', async () => {
    const result = await executeAs(subgraph, admin, CREATE, { input: { name: 'Acme Academy', url: 'https://acme.example' } });
    expect(result.errors).toBeUndefined();
    const issuer = result.data!.createIssuer.issuer;
    expect(issuer).toMatchObject({ name: 'Acme Academy', url: 'https://acme.example/' });
    const events = await readLog(deps.database.db, { after: 0, limit: 10, issuerId: issuer.id });
    expect(events.map((event) => event.type)).toEqual(['IssuerCreated', 'IssuerKeysChanged']);
    const did = `did:web:localhost%3A4000:issuers:${issuer.id}`;
    expect(events[1]!.payload).toMatchObject({ issuerId: issuer.id, name: 'Acme Academy', dids: [{ did, document: { id: did, assertionMethod: [expect.stringMatching(/^did:web:.*#z6Mk/)] } }] });
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

describe('issuer keys and DIDs', () => {
  const ISSUER_KEYS = `query ($id: ID!) { issuer(id: $id) { did didMethod signingKeys { publicKeyMultibase verificationMethod status retiredAt } } }`;

  test('a new issuer gets a did:web and one active Ed25519 key, stored encrypted', async () => {
    const created = await executeAs(subgraph, admin, CREATE, { input: { name: 'Keyed', url: 'https://keyed.example' } });
    const id = created.data!.createIssuer.issuer.id;
    const result = await executeAs(subgraph, { kind: 'ANONYMOUS' }, ISSUER_KEYS, { id });
    expect(result.errors).toBeUndefined();
    const issuer = result.data!.issuer;
    expect(issuer.did).toBe(`did:web:localhost%3A4000:issuers:${id}`);
    expect(issuer.signingKeys).toHaveLength(1);
    expect(issuer.signingKeys[0]).toMatchObject({ status: 'ACTIVE', verificationMethod: `${issuer.did}#${issuer.signingKeys[0].publicKeyMultibase}` });
    expect(issuer.signingKeys[0].publicKeyMultibase).toMatch(/^z6Mk/);
    const [stored] = await deps.database.db.select().from(signingKeys).where(eq(signingKeys.issuerId, id));
    expect(stored!.encryptedPrivateKey).not.toMatch(/BEGIN|MC4CAQAwBQYDK2Vw/);
  });

  test('rotation retires the old key but keeps it published; only owners rotate', async () => {
    const created = await executeAs(subgraph, admin, CREATE, { input: { name: 'Rotating', url: 'https://rotating.example' } });
    const id = created.data!.createIssuer.issuer.id;
    const memberRole = (role: 'OWNER' | 'ISSUER'): Viewer => ({ kind: 'ISSUER', apiKeyId: admin.apiKeyId, issuerId: id, role });
    const ROTATE = `mutation ($id: ID!) { rotateSigningKey(input: { issuerId: $id }) { signingKey { status publicKeyMultibase } } }`;
    expect((await executeAs(subgraph, memberRole('ISSUER'), ROTATE, { id })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const rotated = await executeAs(subgraph, memberRole('OWNER'), ROTATE, { id });
    expect(rotated.errors).toBeUndefined();
    const keys = (await executeAs(subgraph, admin, ISSUER_KEYS, { id })).data!.issuer.signingKeys;
    expect(keys.map((key: { status: string }) => key.status)).toEqual(['RETIRED', 'ACTIVE']);
    expect(keys[1].publicKeyMultibase).toBe(rotated.data!.rotateSigningKey.signingKey.publicKeyMultibase);
    expect(keys[0].retiredAt).not.toBeNull();
    // The verifier learns of the new key at once, and still knows the retired one.
    const published = (await readLog(deps.database.db, { after: 0, limit: 10, issuerId: id })).filter((event) => event.type === 'IssuerKeysChanged');
    expect(published).toHaveLength(2);
    const methods = (published[1]!.payload as { dids: Array<{ document: { assertionMethod: string[] } }> }).dids[0]!.document.assertionMethod;
    expect(methods.map((method) => method.split('#')[1])).toEqual(keys.map((key: { publicKeyMultibase: string }) => key.publicKeyMultibase));
  });

  test('a did:key issuer is named by its active key, and every DID it signed with is published', async () => {
    const created = await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Keyless", url: "https://k.example", didMethod: KEY }) { issuer { id did didMethod } } }`);
    const issuer = created.data!.createIssuer.issuer;
    expect(issuer.didMethod).toBe('KEY');
    expect(issuer.did).toMatch(/^did:key:z6Mk/);
    const owner: Viewer = { kind: 'ISSUER', apiKeyId: admin.apiKeyId, issuerId: issuer.id, role: 'OWNER' };
    await executeAs(subgraph, owner, `mutation ($id: ID!) { rotateSigningKey(input: { issuerId: $id }) { signingKey { id } } }`, { id: issuer.id });
    const published = (await readLog(deps.database.db, { after: 0, limit: 10, issuerId: issuer.id })).filter((event) => event.type === 'IssuerKeysChanged');
    const dids = (published.at(-1)!.payload as { dids: Array<{ did: string; document: unknown }> }).dids;
    expect(dids).toHaveLength(2);
    expect(dids).toContainEqual({ did: issuer.did, document: null });
  });
});

describe('issuer members', () => {
  test('owners add members; a member’s key follows the member’s role and dies with the membership', async () => {
    const created = await executeAs(subgraph, admin, CREATE, { input: { name: 'Membered', url: 'https://m.example' } });
    const issuerId = created.data!.createIssuer.issuer.id;
    const owner: Viewer = { kind: 'ISSUER', apiKeyId: admin.apiKeyId, issuerId, role: 'OWNER' };
    const ADD = `mutation ($input: AddMemberInput!) { addMember(input: $input) { member { id role email } } }`;
    const ada = (await executeAs(subgraph, owner, ADD, { input: { issuerId, name: 'Ada', email: 'Ada@Example.com', role: 'OWNER' } })).data!.addMember.member;
    const bob = (await executeAs(subgraph, owner, ADD, { input: { issuerId, name: 'Bob', email: 'bob@example.com', role: 'ISSUER' } })).data!.addMember.member;
    expect(ada.email).toBe('ada@example.com');
    const duplicate = await executeAs(subgraph, owner, ADD, { input: { issuerId, name: 'Ada again', email: 'ada@example.com', role: 'VIEWER' } });
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const key = await executeAs(subgraph, owner, `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id role memberId } } }`, {
      input: { name: 'Bob laptop', principal: 'ISSUER', memberId: bob.id, role: 'OWNER' },
    });
    expect(key.data!.createApiKey.apiKey).toMatchObject({ role: 'ISSUER', memberId: bob.id });
    const keyId = key.data!.createApiKey.apiKey.id;

    await executeAs(subgraph, owner, `mutation ($id: ID!) { updateMember(input: { id: $id, role: VIEWER }) { member { role } } }`, { id: bob.id });
    const [afterDemotion] = await deps.database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(afterDemotion!.role).toBe('VIEWER');
    await executeAs(subgraph, owner, `mutation ($id: ID!) { removeMember(input: { id: $id }) { member { id } } }`, { id: bob.id });
    const [afterRemoval] = await deps.database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(afterRemoval!.revokedAt).not.toBeNull();

    const lastOwner = await executeAs(subgraph, owner, `mutation ($id: ID!) { removeMember(input: { id: $id }) { member { id } } }`, { id: ada.id });
    expect(lastOwner.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'role' });
    const listed = await executeAs(subgraph, owner, `query ($id: ID!) { issuer(id: $id) { members { name role } } }`, { id: issuerId });
    expect(listed.data!.issuer.members).toEqual([{ name: 'Ada', role: 'OWNER' }]);
    const outsider: Viewer = { kind: 'ISSUER', apiKeyId: admin.apiKeyId, issuerId: admin.apiKeyId, role: 'OWNER' };
    expect((await executeAs(subgraph, outsider, `query ($id: ID!) { issuer(id: $id) { members { name } } }`, { id: issuerId })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect((await executeAs(subgraph, outsider, ADD, { input: { issuerId, name: 'Eve', email: 'eve@example.com', role: 'OWNER' } })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });
});
