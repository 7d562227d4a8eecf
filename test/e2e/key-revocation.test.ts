import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SUBGRAPH_NAMES } from '../../lib/config/env.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { freePort, spawnService, type ServiceProcess } from '../helpers/process.js';

// The gateway answers API keys from memory (lib/auth/api-key-cache.ts); what a key may do must still change on the
// very next request after the mutation that changed it answers, through whichever gateway replica the request takes.

let hub: TestHub;
/** On PostgreSQL a second gateway process on the same database and subgraphs; on PGlite the one gateway again. */
let replicaB: ServiceProcess | null = null;
let urlB: string;

const post = async (url: string, query: string, variables: Record<string, unknown>, key: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
};
const viaA = (query: string, variables: Record<string, unknown>, key: string) => post(hub.gateway.url, query, variables, key);
const viaB = (query: string, variables: Record<string, unknown>, key: string) => post(urlB, query, variables, key);
const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const ME = `{ me { kind } }`;

beforeAll(async () => {
  hub = await startTestHub();
  urlB = hub.gateway.url;
  if (!hub.deps.testDb.url) return;
  const port = await freePort();
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, hub.subgraphs[name].url]));
  replicaB = await spawnService('gateway/main.ts', port, {
    DATABASE_URL: hub.deps.testDb.url,
    GATEWAY_PORT: String(port),
    CAIRN_VIEWER_SECRET: hub.deps.config.viewerSecret,
    CAIRN_SEED_DEMO: 'false',
    ...subgraphUrls,
  });
  urlB = `${replicaB.baseUrl}/graphql`;
}, 120_000);
afterAll(async () => {
  await replicaB?.stop();
  await hub?.dispose();
});

async function newKey(name: string): Promise<{ id: string; secret: string }> {
  const created = await hub.gql(`mutation ($name: String!) { createApiKey(input: { name: $name, principal: ADMIN }) { secret apiKey { id } } }`, { name });
  expect(created.errors).toBeUndefined();
  return { id: created.data.createApiKey.apiKey.id, secret: created.data.createApiKey.secret };
}

describe('a key changed through one gateway replica', () => {
  test('revoked through replica A, it is refused on the very next request through replica B (and A)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const key = await newKey(`integration ${round}`);
      // Both replicas have answered for it, so both remember it.
      for (let i = 0; i < 3; i += 1) {
        expect((await viaA(ME, {}, key.secret)).data?.me).toEqual({ kind: 'ADMIN' });
        expect((await viaB(ME, {}, key.secret)).data?.me).toEqual({ kind: 'ADMIN' });
      }
      const revoked = await viaA(`mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } } }`, { id: key.id }, key.secret);
      expect(revoked.errors).toBeUndefined();
      expect(codeOf(await viaB(ME, {}, key.secret))).toBe('UNAUTHENTICATED');
      expect(codeOf(await viaA(ME, {}, key.secret))).toBe('UNAUTHENTICATED');
    }
  });

  test('a member removed through replica A: their key is refused on the next request through B; a demoted one has the new role there', async () => {
    const issuer = await hub.gql(`mutation { createIssuer(input: { name: "Replicated Academy", url: "https://replicated.example" }) { issuer { id } } }`);
    const issuerId = issuer.data.createIssuer.issuer.id;
    const members = await Promise.all(
      ['ana', 'ben'].map(async (name) => {
        const added = await hub.gql(`mutation ($issuerId: ID!, $email: String!) { addMember(input: { issuerId: $issuerId, name: "M", email: $email, role: OWNER }) { member { id } } }`, { issuerId, email: `${name}@replicated.example` });
        const memberId = added.data.addMember.member.id;
        const key = await hub.gql(`mutation ($issuerId: ID!, $memberId: ID!) { createApiKey(input: { name: "member key", principal: ISSUER, issuerId: $issuerId, memberId: $memberId }) { secret } }`, { issuerId, memberId });
        expect(key.errors).toBeUndefined();
        return { memberId, secret: key.data.createApiKey.secret as string };
      }),
    );
    const [ana, ben] = members as [(typeof members)[number], (typeof members)[number]];
    const meAs = async (via: typeof viaA, secret: string) => {
      const result = await via(ME, {}, secret);
      return result.data?.me ? 'ok' : codeOf(result);
    };
    const addMemberAs = async (via: typeof viaA, secret: string, email: string) =>
      codeOf(await via(`mutation ($issuerId: ID!, $email: String!) { addMember(input: { issuerId: $issuerId, name: "N", email: $email, role: VIEWER }) { member { id } } }`, { issuerId, email }, secret)) ?? 'ok';
    for (const via of [viaA, viaB]) for (const { secret } of members) expect(await meAs(via, secret)).toBe('ok');
    expect(await addMemberAs(viaB, ben.secret, 'first@replicated.example')).toBe('ok');
    expect((await viaA(`mutation ($id: ID!) { updateMember(input: { id: $id, role: VIEWER }) { member { id } } }`, { id: ben.memberId }, ana.secret)).errors).toBeUndefined();
    expect(await addMemberAs(viaB, ben.secret, 'second@replicated.example')).toBe('UNAUTHORIZED');
    expect((await viaA(`mutation ($id: ID!) { removeMember(input: { id: $id }) { member { id } } }`, { id: ben.memberId }, ana.secret)).errors).toBeUndefined();
    expect(await meAs(viaB, ben.secret)).toBe('UNAUTHENTICATED');
    expect(await meAs(viaA, ben.secret)).toBe('UNAUTHENTICATED');
    expect(await meAs(viaB, ana.secret)).toBe('ok');
  });
});
