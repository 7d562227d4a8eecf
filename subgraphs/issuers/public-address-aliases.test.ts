import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { readLog } from '../../test/helpers/events.js';
import { executeAs } from '../../test/helpers/execute.js';
import { createKeyStore } from './db/key-store.js';
import { createIssuerStore } from './db/store.js';
import { issuers } from './index.js';
import { createKeysService } from './services/keys.js';

// Issue 13, item 1: after the hub moved from http://localhost:4000 to https://badges.example with the old address as
// an alias, the issuers service still answers for its issuers' DIDs under the old address.

const OLD = 'http://localhost:4000';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: '0190a0a0-0000-7000-8000-000000000001' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;

beforeAll(async () => {
  deps = await createTestDeps({ PUBLIC_BASE_URL: 'https://badges.example', CAIRN_PUBLIC_BASE_URL_ALIASES: OLD });
  subgraph = await issuers.create(deps);
  const created = await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Moved", url: "https://moved.example" }) { issuer { id } } }`);
  issuerId = created.data!.createIssuer.issuer.id;
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const oldDid = () => `did:web:localhost%3A4000:issuers:${issuerId}`;
const newDid = () => `did:web:badges.example:issuers:${issuerId}`;

describe('an issuer under the hub address and its alias', () => {
  test('IssuerKeysChanged names its DID under each address, each with its own document', async () => {
    const [event] = (await readLog(deps.database.db, { after: 0, limit: 10, issuerId })).filter((candidate) => candidate.type === 'IssuerKeysChanged');
    const dids = (event!.payload as { dids: Array<{ did: string; document: { id: string } }> }).dids;
    expect(dids.map((entry) => [entry.did, entry.document.id])).toEqual([
      [newDid(), newDid()],
      [oldDid(), oldDid()],
    ]);
  });

  test('the offline resolver resolves the old DID and its verification methods; new credentials name the new DID', async () => {
    const { db } = deps.database;
    const { masterKey: masterKeySecret, publicBaseUrl, publicBaseUrlAliases } = deps.config;
    const keyRing = createKeysService({ db, keys: createKeyStore(db), issuers: createIssuerStore(db), masterKeySecret, publicBaseUrl, publicBaseUrlAliases });
    const document = (await keyRing.resolveDid(oldDid())) as Record<string, any>;
    expect(document.id).toBe(oldDid());
    const method = document.verificationMethod[0].id as string;
    expect(method.startsWith(`${oldDid()}#`)).toBe(true);
    expect(await keyRing.resolveDid(method)).toMatchObject({ id: method, controller: oldDid() });
    expect(await keyRing.resolveDid(`did:web:localhost%3A4100:issuers:${issuerId}`)).toBeNull();
    const issuer = await executeAs(subgraph, admin, `query ($id: ID!) { issuer(id: $id) { did } }`, { id: issuerId });
    expect(issuer.data!.issuer.did).toBe(newDid());
  });
});
