import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collect } from '../helpers/deferred.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Performance issue, subscription fan-out: identical live subscriptions of one principal are served from one upstream
// stream, so the verification subgraph executes and sends each event once, not once per dashboard. Sharing must never
// cross principals (issue 10, item 0: a viewer must not receive another viewer's answer).

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.dispose());

const LIVE = `subscription { credentialEvents(types: [ISSUER_CREATED, ISSUER_KEYS_CHANGED]) { cursor type issuer { id name } } }`;
interface LiveEvent {
  credentialEvents: { cursor: string; type: string; issuer: { id: string; name: string } | null };
}

const upstreamSubscriptions = async () => hub.deps.feed.subscriberCount;

async function issuerWithKey(name: string): Promise<{ id: string; key: string }> {
  const created = await hub.gql(`mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }`, { input: { name, url: 'https://shared.example' } });
  expect(created.errors).toBeUndefined();
  const id = created.data.createIssuer.issuer.id as string;
  const key = await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "dashboard", principal: ISSUER, issuerId: $id, role: VIEWER }) { secret } }`, { id });
  expect(key.errors).toBeUndefined();
  return { id, key: key.data.createApiKey.secret };
}

describe('identical live subscriptions share one upstream stream', () => {
  test("an operator's five dashboards: one upstream subscription, every event to each of them, and the others go on when one leaves", async () => {
    const before = await upstreamSubscriptions();
    const clients = Array.from({ length: 5 }, () => hub.wsClient());
    const dashboards = clients.map((client) => collect<LiveEvent>(client, LIVE));
    expect(await eventually(() => upstreamSubscriptions(), (count) => count === before + 1, 15_000)).toBe(before + 1);
    // Wait until every dashboard is attached: the first event reaches all five.
    const created = await issuerWithKey('Shared Stream Academy'); // an operator follows every issuer's events
    for (const dashboard of dashboards) {
      const events = await dashboard.waitFor(1);
      expect(events[0]!.credentialEvents).toMatchObject({ type: 'ISSUER_CREATED', issuer: { id: created.id, name: 'Shared Stream Academy' } });
    }
    expect(await upstreamSubscriptions()).toBe(before + 1);

    // The first dashboard, whose subscription opened the stream, closes its connection altogether.
    await clients[0]!.dispose();
    await issuerWithKey('After One Left');
    for (const dashboard of dashboards.slice(1)) {
      const names = (await dashboard.waitFor(3)).map((event) => event.credentialEvents.issuer?.name);
      expect(names).toContain('After One Left');
    }
    for (const dashboard of dashboards.slice(1)) dashboard.unsubscribe();
    expect(await eventually(() => upstreamSubscriptions(), (count) => count === before, 15_000)).toBe(before);
  });

  test('two issuers subscribing at the same moment with the same document each get only their own events', async () => {
    const [north, south] = await Promise.all([issuerWithKey('North Shared'), issuerWithKey('South Shared')]);
    const before = await upstreamSubscriptions();
    const northClients = Array.from({ length: 3 }, () => collect<LiveEvent>(hub.wsClient(north.key), LIVE));
    const southClients = Array.from({ length: 3 }, () => collect<LiveEvent>(hub.wsClient(south.key), LIVE));
    // One stream per principal, never one for both.
    expect(await eventually(() => upstreamSubscriptions(), (count) => count === before + 2, 15_000)).toBe(before + 2);
    // A key rotation is an event of its issuer only.
    const rotate = async (issuerId: string) =>
      expect((await hub.gql(`mutation ($id: ID!) { rotateSigningKey(input: { issuerId: $id }) { signingKey { id } } }`, { id: issuerId })).errors).toBeUndefined();
    await Promise.all([rotate(north.id), rotate(south.id)]);
    for (const [clients, own] of [[northClients, north.id], [southClients, south.id]] as const) {
      for (const client of clients) {
        const [event] = await client.waitFor(1);
        expect(event!.credentialEvents.issuer?.id).toBe(own);
      }
    }
    await rotate(north.id);
    await northClients[0]!.waitFor(2);
    // The south clients have nothing of north's, however long they wait.
    for (const client of southClients) expect(client.results.map((event) => event.credentialEvents.issuer?.id)).toEqual([south.id]);
    for (const client of [...northClients, ...southClients]) client.unsubscribe();
    expect(await eventually(() => upstreamSubscriptions(), (count) => count === before, 15_000)).toBe(before);
  });

  test('a resume (`after`) is never shared: it reads what it missed on its own', async () => {
    const before = await upstreamSubscriptions();
    const RESUME = `subscription ($after: String) { credentialEvents(after: $after, types: [ISSUER_CREATED]) { cursor issuer { name } } }`;
    const first = collect(hub.wsClient(), RESUME, { after: '0' });
    const second = collect(hub.wsClient(), RESUME, { after: '0' });
    expect(await eventually(() => upstreamSubscriptions(), (count) => count === before + 2, 15_000)).toBe(before + 2);
    expect((await first.waitFor(2)).length).toBe(2);
    expect((await second.waitFor(2)).length).toBe(2);
    first.unsubscribe();
    second.unsubscribe();
  });
});
