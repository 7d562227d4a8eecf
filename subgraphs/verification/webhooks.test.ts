import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { deriveMasterKey } from '../../lib/crypto/private-key-envelope.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { issuerCreatedEvent } from '../../lib/events/contracts/issuer-created.js';
import { newId } from '../../lib/ids.js';
import { createSafeFetch } from '../../lib/net/safe-fetch.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { startHttpsReceiver } from '../../test/helpers/https-receiver.js';
import { createWebhookStore } from './db/webhook-store.js';
import { verifyDeliverySignature } from './domain/webhook-delivery.js';
import { verification } from './index.js';
import { WebhookDelivery } from './services/webhook-delivery.js';
import { createWebhooksService } from './services/webhooks.js';

// Issue 16, webhooks: an issuer's events POSTed to a receiver (a local HTTPS server here), signed, in order, at least
// once; an outage is retried with back-off on the dispatcher's clock (moved by the test, never waited out), and the
// backlog follows in order once the receiver is back; 24 hours of failure disable the webhook.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const issuerId = newId();
const otherIssuerId = newId();
const owner: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'OWNER' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
/** The dispatchers' clock: moved by the tests only, forward. */
let clock = new Date();
let dispatchers: WebhookDelivery[];
let masterKey: Buffer;
const webhookServiceDeps = () => ({
  db: deps.database.db,
  store: createWebhookStore(deps.database.db),
  masterKey,
  head: () => deps.feed.head(),
  outbound: { allowHttp: false, allowPrivateNetwork: false },
});

const CREATE = `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id status deliveredThrough } } }`;
const WEBHOOK = `query ($id: ID!) { _entities(representations: [{ __typename: "Issuer", id: $id }]) { ... on Issuer { webhooks { id status disabledReason failedAttempts deliveries(first: 50) { eventCursor outcome responseStatus redelivery } } } } }`;

/** Appends `count` events of an issuer (an IssuerCreated stands in for any issuer-scoped event) and numbers them. */
async function eventsOf(issuer: string, count: number, label: string): Promise<void> {
  await appendEvents(deps.database.db, Array.from({ length: count }, (_, n) => issuerCreatedEvent.build({ issuerId: issuer, name: `${label} ${n}`, url: null })));
  await deps.feed.sequence();
}

/** Every pass of every dispatcher until none delivers anything more at the current clock. */
async function dispatchAll(): Promise<void> {
  while ((await Promise.all(dispatchers.map((dispatcher) => dispatcher.runOnce()))).some((attempted) => attempted > 0));
}

const delivered = () => receiver.received.filter((request) => request.status === 200);
const namesOf = (requests: typeof receiver.received) => requests.map((request) => JSON.parse(request.body).payload.name as string);

async function createWebhook(types = ['ISSUER_CREATED']) {
  const created = await executeAs(subgraph, owner, CREATE, { input: { issuerId, url: receiver.url, types } });
  expect(created.errors).toBeUndefined();
  // Due from its creation, by the database's clock: the dispatchers' clock must not lag behind it.
  clock = new Date(Math.max(clock.getTime(), Date.now() + 1_000));
  return created.data!.createWebhook as { secret: string; webhook: { id: string } };
}

beforeAll(async () => {
  deps = await createTestDeps({ CAIRN_WEBHOOK_DISPATCHER: 'false' });
  subgraph = await verification.create(deps);
  receiver = await startHttpsReceiver();
  masterKey = await deriveMasterKey(deps.config.masterKey);
  // Two dispatchers, as two replicas of the verification service would run.
  dispatchers = [0, 1].map(
    () =>
      new WebhookDelivery({
        db: deps.database.db,
        store: createWebhookStore(deps.database.db),
        post: createSafeFetch({ allowPrivateNetwork: true, ca: receiver.ca }).post,
        masterKey,
        log: deps.log,
        now: () => clock,
      }),
  );
});
afterAll(async () => {
  await receiver?.close();
  await subgraph?.close();
  await deps?.dispose();
});

describe('webhooks', () => {
  test('an OWNER or operator makes one; a VIEWER, another issuer and bad URLs are refused', async () => {
    const input = { issuerId, url: receiver.url, types: ['ISSUER_CREATED'] };
    const refusals = await Promise.all([
      executeAs(subgraph, { ...owner, role: 'VIEWER' }, CREATE, { input }),
      executeAs(subgraph, { ...owner, issuerId: otherIssuerId }, CREATE, { input }),
      executeAs(subgraph, { kind: 'ANONYMOUS' }, CREATE, { input }),
      executeAs(subgraph, owner, CREATE, { input: { ...input, url: 'http://receiver.example/hook' } }),
      executeAs(subgraph, owner, CREATE, { input: { ...input, url: 'https://169.254.169.254/latest' } }),
      executeAs(subgraph, owner, CREATE, { input: { ...input, url: 'not a url' } }),
      executeAs(subgraph, owner, CREATE, { input: { ...input, types: [] } }),
    ]);
    expect(refusals.map((result) => result.errors?.[0]?.extensions?.code)).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHENTICATED', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    const made = await executeAs(subgraph, admin, CREATE, { input });
    expect(made.errors).toBeUndefined();
    expect(made.data!.createWebhook.secret).toMatch(/^whsec_/);
    await executeAs(subgraph, admin, `mutation ($id: ID!) { deleteWebhook(input: { id: $id }) { id } }`, { id: made.data!.createWebhook.webhook.id });
  });

  test('delivers its issuer’s events of its types, signed, in order, once each, even with two dispatchers at once', async () => {
    const { secret, webhook } = await createWebhook();
    await eventsOf(issuerId, 5, 'first');
    await eventsOf(otherIssuerId, 2, 'elsewhere');
    await dispatchAll();
    expect(namesOf(delivered())).toEqual(['first 0', 'first 1', 'first 2', 'first 3', 'first 4']);
    for (const request of delivered()) {
      expect(verifyDeliverySignature(secret, request.headers['cairn-signature'] as string, request.body, clock)).toBe(true);
      expect(request.headers['cairn-webhook-id']).toBe(webhook.id);
      expect(request.headers['cairn-event-id']).toBe(JSON.parse(request.body).id);
    }
    const cursors = delivered().map((request) => Number(request.headers['cairn-event-id']));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    await dispatchAll();
    expect(delivered()).toHaveLength(5);
  });

  test('an outage is retried with back-off and the backlog follows in order; a redelivery is logged as one', async () => {
    receiver.received.length = 0;
    receiver.answerWith(503);
    await eventsOf(issuerId, 3, 'during outage');
    await dispatchAll();
    expect(receiver.received.map((request) => request.status)).toEqual([503]);
    // Not due again before 30 s have passed on the dispatcher's clock.
    clock = new Date(clock.getTime() + 29_000);
    await dispatchAll();
    expect(receiver.received).toHaveLength(1);
    clock = new Date(clock.getTime() + 1_000);
    await dispatchAll();
    expect(receiver.received).toHaveLength(2);
    receiver.answerWith(200);
    clock = new Date(clock.getTime() + 60_000);
    await dispatchAll();
    expect(namesOf(delivered())).toEqual(['during outage 0', 'during outage 1', 'during outage 2']);

    const [hook] = (await executeAs(subgraph, owner, WEBHOOK, { id: issuerId })).data!._entities[0].webhooks;
    expect(hook.failedAttempts).toBe(0);
    expect(hook.deliveries.slice(0, 5).map((entry: { outcome: string; responseStatus: number }) => [entry.outcome, entry.responseStatus])).toEqual([
      ['DELIVERED', 200],
      ['DELIVERED', 200],
      ['DELIVERED', 200],
      ['FAILED', 503],
      ['FAILED', 503],
    ]);
    const cursor = JSON.parse(delivered()[0]!.body).id as string;
    const REDELIVER = `mutation ($input: RedeliverWebhookEventInput!) { redeliverWebhookEvent(input: $input) { delivery { outcome redelivery eventCursor } } }`;
    const byViewer = await executeAs(subgraph, { ...owner, role: 'VIEWER' }, REDELIVER, { input: { webhookId: hook.id, cursor } });
    expect(byViewer.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    // The subgraph's own dispatcher does not trust the test receiver's certificate: the use case runs with the test's.
    const webhooks = createWebhooksService({ ...webhookServiceDeps(), delivery: dispatchers[0]! });
    const again = await webhooks.redeliver(owner, hook.id, Number(cursor));
    expect(again).toMatchObject({ outcome: 'DELIVERED', redelivery: 'MANUAL', eventCursor: Number(cursor) });
    expect(receiver.received.at(-1)!.headers['cairn-event-id']).toBe(cursor);
    const log = (await executeAs(subgraph, owner, WEBHOOK, { id: issuerId })).data!._entities[0].webhooks[0].deliveries;
    expect(log[0]).toMatchObject({ outcome: 'DELIVERED', redelivery: true, eventCursor: cursor });
  });

  test('24 hours of failure disable it; enabled again, it resumes from the event it stopped at', async () => {
    receiver.received.length = 0;
    receiver.answerWith(500);
    await eventsOf(issuerId, 2, 'before disabling');
    for (let hours = 0; hours <= 25; hours += 1) {
      await dispatchAll();
      clock = new Date(clock.getTime() + 3_600_000);
    }
    const [hook] = (await executeAs(subgraph, owner, WEBHOOK, { id: issuerId })).data!._entities[0].webhooks;
    expect(hook.status).toBe('DISABLED');
    expect(hook.disabledReason).toContain('24 hours');
    const attempts = receiver.received.length;
    await dispatchAll();
    expect(receiver.received).toHaveLength(attempts);
    receiver.answerWith(200);
    const enabled = await executeAs(subgraph, owner, `mutation ($id: ID!) { enableWebhook(input: { id: $id }) { webhook { status } } }`, { id: hook.id });
    expect(enabled.data!.enableWebhook.webhook.status).toBe('ACTIVE');
    await dispatchAll();
    expect(namesOf(delivered())).toEqual(['before disabling 0', 'before disabling 1']);
  });

  test('a webhook is read by its issuer’s members only', async () => {
    const answers = await Promise.all([
      executeAs(subgraph, { ...owner, role: 'VIEWER' }, WEBHOOK, { id: issuerId }),
      executeAs(subgraph, { ...owner, issuerId: otherIssuerId }, WEBHOOK, { id: issuerId }),
      executeAs(subgraph, { kind: 'EMPLOYER', apiKeyId: newId(), employerId: newId() }, WEBHOOK, { id: issuerId }),
    ]);
    expect(answers[0]!.data!._entities[0].webhooks).toHaveLength(1);
    expect(answers.slice(1).map((answer) => answer.errors?.[0]?.extensions?.code)).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED']);
  });
});
