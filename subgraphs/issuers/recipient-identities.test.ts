import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { consumeBatch } from '../../lib/events/consumer.js';
import { recipientCreatedEvent } from '../../lib/events/contracts/recipient-created.js';
import { recipientIdentityAddedEvent } from '../../lib/events/contracts/recipient-identity-added.js';
import { recipientMergedEvent } from '../../lib/events/contracts/recipient-merged.js';
import { consumerCheckpoints } from '../../lib/events/tables.js';
import { EventType } from '../../lib/events/types.js';
import { IdentityType } from '../../lib/identity.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { appendSequenced, insertEventsUnchecked } from '../../test/helpers/events.js';
import { RECIPIENT_IDENTITIES_CONSUMER, recipientIdentitiesConsumer } from './consumers/recipient-identities.js';
import { createRecipientIdentityStore } from './db/recipient-identity-store.js';
import { recipientIdentityProjection } from './db/recipient-identity-tables.js';
import { createRecipientIdentitiesService } from './services/recipient-identities.js';

// The issuers subgraph's projection of recipients' identities, fed by the recipients subgraph's events through its
// checkpointed consumer: what an award goes to when every member credential of a pathway was imported.

let deps: Awaited<ReturnType<typeof createTestDeps>>;
const identities = createRecipientIdentitiesService({ store: createRecipientIdentityStore() });
const ada = '0190a0a0-0000-7000-8000-0000000000a1';
const adaOld = '0190a0a0-0000-7000-8000-0000000000a2';
const grace = '0190a0a0-0000-7000-8000-0000000000a3';

const project = async () => {
  const consumer = recipientIdentitiesConsumer(identities, deps.log);
  while ((await consumeBatch(deps.database.db, consumer)) > 0);
};
const awardIdentityOf = (recipientId: string) => identities.awardIdentityOf(deps.database.db, recipientId);
const rows = () => deps.database.db.select().from(recipientIdentityProjection).orderBy(recipientIdentityProjection.value);

beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.dispose());

describe('the recipient-identities projection', () => {
  test('identities a record was opened with (version 2) and added later; version 1 names none and still reads', async () => {
    await insertEventsUnchecked(deps.database.db, [{ type: EventType.RECIPIENT_CREATED, recipientId: grace, payload: { recipientId: grace } }]);
    await appendSequenced(deps.database.db, [
      recipientCreatedEvent.build({ recipientId: ada, identities: [{ type: IdentityType.STUDENT_ID, value: 'S-1', verified: false }, { type: IdentityType.EMAIL, value: 'ada@work.example', verified: false }] }),
      recipientIdentityAddedEvent.build({ recipientId: ada, identity: { type: IdentityType.DID, value: 'did:web:ada.example' }, verified: true }),
    ]);
    await project();
    expect(await awardIdentityOf(grace)).toBeNull();
    // An unproved e-mail address still beats a proved DID: e-mail is how the wallet reaches people.
    expect(await awardIdentityOf(ada)).toEqual({ type: IdentityType.EMAIL, value: 'ada@work.example' });
    await appendSequenced(deps.database.db, [recipientIdentityAddedEvent.build({ recipientId: ada, identity: { type: IdentityType.EMAIL, value: 'ada@home.example' }, verified: true })]);
    await project();
    expect(await awardIdentityOf(ada)).toEqual({ type: IdentityType.EMAIL, value: 'ada@home.example' });
  });

  test('a merge moves every identity of the merged record to the survivor, proof kept; the merged id knows none', async () => {
    await appendSequenced(deps.database.db, [
      recipientCreatedEvent.build({ recipientId: adaOld, identities: [{ type: IdentityType.EMAIL, value: 'ada@school.example', verified: true }] }),
      recipientIdentityAddedEvent.build({ recipientId: adaOld, identity: { type: IdentityType.PHONE, value: '+442079460000' } }),
      recipientMergedEvent.build({
        survivorId: ada,
        mergedRecipientId: adaOld,
        reason: 'EMAIL_PROOF',
        identities: [
          { type: IdentityType.EMAIL, value: 'ada@school.example' },
          { type: IdentityType.PHONE, value: '+442079460000' },
        ],
        credentialIds: [],
        replacedCredentialIds: [],
      }),
    ]);
    await project();
    expect(await awardIdentityOf(adaOld)).toBeNull();
    const survivors = (await rows()).filter((row) => row.recipientId === ada).map(({ type, value, verified }) => ({ type, value, verified }));
    expect(survivors).toEqual(
      expect.arrayContaining([
        { type: IdentityType.EMAIL, value: 'ada@school.example', verified: true },
        { type: IdentityType.PHONE, value: '+442079460000', verified: false },
        { type: IdentityType.EMAIL, value: 'ada@home.example', verified: true },
      ]),
    );
    expect(survivors).toHaveLength(6);
    // Both verified e-mail addresses: the one added most recently (the merge re-added the school's) wins.
    expect(await awardIdentityOf(ada)).toEqual({ type: IdentityType.EMAIL, value: 'ada@school.example' });
  });

  test('one step applies a batch in log order, even where an identity repeats: the result is what one event at a time gives', async () => {
    const linus = '0190a0a0-0000-7000-8000-0000000000a4';
    const margaret = '0190a0a0-0000-7000-8000-0000000000a5';
    const many = Array.from({ length: 300 }, (_, n) =>
      recipientCreatedEvent.build({ recipientId: `0190a0a0-0000-7000-8000-1${String(n).padStart(11, '0')}`, identities: [{ type: IdentityType.EMAIL, value: `holder-${n}@bulk.example`, verified: false }] }),
    );
    await appendSequenced(deps.database.db, [
      recipientCreatedEvent.build({ recipientId: linus, identities: [{ type: IdentityType.EMAIL, value: 'shared@desk.example', verified: true }] }),
      ...many,
      // Proved for Linus, then re-added to him unproved: still proved (same recipient).
      recipientIdentityAddedEvent.build({ recipientId: linus, identity: { type: IdentityType.EMAIL, value: 'shared@desk.example' }, verified: false }),
      // Then it moves to Margaret unproved: hers, and not proved.
      recipientIdentityAddedEvent.build({ recipientId: margaret, identity: { type: IdentityType.EMAIL, value: 'shared@desk.example' }, verified: false }),
    ]);
    const consumer = recipientIdentitiesConsumer(identities, deps.log);
    expect(await consumeBatch(deps.database.db, consumer)).toBe(303);
    const shared = (await rows()).filter((row) => row.value === 'shared@desk.example').map(({ recipientId, verified }) => ({ recipientId, verified }));
    expect(shared).toEqual([{ recipientId: margaret, verified: false }]);
    expect((await rows()).filter((row) => row.value.endsWith('@bulk.example'))).toHaveLength(300);
    expect(await awardIdentityOf(linus)).toBeNull();
  });

  test('replaying the whole log from cursor 0 leaves the projection as it was', async () => {
    const before = (await rows()).map(({ updatedAt: _updatedAt, ...row }) => row);
    await deps.database.db.update(consumerCheckpoints).set({ cursor: 0 }).where(eq(consumerCheckpoints.consumer, RECIPIENT_IDENTITIES_CONSUMER));
    await project();
    expect((await rows()).map(({ updatedAt: _updatedAt, ...row }) => row)).toEqual(before);
  });
});
