import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { consumeBatch } from '../../../lib/events/consumer.js';
import { headCursor } from '../../../lib/events/outbox.js';
import { consumerCheckpoints } from '../../../lib/events/tables.js';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import { silentLogger } from '../../../lib/log.js';
import { toPageRequest } from '../../../lib/graphql/pagination.js';
import { createTestDeps } from '../../../test/helpers/deps.js';
import { appendSequenced, insertEventsUnchecked, isLogUpkeep, readLog } from '../../../test/helpers/events.js';
import { createRecipientStore, type RecipientStore } from '../db/store.js';
import { identityKey, IdentityType } from '../../../lib/identity.js';
import { credentialDeliveredEvent } from '../../../lib/events/contracts/credential-delivered.js';
import { WALLET_DELIVERY_CONSUMER, walletDeliveryConsumer } from './wallet-delivery.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let store: RecipientStore;
/** Every SQL statement run so far, for the batching proof. */
let statements = 0;
const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const achievementId = '0190a0a0-0000-7000-8000-0000000000ac';

beforeAll(async () => {
  // The sequencer's statements (numbering what was appended, its polls) are the log's upkeep, not delivery's.
  deps = await createTestDeps({}, { onQuery: (statement) => void (isLogUpkeep(statement) || (statements += 1)) });
  store = createRecipientStore(deps.database.db);
});
afterAll(() => deps.dispose());

function credentialIssued(credentialId: string, email: string, overrides: Record<string, unknown> = {}) {
  return {
    credentialId,
    issuerId,
    achievementId,
    name: 'Analytical Engines 101',
    issuedAt: '2025-03-01T09:00:00.000Z',
    validUntil: null,
    recipient: { type: IdentityType.EMAIL, value: email, name: 'Ada Lovelace' },
    document: { '@context': ['https://www.w3.org/ns/credentials/v2'], id: `urn:uuid:${credentialId}` },
    ...overrides,
  };
}

async function publish(...payloads: Record<string, unknown>[]): Promise<StoredEvent[]> {
  return appendSequenced(
    deps.database.db,
    payloads.map((payload) => ({ type: EventType.CREDENTIAL_ISSUED, issuerId, payload })),
  );
}

/** Events an older release or a buggy producer left in the log, past today's contract check. */
function publishUnchecked(...payloads: Record<string, unknown>[]): Promise<StoredEvent[]> {
  return insertEventsUnchecked(deps.database.db, payloads.map((payload) => ({ type: EventType.CREDENTIAL_ISSUED, issuerId, payload })));
}

const deliver = () => consumeBatch(deps.database.db, walletDeliveryConsumer(store, silentLogger()));

async function checkpoint(): Promise<number> {
  const [row] = await deps.database.db
    .select({ cursor: consumerCheckpoints.cursor })
    .from(consumerCheckpoints)
    .where(eq(consumerCheckpoints.consumer, WALLET_DELIVERY_CONSUMER));
  return row?.cursor ?? 0;
}

async function eventsOf(type: EventType) {
  return readLog(deps.database.db, { after: 0, limit: 100, types: [type] });
}

async function walletOf(recipientId: string) {
  return (await store.credentialPagesByRecipientIds([recipientId], toPageRequest({ first: 100 }))).get(recipientId)!;
}

describe('wallet delivery', () => {
  const first = newId();
  let recipientId: string;

  test('a CredentialIssued event lands in a new recipient’s wallet, announced by RecipientCreated and CredentialDelivered', async () => {
    const [event] = await publish(credentialIssued(first, 'Ada@Example.org'));
    expect(await deliver()).toBe(1);

    const holders = await store.findHoldersOfIdentities(deps.database.db, [{ type: IdentityType.EMAIL, value: 'ada@example.org' }]);
    expect(holders.size).toBe(1);
    recipientId = [...holders.values()][0]!;
    const [recipient] = await store.findRecipientsByIds([recipientId]);
    expect(recipient!.name).toBe('Ada Lovelace');

    const wallet = await walletOf(recipientId);
    expect(wallet.rows).toHaveLength(1);
    expect(wallet.rows[0]).toMatchObject({
      id: first,
      recipientId,
      issuerId,
      achievementId,
      name: 'Analytical Engines 101',
      issuedAt: new Date('2025-03-01T09:00:00.000Z'),
      validUntil: null,
      source: 'ISSUED',
      document: { id: `urn:uuid:${first}` },
    });

    const created = await eventsOf(EventType.RECIPIENT_CREATED);
    expect(created.map((e) => [e.recipientId, e.payload])).toEqual([[recipientId, { recipientId, identities: [{ type: 'EMAIL', value: 'ada@example.org', verified: false }] }]]);
    const delivered = await eventsOf(EventType.CREDENTIAL_DELIVERED);
    expect(delivered.map((e) => [e.issuerId, e.recipientId, e.payload])).toEqual([
      [issuerId, recipientId, { credentialId: first, recipientId, issuerId }],
    ]);
    expect(await checkpoint()).toBe(event!.cursor);
  });

  test('the same credential delivered again creates no second credential and no second CredentialDelivered', async () => {
    const [event] = await publish(credentialIssued(first, 'ada@example.org'));
    expect(await deliver()).toBe(1);
    expect((await walletOf(recipientId)).rows.map((row) => row.id)).toEqual([first]);
    expect(await eventsOf(EventType.CREDENTIAL_DELIVERED)).toHaveLength(1);
    expect(await eventsOf(EventType.RECIPIENT_CREATED)).toHaveLength(1);
    expect(await checkpoint()).toBe(event!.cursor);
  });

  test('a second credential for the same e-mail, spelled differently, goes to the same recipient', async () => {
    const second = newId();
    await publish(credentialIssued(second, '  ADA@example.ORG ', { validUntil: '2027-03-01T09:00:00+01:00', achievementId: null }));
    expect(await deliver()).toBe(1);
    const wallet = await walletOf(recipientId);
    expect(wallet.rows.map((row) => row.id)).toEqual([first, second]);
    expect(wallet.rows[1]).toMatchObject({ validUntil: new Date('2027-03-01T08:00:00.000Z'), achievementId: null });
    expect(await eventsOf(EventType.RECIPIENT_CREATED)).toHaveLength(1);
    expect((await eventsOf(EventType.CREDENTIAL_DELIVERED)).map((e) => e.payload.credentialId)).toEqual([first, second]);
  });

  test('a malformed event is logged with its cursor and skipped, so later events still arrive', async () => {
    const later = newId();
    const events = await publishUnchecked(
      { credentialId: 'not-a-uuid' },
      credentialIssued(newId(), 'not an e-mail address'),
      credentialIssued(later, 'grace@example.org'),
    );
    const logged: { cursor?: number; msg?: string }[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    expect(await consumeBatch(deps.database.db, walletDeliveryConsumer(store, log))).toBe(3);
    expect(logged.map((entry) => [entry.cursor, entry.msg])).toEqual([
      [events[0]!.cursor, 'skipping malformed CredentialIssued event'],
      [events[1]!.cursor, 'skipping malformed CredentialIssued event'],
    ]);
    expect(await checkpoint()).toBe(events[2]!.cursor);
    const [delivered] = await store.findCredentialsByIds([later]);
    expect(delivered).toBeDefined();
    expect(delivered!.recipientId).not.toBe(recipientId);
    expect(await eventsOf(EventType.CREDENTIAL_DELIVERED)).toHaveLength(3);
  });

  test('losing the race for a new identity to createRecipient delivers to the winner', async () => {
    // The window between "nobody holds this identity" and the insert, held open: the lookup misses a holder that exists.
    const racing: RecipientStore = { ...store, findHoldersOfIdentities: async () => new Map() };
    const credentialId = newId();
    await publish(credentialIssued(credentialId, 'ada@example.org'));
    expect(await consumeBatch(deps.database.db, walletDeliveryConsumer(racing, silentLogger()))).toBe(1);
    expect((await walletOf(recipientId)).rows.map((row) => row.id)).toContain(credentialId);
    expect(await eventsOf(EventType.RECIPIENT_CREATED)).toHaveLength(2); // Ada's and Grace's, no third
    expect((await store.pageRecipients(toPageRequest({ first: 10 }))).totalCount).toBe(2);
  });

  test('nothing new means nothing delivered; the checkpoint passes the events of other types, then stays put', async () => {
    expect(await deliver()).toBe(0);
    // What the earlier steps appended themselves (CredentialDelivered, RecipientCreated) is behind it now.
    expect(await checkpoint()).toBe(await headCursor(deps.database.db));
    const before = await checkpoint();
    expect(await deliver()).toBe(0);
    expect(await checkpoint()).toBe(before);
  });
});

describe('a bulk job’s worth of deliveries', () => {
  test('every credential lands in its holder’s wallet exactly once, each batch of events in a few statements', async () => {
    // A recipient already: an earlier credential was delivered to her.
    await publish(credentialIssued(newId(), 'pioneer@bulk.example'));
    while ((await deliver()) > 0);
    const pioneer = identityKey({ type: IdentityType.EMAIL, value: 'pioneer@bulk.example' });
    const pioneerBefore = (await store.findHoldersOfIdentities(deps.database.db, [{ type: IdentityType.EMAIL, value: 'pioneer@bulk.example' }])).get(pioneer);
    expect(pioneerBefore).toBeDefined();
    // 250 credentials for 100 people, the pioneer among them, appended in chunks as the bulk worker appends them;
    // one of them comes twice, in the same batch.
    const people = ['pioneer@bulk.example', ...Array.from({ length: 99 }, (_, n) => `learner${n}@bulk.example`)];
    const issued = Array.from({ length: 250 }, (_, n) => ({ credentialId: newId(), email: people[n % people.length]! }));
    const publishIssued = (from: number, to: number) => publish(...issued.slice(from, to).map(({ credentialId, email }) => credentialIssued(credentialId, email)));
    await publishIssued(0, 100);
    await publish(credentialIssued(issued[7]!.credentialId, issued[7]!.email));
    await publishIssued(100, 200);
    await publishIssued(200, 250);
    const everything = (type: EventType) => readLog(deps.database.db, { after: 0, limit: 10_000, types: [type] });
    const [deliveredBefore, createdBefore] = [(await everything(EventType.CREDENTIAL_DELIVERED)).length, (await everything(EventType.RECIPIENT_CREATED)).length];

    const statementsBefore = statements;
    const steps: number[] = [];
    for (let consumed = await deliver(); consumed > 0; consumed = await deliver()) steps.push(consumed);
    const statementsUsed = statements - statementsBefore;

    // Batches of 250 events: a bulk chunk or two each.
    expect(steps).toEqual([250, 1]);
    const holders = await store.findHoldersOfIdentities(
      deps.database.db,
      people.map((value) => ({ type: IdentityType.EMAIL, value })),
    );
    expect(holders.size).toBe(100);
    expect(holders.get(pioneer)).toBe(pioneerBefore);
    const wallets = await store.findCredentialsByIds(issued.map(({ credentialId }) => credentialId));
    expect(wallets).toHaveLength(250);
    for (const { credentialId, email } of issued) {
      expect(wallets.find((credential) => credential.id === credentialId)!.recipientId).toBe(holders.get(identityKey({ type: IdentityType.EMAIL, value: email })));
    }
    const delivered = (await everything(EventType.CREDENTIAL_DELIVERED)).slice(deliveredBefore);
    expect(delivered.map((event) => credentialDeliveredEvent.parse(event.payload).credentialId).sort()).toEqual(issued.map(({ credentialId }) => credentialId).sort());
    expect((await everything(EventType.RECIPIENT_CREATED)).length - createdBefore).toBe(99);
    // A step reads, looks up, holds, creates, inserts, appends and moves its checkpoint: about a dozen statements,
    // whatever the number of events (one by one it took three or more per event, over 750 here).
    expect(statementsUsed).toBeLessThan(40);
  });
});
