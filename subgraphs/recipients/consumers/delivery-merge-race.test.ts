import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { consumeBatch } from '../../../lib/events/consumer.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { IdentityType } from '../../../lib/identity.js';
import { newId } from '../../../lib/ids.js';
import { silentLogger } from '../../../lib/log.js';
import type { SubgraphInstance } from '../../../lib/server/types.js';
import { createTestDeps } from '../../../test/helpers/deps.js';
import { executeAs } from '../../../test/helpers/execute.js';
import { createRecipientStore, type RecipientStore } from '../db/store.js';
import { recipients } from '../index.js';
import { walletDeliveryConsumer } from './wallet-delivery.js';

// Issue 10, item 1: wallet delivery found the recipient by identity without a lock and inserted the credential later
// in its transaction; an operator's merge committing in between moved only committed credentials and deleted the
// merged record, leaving the new credential on a recipient that no longer exists. Delivery now applies a batch of
// events at once, and the lock must hold for all of them. PostgreSQL only: it takes two connections in two
// transactions at once.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const issuerId = newId();
const MERGE = `mutation ($a: ID!, $b: ID!) { mergeRecipients(input: { recipientId: $a, otherRecipientId: $b }) { recipient { id } } }`;
const CREATE = `mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`;
/** A promise and the function that settles it (Promise.withResolvers needs Node 22). */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let store: RecipientStore;

beforeAll(async () => {
  deps = await createTestDeps({}, {});
  subgraph = await recipients.create(deps);
  // Its background work (the wallet-delivery consumer) stops here: this test drives delivery itself, paused at will.
  await subgraph.close();
  store = createRecipientStore(deps.database.db);
});
afterAll(() => deps?.dispose());

describe.skipIf(!process.env.DATABASE_URL)('wallet delivery racing a recipient merge', () => {
  test('credentials delivered in one batch while their recipient is merged away land in the survivor’s wallet', async () => {
    const survivor = (await executeAs(subgraph, admin, CREATE, { email: 'ada@survivor.example' })).data!.createRecipient.recipient.id as string;
    const merged = (await executeAs(subgraph, admin, CREATE, { email: 'ada@merged.example' })).data!.createRecipient.recipient.id as string;
    // A batch as bulk issuance writes it: two credentials for the merged record's address and one for a newcomer.
    const issued = [
      { credentialId: newId(), email: 'ada@merged.example' },
      { credentialId: newId(), email: 'grace@newcomer.example' },
      { credentialId: newId(), email: 'ada@merged.example' },
    ];
    await deps.database.db.transaction((tx) =>
      appendEvents(
        tx,
        issued.map(({ credentialId, email }) =>
          credentialIssuedEvent.build({
            credentialId,
            issuerId,
            name: 'Race Conditions 101',
            issuedAt: new Date().toISOString(),
            recipient: { type: IdentityType.EMAIL, value: email },
            document: { '@context': ['https://www.w3.org/ns/credentials/v2'], id: `urn:uuid:${credentialId}` },
          }),
        ),
      ),
    );

    // Delivery pauses after it has found the recipients and before it inserts the credentials: the window of the race.
    const found = signal();
    const resume = signal();
    const paused: RecipientStore = {
      ...store,
      async insertCredentials(tx, rows) {
        found.resolve();
        await resume.promise;
        return store.insertCredentials(tx, rows);
      },
    };
    const delivering = consumeBatch(deps.database.db, walletDeliveryConsumer(paused, silentLogger()));
    await found.promise;
    const merging = executeAs(subgraph, admin, MERGE, { a: survivor, b: merged });
    // Give the merge every chance to commit inside the window (it must wait for the delivery instead).
    await new Promise((resolve) => setTimeout(resolve, 500));
    resume.resolve();
    expect(await delivering).toBe(3);
    expect((await merging).errors).toBeUndefined();

    const delivered = await store.findCredentialsByIds(issued.map((credential) => credential.credentialId));
    const holderOf = (id: string) => delivered.find((credential) => credential.id === id)?.recipientId;
    expect(holderOf(issued[0]!.credentialId)).toBe(survivor);
    expect(holderOf(issued[2]!.credentialId)).toBe(survivor);
    expect(holderOf(issued[1]!.credentialId)).not.toBe(survivor);
    expect(await store.findRecipientsByIds([merged])).toEqual([]);
  });
});
