import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collect } from '../helpers/deferred.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.dispose());

const ISSUER_EVENTS = `subscription ($after: String) {
  credentialEvents(after: $after, types: [ISSUER_CREATED]) { cursor type issuer { id name } }
}`;

interface IssuerEvent {
  credentialEvents: { cursor: string; type: string; issuer: { id: string; name: string } };
}

async function createIssuer(name: string): Promise<void> {
  const result = await hub.gql(`mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }`, {
    input: { name, url: 'https://events.example' },
  });
  expect(result.errors).toBeUndefined();
}

describe('credentialEvents through the gateway (graphql-ws)', () => {
  let lastSeen: string;

  test('delivers events as they commit, with fields resolved from another subgraph', async () => {
    const subscription = collect<IssuerEvent>(hub.wsClient(), ISSUER_EVENTS, { after: '0' });
    await createIssuer('First Live Issuer');
    const [event] = await subscription.waitFor(1);
    expect(event!.credentialEvents).toMatchObject({ type: 'ISSUER_CREATED', issuer: { name: 'First Live Issuer' } });
    lastSeen = event!.credentialEvents.cursor;
    subscription.unsubscribe();
  });

  test('a client that reconnects with `after` gets what it missed, then live events, in order, once each', async () => {
    // Published while no client is connected.
    await createIssuer('Missed One');
    await createIssuer('Missed Two');
    const client = hub.wsClient();
    const subscription = collect<IssuerEvent>(client, ISSUER_EVENTS, { after: lastSeen });
    const missed = await subscription.waitFor(2);
    expect(missed.map((event) => event.credentialEvents.issuer.name)).toEqual(['Missed One', 'Missed Two']);
    await createIssuer('Live Again');
    const all = await subscription.waitFor(3);
    expect(all.map((event) => event.credentialEvents.issuer.name)).toEqual(['Missed One', 'Missed Two', 'Live Again']);
    const cursors = all.map((event) => Number(event.credentialEvents.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(cursors[0]).toBeGreaterThan(Number(lastSeen));
    // Nothing else trickles in: no duplicates of what was already delivered.
    await createIssuer('Sentinel');
    await subscription.waitFor(4);
    expect(subscription.results.map((event) => event.credentialEvents.issuer.name)).toEqual(['Missed One', 'Missed Two', 'Live Again', 'Sentinel']);
    subscription.unsubscribe();
  });

  test('a subscription without a key is UNAUTHENTICATED; an employer is UNAUTHORIZED', async () => {
    const anonymous = collect(hub.wsClient(null), ISSUER_EVENTS, { after: '0' });
    await expect(anonymous.waitFor(1)).rejects.toThrow(/"code":"UNAUTHENTICATED"/);
    const employerKey = (await hub.gql(`mutation { createApiKey(input: { name: "e", principal: EMPLOYER }) { secret } }`)).data.createApiKey.secret;
    const employer = collect(hub.wsClient(employerKey), ISSUER_EVENTS, { after: '0' });
    await expect(employer.waitFor(1)).rejects.toThrow(/"code":"UNAUTHORIZED"/);
  });
});
