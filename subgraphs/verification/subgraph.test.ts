import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { consumeBatch } from '../../lib/events/consumer.js';
import { EventType, type NewEvent } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { insertEventsUnchecked } from '../../test/helpers/events.js';
import { executeAs } from '../../test/helpers/execute.js';
import { subscribeAs, take } from '../../test/helpers/subscribe.js';
import { achievementCreatedEvent } from '../../lib/events/contracts/achievement-created.js';
import { programMetricsConsumer } from './consumers/program-metrics.js';
import { verification } from './index.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const issuerA = newId();
const issuerB = newId();
const memberOfA: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: issuerA, role: 'VIEWER' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await verification.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

// Payloads are placeholders: metrics count events by type and the subscription passes payloads through untouched.
const publish = (events: NewEvent[]) => insertEventsUnchecked(deps.database.db, events);
const METRICS = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Issuer { id metrics { achievementsCreated credentialsIssued } } } }`;
const EVENTS = `subscription ($after: String, $issuerId: ID, $types: [EventType!]) {
  credentialEvents(after: $after, issuerId: $issuerId, types: $types) { cursor type issuer { id } payload }
}`;

describe('issuer metrics', () => {
  test('are projected from events, each counted once', async () => {
    await publish([
      achievementCreatedEvent.build({ achievementId: newId(), issuerId: issuerA, name: 'One' }),
      achievementCreatedEvent.build({ achievementId: newId(), issuerId: issuerA, name: 'Two' }),
      { type: EventType.CREDENTIAL_ISSUED, issuerId: issuerA, payload: {} },
      { type: EventType.ISSUER_CREATED, issuerId: issuerA, payload: {} },
    ]);
    await consumeBatch(deps.database.db, programMetricsConsumer);
    await consumeBatch(deps.database.db, programMetricsConsumer);
    const result = await executeAs(subgraph, memberOfA, METRICS, { representations: [{ __typename: 'Issuer', id: issuerA }] });
    expect(result.errors).toBeUndefined();
    // The malformed CredentialIssued (no payload) is skipped, not counted.
    expect(result.data!._entities[0].metrics).toEqual({ achievementsCreated: 2, credentialsIssued: 0 });
  });

  test('an issuer with no events has zero metrics', async () => {
    const result = await executeAs(subgraph, admin, METRICS, { representations: [{ __typename: 'Issuer', id: issuerB }] });
    expect(result.data!._entities[0].metrics).toEqual({ achievementsCreated: 0, credentialsIssued: 0 });
  });

  test('are private to the issuer’s members', async () => {
    const result = await executeAs(subgraph, memberOfA, METRICS, { representations: [{ __typename: 'Issuer', id: issuerB }] });
    expect(result.errors?.[0]?.message).toMatch(/may not act for issuer/);
  });
});

describe('credentialEvents subscription', () => {
  test('replays from a cursor, then delivers live events in order, filtered by issuer and type', async () => {
    const iterator = await subscribeAs(subgraph, admin, EVENTS, { after: '0', issuerId: issuerB, types: ['CREDENTIAL_ISSUED', 'CREDENTIAL_REVOKED'] });
    if (!(Symbol.asyncIterator in iterator)) throw new Error(JSON.stringify(iterator.errors));
    await publish([
      { type: EventType.CREDENTIAL_ISSUED, issuerId: issuerB, payload: { n: 1 } },
      { type: EventType.CREDENTIAL_ISSUED, issuerId: issuerA, payload: { n: 2 } },
      { type: EventType.ACHIEVEMENT_CREATED, issuerId: issuerB, payload: { n: 3 } },
    ]);
    await publish([{ type: EventType.CREDENTIAL_REVOKED, issuerId: issuerB, payload: { n: 4 } }]);
    const live = await take(iterator, 2);
    expect(live.map((result) => result.data!.credentialEvents.payload.n)).toEqual([1, 4]);
    await iterator.return!(undefined);

    const resumed = await subscribeAs(subgraph, admin, EVENTS, { issuerId: issuerB, after: live[0]!.data!.credentialEvents.cursor });
    if (!(Symbol.asyncIterator in resumed)) throw new Error(JSON.stringify(resumed.errors));
    const replayed = await take(resumed, 2);
    expect(replayed.map((result) => result.data!.credentialEvents.payload.n)).toEqual([3, 4]);
    await resumed.return!(undefined);
  });

  test('an issuer member only ever sees its own issuer', async () => {
    const refused = await subscribeAs(subgraph, memberOfA, EVENTS, { issuerId: issuerB });
    expect('errors' in refused && refused.errors?.[0]?.message).toMatch(/may not follow/);
    const own = await subscribeAs(subgraph, memberOfA, EVENTS, { types: ['CREDENTIAL_REVOKED'] });
    if (!(Symbol.asyncIterator in own)) throw new Error(JSON.stringify(own.errors));
    await publish([
      { type: EventType.CREDENTIAL_REVOKED, issuerId: issuerB, payload: { n: 5 } },
      { type: EventType.CREDENTIAL_REVOKED, issuerId: issuerA, payload: { n: 6 } },
    ]);
    const [event] = await take(own, 1);
    expect(event!.data!.credentialEvents).toMatchObject({ issuer: { id: issuerA }, payload: { n: 6 } });
    await own.return!(undefined);
  });

  test('without a cursor a subscription starts from now; "0" replays the whole log', async () => {
    await publish([{ type: EventType.CREDENTIAL_SUSPENDED, issuerId: issuerA, payload: { n: 'before' } }]);
    const fromNow = await subscribeAs(subgraph, admin, EVENTS, { types: ['CREDENTIAL_SUSPENDED'] });
    const everything = await subscribeAs(subgraph, admin, EVENTS, { types: ['CREDENTIAL_SUSPENDED'], after: '0' });
    if (!(Symbol.asyncIterator in fromNow) || !(Symbol.asyncIterator in everything)) throw new Error('refused');
    await publish([{ type: EventType.CREDENTIAL_SUSPENDED, issuerId: issuerA, payload: { n: 'after' } }]);
    expect((await take(fromNow, 1)).map((result) => result.data!.credentialEvents.payload.n)).toEqual(['after']);
    expect((await take(everything, 2)).map((result) => result.data!.credentialEvents.payload.n)).toEqual(['before', 'after']);
    await fromNow.return!(undefined);
    await everything.return!(undefined);
  });

  test('a malformed cursor is refused with BAD_USER_INPUT', async () => {
    const refused = await subscribeAs(subgraph, admin, EVENTS, { after: 'yesterday' });
    expect('errors' in refused && refused.errors?.[0]?.message).toMatch(/must be the cursor/);
  });
});
