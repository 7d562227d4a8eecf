import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signViewer, VIEWER_HEADER } from '../../lib/auth/viewer.js';
import { collect } from '../helpers/deferred.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { freePort, spawnService, type ServiceProcess } from '../helpers/process.js';

/**
 * Two replicas of the issuers subgraph on one PostgreSQL: the gateway (in this process) knows replica A;
 * replica B is a separate process the gateway never talks to. An event B commits must still reach a
 * subscriber connected through the gateway: delivery rides on the shared log and LISTEN/NOTIFY, not on memory.
 */
describe.skipIf(!process.env.DATABASE_URL)('several replicas on PostgreSQL', () => {
  let hub: TestHub;
  let replicaB: ServiceProcess;

  beforeAll(async () => {
    hub = await startTestHub();
    const port = await freePort();
    replicaB = await spawnService('subgraphs/issuers/main.ts', port, { DATABASE_URL: hub.deps.testDb.url!, ISSUERS_PORT: String(port) });
  });
  afterAll(async () => {
    await replicaB?.stop();
    await hub?.dispose();
  });

  const createOnReplicaB = async (name: string) => {
    const response = await fetch(`${replicaB.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [VIEWER_HEADER]: signViewer({ kind: 'ADMIN', apiKeyId: '0190a0a0-0000-7000-8000-000000000001' }, hub.deps.config.viewerSecret),
      },
      body: JSON.stringify({ query: `mutation ($name: String!) { createIssuer(input: { name: $name, url: "https://b.example" }) { issuer { id } } }`, variables: { name } }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return body.data.createIssuer.issuer.id as string;
  };

  test('a mutation on the replica the gateway does not use reaches a gateway subscriber', async () => {
    const subscription = collect(hub.wsClient(), `subscription { credentialEvents(after: "0", types: [ISSUER_CREATED]) { cursor issuer { id name } } }`);
    const first = await createOnReplicaB('Made On Replica B');
    const [event] = await subscription.waitFor(1);
    expect(event.credentialEvents.issuer).toEqual({ id: first, name: 'Made On Replica B' });
    // And live, not only by replay: the next one arrives while the subscription is open.
    await createOnReplicaB('Also On Replica B');
    const events = await subscription.waitFor(2);
    expect(events[1].credentialEvents.issuer.name).toBe('Also On Replica B');
    subscription.unsubscribe();
  });

  test('the gateway reads what replica B wrote', async () => {
    const id = await createOnReplicaB('Visible Everywhere');
    expect((await hub.gql(`query ($id: ID!) { issuer(id: $id) { name } }`, { id })).data).toEqual({ issuer: { name: 'Visible Everywhere' } });
  });
});
