import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiKeys } from '../../lib/auth/tables.js';
import { ANONYMOUS, signViewer, VIEWER_HEADER } from '../../lib/auth/viewer.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { freePort, spawnService, type ServiceProcess } from '../helpers/process.js';

let hub: TestHub;
let issuerA: string;
let issuerB: string;
let ownerOfA: string;

const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  hub = await startTestHub();
  const create = async (name: string) =>
    (await hub.gql(`mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }`, { input: { name, url: 'https://x.example' } }))
      .data.createIssuer.issuer.id as string;
  issuerA = await create('Issuer A');
  issuerB = await create('Issuer B');
  const key = await hub.gql(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id role } } }`, {
    input: { name: 'A owner', principal: 'ISSUER', issuerId: issuerA, role: 'OWNER' },
  });
  ownerOfA = key.data.createApiKey.secret;
});
afterAll(() => hub?.dispose());

describe('authentication at the gateway', () => {
  test('public reads need no key; writes without one are UNAUTHENTICATED', async () => {
    expect((await hub.gql(`{ me { kind } }`, {}, null)).data).toEqual({ me: { kind: 'ANONYMOUS' } });
    const write = await hub.gql(`mutation { createIssuer(input: { name: "X", url: "https://x.example" }) { issuer { id } } }`, {}, null);
    expect(codeOf(write)).toBe('UNAUTHENTICATED');
  });

  test('an unknown or malformed key is refused outright', async () => {
    const unknown = await hub.gql(`{ me { kind } }`, {}, `cairn_${'a'.repeat(16)}_${'b'.repeat(43)}`);
    expect(unknown.status).toBe(401);
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(codeOf(await hub.gql(`{ me { kind } }`, {}, 'not-a-key'))).toBe('UNAUTHENTICATED');
  });

  test('the key is shown once, stored hashed, reports last use, and stops working when revoked', async () => {
    const created = await hub.gql(`mutation { createApiKey(input: { name: "temp", principal: EMPLOYER }) { secret apiKey { id employerId } } }`);
    const { secret, apiKey } = created.data.createApiKey;
    expect((await hub.gql(`{ me { kind employerId } }`, {}, secret)).data.me).toEqual({ kind: 'EMPLOYER', employerId: apiKey.employerId });
    const stored = JSON.stringify(await hub.deps.database.db.select().from(apiKeys));
    expect(stored).toContain(apiKey.id);
    expect(stored).not.toContain(secret.slice(-43));
    const revoked = await hub.gql(`mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt lastUsedAt } } }`, { id: apiKey.id });
    expect(revoked.data.revokeApiKey.apiKey.revokedAt).not.toBeNull();
    expect(revoked.data.revokeApiKey.apiKey.lastUsedAt).not.toBeNull();
    expect(codeOf(await hub.gql(`{ me { kind } }`, {}, secret))).toBe('UNAUTHENTICATED');
  });
});

describe('issuer isolation', () => {
  test('an issuer member acts for its own issuer', async () => {
    const result = await hub.gql(
      `mutation ($issuerId: ID!) { createAchievement(input: { issuerId: $issuerId, name: "Own", description: "Own skill", criteria: { narrative: "Do it" } }) { achievement { id } } }`,
      { issuerId: issuerA },
      ownerOfA,
    );
    expect(result.errors).toBeUndefined();
  });

  test('an issuer member cannot write another issuer’s data', async () => {
    const result = await hub.gql(
      `mutation ($issuerId: ID!) { createAchievement(input: { issuerId: $issuerId, name: "Theirs", description: "Not mine", criteria: { narrative: "x" } }) { achievement { id } } }`,
      { issuerId: issuerB },
      ownerOfA,
    );
    expect(codeOf(result)).toBe('UNAUTHORIZED');
    const keyForB = await hub.gql(`mutation ($issuerId: ID!) { createApiKey(input: { name: "sneaky", principal: ISSUER, issuerId: $issuerId }) { secret } }`, { issuerId: issuerB }, ownerOfA);
    expect(codeOf(keyForB)).toBe('UNAUTHORIZED');
  });

  test('an issuer member cannot read another issuer’s private data', async () => {
    const own = await hub.gql(`query ($id: ID!) { issuer(id: $id) { apiKeys { totalCount } metrics { achievementsCreated } } }`, { id: issuerA }, ownerOfA);
    expect(own.errors).toBeUndefined();
    const theirs = await hub.gql(`query ($id: ID!) { issuer(id: $id) { name apiKeys { totalCount } } }`, { id: issuerB }, ownerOfA);
    expect(codeOf(theirs)).toBe('UNAUTHORIZED');
    const theirMetrics = await hub.gql(`query ($id: ID!) { issuer(id: $id) { name metrics { credentialsIssued } } }`, { id: issuerB }, ownerOfA);
    expect(codeOf(theirMetrics)).toBe('UNAUTHORIZED');
  });
});

describe('a subgraph running as its own process', () => {
  let service: ServiceProcess;
  let dataDir: string | null = null;

  beforeAll(async () => {
    const port = await freePort();
    const env: Record<string, string> = { ISSUERS_PORT: String(port) };
    if (hub.deps.testDb.url) env.DATABASE_URL = hub.deps.testDb.url;
    else env.CAIRN_DATA_DIR = dataDir = mkdtempSync(join(tmpdir(), 'cairn-issuers-'));
    service = await spawnService('subgraphs/issuers/main.ts', port, env);
  });
  afterAll(async () => {
    await service?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (headers: Record<string, string>) =>
    fetch(`${service.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ me { kind } }' }),
    });

  test('rejects a request with no signed viewer', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('rejects a forged viewer', async () => {
    const forged = signViewer({ kind: 'ADMIN', apiKeyId: '0190a0a0-0000-7000-8000-000000000001' }, 'an-attacker-guessed-this-secret-0000000000');
    const response = await post({ [VIEWER_HEADER]: forged });
    expect(response.status).toBe(401);
  });

  test('accepts a viewer signed with the shared secret', async () => {
    const response = await post({ [VIEWER_HEADER]: signViewer(ANONYMOUS, hub.deps.config.viewerSecret) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: { kind: 'ANONYMOUS' } } });
  });
});
