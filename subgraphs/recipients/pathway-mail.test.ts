import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { pathwayProgressedEvent } from '../../lib/events/contracts/pathway-progressed.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { consumerCheckpoints } from '../../lib/events/tables.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { eventually } from '../../test/helpers/eventually.js';
import { executeAs } from '../../test/helpers/execute.js';
import { startTestMailbox, type TestMailbox } from '../../test/helpers/smtp.js';
import { PATHWAY_MAIL_CONSUMER } from './consumers/pathway-mail.js';
import { pathwayProgressMails } from './db/notification-tables.js';
import { recipients } from './index.js';

// Issue 15: a pathway's followers are told by e-mail when a credential moves them forward, once per step, also when
// the event is read again.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let mailbox: TestMailbox;

async function recipientWith(identities: { type: string; value: string }[]): Promise<string> {
  const created = await executeAs(subgraph, admin, `mutation ($identities: [RecipientIdentityInput!]!) { createRecipient(input: { identities: $identities }) { recipient { id } } }`, { identities });
  expect(created.errors).toBeUndefined();
  return created.data!.createRecipient.recipient.id;
}

const progressed = (recipientId: string, pathwayId: string, percent: number, previousPercent: number) =>
  pathwayProgressedEvent.build({ pathwayId, version: 1, issuerId: newId(), recipientId, pathwayName: 'Data Engineering Track', percent, previousPercent, next: ['r.2'] });

const mailsRecorded = async () => (await deps.database.db.select().from(pathwayProgressMails)).length;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  deps = await createTestDeps({ CAIRN_SMTP_URL: mailbox.url });
  subgraph = await recipients.create(deps);
});
afterAll(async () => {
  await subgraph?.close();
  await deps?.dispose();
  await mailbox?.close();
});

describe('pathway progress mail', () => {
  test('a follower is told how far a credential moved them, and when they completed it, with a link to the pathway', async () => {
    const recipientId = await recipientWith([{ type: 'EMAIL', value: 'ada@example.com' }]);
    const pathwayId = newId();
    await appendEvents(deps.database.db, [progressed(recipientId, pathwayId, 40, 20)]);
    const step = await mailbox.nextMailTo('ada@example.com');
    expect(step.subject).toBe('40% of Data Engineering Track');
    expect(step.text).toContain('from 20% to 40%');
    expect(step.text).toContain(`${deps.config.publicBaseUrl}/pathways/${pathwayId}`);
    await appendEvents(deps.database.db, [progressed(recipientId, pathwayId, 100, 40)]);
    expect((await mailbox.nextMailTo('ada@example.com')).subject).toBe('You completed Data Engineering Track');
  });

  test('read again from the start of the log, no event is mailed twice; a recipient without an address gets none', async () => {
    const withoutMail = await recipientWith([{ type: 'DID', value: 'did:example:no-mailbox' }]);
    await appendEvents(deps.database.db, [progressed(withoutMail, newId(), 50, 0)]);
    expect(await eventually(mailsRecorded, (count) => count === 3)).toBe(3);
    const sent = mailbox.received.length;
    await deps.database.db.update(consumerCheckpoints).set({ cursor: 0 }).where(eq(consumerCheckpoints.consumer, PATHWAY_MAIL_CONSUMER));
    await appendEvents(deps.database.db, [progressed(withoutMail, newId(), 60, 50)]);
    expect(await eventually(mailsRecorded, (count) => count === 4)).toBe(4);
    expect(mailbox.received).toHaveLength(sent);
  });
});
