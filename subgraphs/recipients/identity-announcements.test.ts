import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { events } from '../../lib/events/tables.js';
import { EventType } from '../../lib/events/types.js';
import { IdentityType } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createIdentityStore } from './db/identity-store.js';
import { createRecipientStore } from './db/store.js';
import { recipientIdentities } from './db/tables.js';
import { announceOlderIdentities } from './services/identity-announcements.js';

// Recipients opened before RecipientCreated carried identities are unknown to the issuers subgraph's projection, so a
// pathway award for someone whose member credentials were all imported had no address to go to. Migration 0032 marks
// their identities, and each is named once by a RecipientIdentityAdded.

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.dispose());

const identityEvents = async () =>
  (await deps.database.db.select({ payload: events.payload }).from(events).where(eq(events.type, EventType.RECIPIENT_IDENTITY_ADDED))).map((row) => row.payload);

test('identities older than RecipientCreated v2 are each named once, by replicas racing too; new ones are not named again', async () => {
  const { db } = deps.database;
  const store = createRecipientStore(db);
  const older = Array.from({ length: 7 }, (_, n) => ({ id: newId(), email: `older${n}@example.com` }));
  for (const person of older) await db.transaction((tx) => store.insertRecipient(tx, { id: person.id }, [{ type: IdentityType.EMAIL, value: person.email }]));
  // What migration 0032 does to every row it finds.
  await db.update(recipientIdentities).set({ announced: false });
  const newer = newId();
  await db.transaction((tx) => store.insertRecipient(tx, { id: newer }, [{ type: IdentityType.EMAIL, value: 'newer@example.com' }]));

  const identities = createIdentityStore();
  const named = await Promise.all([announceOlderIdentities(db, identities, deps.log), announceOlderIdentities(db, identities, deps.log)]);
  expect(named[0] + named[1]).toBe(7);
  const payloads = await identityEvents();
  expect(payloads).toHaveLength(7);
  expect(payloads).toEqual(expect.arrayContaining(older.map((person) => ({ recipientId: person.id, identity: { type: IdentityType.EMAIL, value: person.email }, verified: false }))));

  expect(await announceOlderIdentities(db, identities, deps.log)).toBe(0);
  expect(await identityEvents()).toHaveLength(7);
});
