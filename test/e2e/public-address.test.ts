import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { createDatabase } from '../../lib/db/client.js';
import { migrate } from '../../lib/db/migrate.js';
import { eventually } from '../helpers/eventually.js';
import { freePort, spawnService, type ServiceProcess } from '../helpers/process.js';

// Issue 13, item 1: with the gateway on a non-default port and PUBLIC_BASE_URL unset, every address the hub hands out
// names the port it answers on; the hub is bound to that address, refuses a start under another one, and with the old
// one as an alias keeps the credentials issued under it resolving and verifying.

/** Each test starts the whole hub as a process, which takes a while on a loaded 2-core machine. */
const HUB_READY_WITHIN_MS = 150_000;
const HUB_STARTS_TIMEOUT_MS = 240_000;
const VERIFY = `mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) { status verified checks { name passed message } } }`;

const dataDir = mkdtempSync(join(tmpdir(), 'cairn-address-'));
let firstPort: number;
let movedPort: number;
let subgraphPorts: number[];
let adminKey: string;
let hub: ServiceProcess | null = null;
let issuerId: string;
let ownerKey: string;
let achievementId: string;
let firstCredential: Awaited<ReturnType<typeof issue>>;

function startHub(gatewayPort: number, extra: Record<string, string> = {}): Promise<ServiceProcess> {
  const [issuers, achievements, recipients, verification] = subgraphPorts.map(String);
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: '',
    PUBLIC_BASE_URL: '',
    CAIRN_DATA_DIR: dataDir,
    CAIRN_SEED_DEMO: 'false',
    GATEWAY_PORT: String(gatewayPort),
    ISSUERS_PORT: issuers!,
    ACHIEVEMENTS_PORT: achievements!,
    RECIPIENTS_PORT: recipients!,
    VERIFICATION_PORT: verification!,
    ...extra,
  };
  return spawnService('scripts/start-all.ts', gatewayPort, env, { readyWithinMs: HUB_READY_WITHIN_MS });
}

async function gql(query: string, variables: Record<string, unknown> = {}, key: string | null = adminKey) {
  const response = await fetch(`${hub!.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** An issued credential: its id, the public URL it is hosted at, and its signed document. */
async function issue(idempotencyKey: string): Promise<{ id: string; url: string; document: Record<string, any> }> {
  const issued = await gql(
    `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id issuance { url } } document } }`,
    {
      input: {
        achievementId,
        recipient: { email: 'ada@example.com', name: 'Ada Lovelace' },
        evidence: [{ kind: 'PROJECT', url: 'https://git.example/ada/engine', narrative: 'The analytical engine notes.' }],
        idempotencyKey,
      },
    },
    ownerKey,
  );
  const { credential, document } = issued.issueCredential;
  return { id: credential.id, url: credential.issuance.url, document };
}

const verify = async (input: Record<string, unknown>) => (await gql(VERIFY, { input })).verifyCredential;

/**
 * Its holder's choice (the operator's key acts for them), once the credential is in the wallet: anyone, a verifier
 * fetching it by URL included, may read it there (a wallet keeps new credentials PRIVATE).
 */
async function makePublic(credentialId: string): Promise<void> {
  const setPublic = () =>
    fetch(`${hub!.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({
        query: `mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { visibility } } }`,
        variables: { input: { credentialId, visibility: 'PUBLIC' } },
      }),
    }).then((response) => response.json() as Promise<{ data?: any }>);
  await eventually(setPublic, (answer) => answer.data?.setCredentialVisibility?.credential.visibility === 'PUBLIC');
  await eventually(() => fetch(`${hub!.baseUrl}/credentials/${credentialId}`).then((response) => response.status), (status) => status === 200);
}

beforeAll(async () => {
  const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  [firstPort, movedPort] = [ports[0]!, ports[1]!];
  subgraphPorts = ports.slice(2);
  // The operator's first key, minted before the first start as `npm run admin-key` does.
  const database = await createDatabase({ kind: 'pglite', dataDir });
  try {
    await migrate(database.db);
    adminKey = (await createApiKey(database.db, { name: 'operator', grant: { principal: 'ADMIN' } })).secret;
  } finally {
    await database.close();
  }
});
afterAll(async () => {
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the public address on a non-default gateway port', () => {
  test('unset PUBLIC_BASE_URL follows GATEWAY_PORT: credential ids, did:web DIDs, status lists and the OB API discovery', async () => {
    hub = await startHub(firstPort);
    issuerId = (await gql(`mutation { createIssuer(input: { name: "Port Academy", url: "https://port.example" }) { issuer { id } } }`)).createIssuer.issuer.id;
    ownerKey = (await gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId }))
      .createApiKey.secret;
    const created = await gql(
      `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
      {
        input: {
          issuerId,
          name: 'Engine Notes',
          description: 'Wrote the notes.',
          criteria: { narrative: 'Reviewed notes.' },
          achievementType: 'Competency',
          evidenceRules: [{ kind: 'PROJECT', minCount: 1 }],
        },
      },
      ownerKey,
    );
    achievementId = created.createAchievement.achievement.id;
    await gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, ownerKey);

    firstCredential = await issue('address-1');
    await makePublic(firstCredential.id);
    const base = `http://localhost:${firstPort}`;
    expect(firstCredential.url).toBe(`${base}/credentials/${firstCredential.id}`);
    expect(firstCredential.document.issuer.id).toBe(`did:web:localhost%3A${firstPort}:issuers:${issuerId}`);
    expect(firstCredential.document.credentialStatus.statusListCredential).toMatch(new RegExp(`^${base}/status-lists/`));
    const discovery = (await (await fetch(`${hub.baseUrl}/ims/ob/v3p0/discovery`)).json()) as { servers: { url: string }[] };
    expect(discovery.servers[0]!.url).toBe(`${base}/ims/ob/v3p0`);
    expect(await verify({ credential: firstCredential.document })).toMatchObject({ status: 'VALID', verified: true });
    await hub.stop();
    hub = null;
  }, HUB_STARTS_TIMEOUT_MS);

  test('a start under another address is refused: what changed, why it matters, what to do', async () => {
    const refusal = await startHub(movedPort).catch((error: Error) => error);
    expect(refusal).toBeInstanceOf(Error);
    const output = (refusal as Error).message;
    expect(output).toContain('exited with 1');
    expect(output).toContain(`it was http://localhost:${firstPort} and is now http://localhost:${movedPort}`);
    expect(output).toContain('did:web DID');
    expect(output).toContain(`CAIRN_PUBLIC_BASE_URL_ALIASES=http://localhost:${firstPort}`);
    expect(output).not.toMatch(/\n\s+at /);
  }, HUB_STARTS_TIMEOUT_MS);

  test('with the old address as an alias, old and new credentials, DIDs and status lists resolve and verify', async () => {
    hub = await startHub(movedPort, { CAIRN_PUBLIC_BASE_URL_ALIASES: `http://localhost:${firstPort}` });
    expect(await verify({ credential: firstCredential.document })).toMatchObject({ status: 'VALID', verified: true });
    expect(await verify({ url: firstCredential.url })).toMatchObject({ status: 'VALID', verified: true });

    const moved = await issue('address-2');
    expect(moved.url).toBe(`http://localhost:${movedPort}/credentials/${moved.id}`);
    expect(moved.document.issuer.id).toBe(`did:web:localhost%3A${movedPort}:issuers:${issuerId}`);
    expect(await verify({ credential: moved.document })).toMatchObject({ status: 'VALID', verified: true });

    // A did:web resolver asking for the old DID fetches from the old host and gets the document of that DID.
    const didDocument = (host?: string) =>
      fetch(`${hub!.baseUrl}/issuers/${issuerId}/did.json`, { headers: host ? { 'x-forwarded-host': host } : {} }).then((response) => response.json() as Promise<{ id: string }>);
    expect((await didDocument(`localhost:${firstPort}`)).id).toBe(firstCredential.document.issuer.id);
    expect((await didDocument()).id).toBe(moved.document.issuer.id);

    // The old credential's status list still answers at the address it names, and revoking it shows there.
    await gql(`mutation ($id: ID!) { revokeCredential(input: { credentialId: $id }) { credential { id } } }`, { id: firstCredential.id }, ownerKey);
    expect(await verify({ credential: firstCredential.document })).toMatchObject({ status: 'REVOKED', verified: false });
  }, HUB_STARTS_TIMEOUT_MS);
});
