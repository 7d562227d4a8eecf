import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { employerKey, issuerWithAchievement, issueTo, type HubIssuer } from '../helpers/employer-view.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Identical operations sent at the same moment by different principals must each be answered for their own asker:
// nothing on the request path (the gateway's in-flight de-duplication of upstream requests, plan caches, loaders,
// verdict caches) may hand one viewer's answer to another. Every access rule in the hub depends on it.

const ROUNDS = 40;

let hub: TestHub;
let issuer: HubIssuer;
let recipient: { id: string; key: string };
let consented: { key: string; employerId: string };
let stranger: { key: string; employerId: string };

beforeAll(async () => {
  hub = await startTestHub();
  issuer = await issuerWithAchievement(hub, { name: 'Isolation Academy', achievement: 'Isolation Testing', skills: [{ framework: 'CUSTOM', code: 'isolation', name: 'Isolation' }], evidenceKind: 'ASSESSMENT' });
  const created = await hub.gql(`mutation { createRecipient(input: { name: "Ada", identities: [{ type: EMAIL, value: "ada@isolation.example" }] }) { recipient { id } } }`);
  expect(created.errors).toBeUndefined();
  const recipientId = created.data.createRecipient.recipient.id as string;
  const { secret } = await createApiKey(hub.deps.database.db, { name: 'Ada', grant: { principal: 'RECIPIENT', recipientId } });
  recipient = { id: recipientId, key: secret };
  await issueTo(hub, issuer, { email: 'ada@isolation.example' }, 'ASSESSMENT', 'isolation-1');
  await eventually(() => hub.gql(`{ me { recipient { credentials { totalCount } } } }`, {}, recipient.key), (r) => r.data?.me.recipient?.credentials.totalCount === 1);
  consented = await employerKey(hub, 'Consented ATS');
  stranger = await employerKey(hub, 'Stranger ATS');
  const granted = await hub.gql(`mutation ($org: ID!) { grantConsent(input: { employerId: $org, scope: ALL }) { consent { id } } }`, { org: consented.employerId }, recipient.key);
  expect(granted.errors).toBeUndefined();
});
afterAll(() => hub?.dispose());

describe('concurrent identical operations by different principals', () => {
  test('{ me } answers every asker with its own identity', async () => {
    const askers: { key: string | null; expected: Record<string, unknown> }[] = [
      { key: hub.adminKey, expected: { kind: 'ADMIN', employerId: null, recipientId: null } },
      { key: issuer.ownerKey, expected: { kind: 'ISSUER', employerId: null, recipientId: null } },
      { key: consented.key, expected: { kind: 'EMPLOYER', employerId: consented.employerId, recipientId: null } },
      { key: stranger.key, expected: { kind: 'EMPLOYER', employerId: stranger.employerId, recipientId: null } },
      { key: recipient.key, expected: { kind: 'RECIPIENT', employerId: null, recipientId: recipient.id } },
      { key: null, expected: { kind: 'ANONYMOUS', employerId: null, recipientId: null } },
    ];
    const answers = await Promise.all(
      Array.from({ length: ROUNDS }, () => askers).flat().map(async (asker) => ({ asker, answer: await hub.gql(`{ me { kind employerId recipientId } }`, {}, asker.key) })),
    );
    const wrong = answers.filter(({ asker, answer }) => JSON.stringify(answer.data?.me) !== JSON.stringify(asker.expected));
    expect(wrong.map(({ asker, answer }) => ({ expected: asker.expected, got: answer.data?.me ?? answer.errors }))).toEqual([]);
  });

  test('an employer without consent never receives the candidate, even asking with the consented one', async () => {
    const CANDIDATE = `query ($id: ID!) { candidate(recipientId: $id) { recipientId credentials(first: 5) { totalCount edges { node { id name } } } } }`;
    const answers = await Promise.all(
      Array.from({ length: ROUNDS }, () => [consented, stranger]).flat().map(async (employer) => ({ employer, answer: await hub.gql(CANDIDATE, { id: recipient.id }, employer.key) })),
    );
    for (const { employer, answer } of answers) {
      if (employer === stranger) {
        expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
        expect(answer.data?.candidate ?? null).toBeNull();
      } else {
        expect(answer.errors).toBeUndefined();
        expect(answer.data.candidate.credentials.totalCount).toBe(1);
      }
    }
  });

  test('a recipient’s wallet reaches only that recipient, asked alongside anonymous callers', async () => {
    const WALLET = `query ($id: ID!) { recipient(id: $id) { id credentials { totalCount } } }`;
    const answers = await Promise.all(
      Array.from({ length: ROUNDS }, () => [recipient.key, null, stranger.key]).flat().map(async (key) => ({ key, answer: await hub.gql(WALLET, { id: recipient.id }, key) })),
    );
    for (const { key, answer } of answers) {
      if (key === recipient.key) expect(answer.data?.recipient?.credentials.totalCount).toBe(1);
      else expect(answer.data?.recipient ?? null).toBeNull();
    }
  });
});
