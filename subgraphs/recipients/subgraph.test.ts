import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { createRecipientStore } from './db/store.js';
import { recipients } from './index.js';
import { readLog } from '../../test/helpers/events.js';

const key = '0190a0a0-0000-7000-8000-000000000001';
const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: key };
const issuerMember: Viewer = { kind: 'ISSUER', apiKeyId: key, issuerId, role: 'ISSUER' };
const employer: Viewer = { kind: 'EMPLOYER', apiKeyId: key, employerId: key };
const anonymous: Viewer = { kind: 'ANONYMOUS' };
const recipientKey = (recipientId: string): Viewer => ({ kind: 'RECIPIENT', apiKeyId: key, recipientId });

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await recipients.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const CREATE = `mutation ($input: CreateRecipientInput!) {
  createRecipient(input: $input) { recipient { id name identities { type value } } }
}`;
const RECIPIENT = `query ($id: ID!) {
  recipient(id: $id) {
    id name identities { type value }
    credentials(first: 10) { totalCount edges { node { id name source issuer { id } achievement { id } } } }
  }
}`;

async function createRecipient(viewer: Viewer, name: string | null, identities: { type: string; value: string }[]) {
  return executeAs(subgraph, viewer, CREATE, { input: { name, identities } });
}

describe('recipients subgraph', () => {
  let ada: string;
  let grace: string;

  test('createRecipient as ADMIN stores normalised identities and writes RecipientCreated in the same transaction', async () => {
    const result = await createRecipient(admin, ' Ada Lovelace ', [
      { type: 'EMAIL', value: ' Ada@Example.org' },
      { type: 'EMAIL', value: 'ada@example.org' },
      { type: 'PHONE', value: '+44 20-7946 0000' },
    ]);
    expect(result.errors).toBeUndefined();
    const recipient = result.data!.createRecipient.recipient;
    expect(recipient).toMatchObject({
      name: 'Ada Lovelace',
      identities: [
        { type: 'EMAIL', value: 'ada@example.org' },
        { type: 'PHONE', value: '+442079460000' },
      ],
    });
    ada = recipient.id;
    const events = await readLog(deps.database.db, { after: 0, limit: 10, types: [EventType.RECIPIENT_CREATED] });
    // Version 2 names the identities (as typed by an operator: not proved), so the issuers subgraph can reach the recipient.
    expect(events.map((event) => [event.recipientId, event.payload])).toEqual([
      [
        ada,
        {
          recipientId: ada,
          identities: [
            { type: 'EMAIL', value: 'ada@example.org', verified: false },
            { type: 'PHONE', value: '+442079460000', verified: false },
          ],
        },
      ],
    ]);
  });

  test('createRecipient as an issuer member', async () => {
    const result = await createRecipient(issuerMember, null, [{ type: 'DID', value: 'did:web:grace.example' }]);
    expect(result.errors).toBeUndefined();
    grace = result.data!.createRecipient.recipient.id;
    expect(result.data!.createRecipient.recipient).toMatchObject({ name: null, identities: [{ type: 'DID', value: 'did:web:grace.example' }] });
  });

  test('an identity that already belongs to a recipient is a CONFLICT naming that recipient, and nothing is written', async () => {
    const result = await createRecipient(admin, 'Someone', [
      { type: 'STUDENT_ID', value: 'S-1' },
      { type: 'EMAIL', value: 'ADA@example.org ' },
    ]);
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(result.errors?.[0]?.extensions?.recipientId).toBe(ada);
    const again = await createRecipient(admin, 'Someone', [{ type: 'STUDENT_ID', value: 'S-1' }]);
    expect(again.errors).toBeUndefined();
  });

  test('concurrent registrations of one identity end in one recipient and one CONFLICT', async () => {
    const results = await Promise.all([
      createRecipient(admin, 'Twin', [{ type: 'EMAIL', value: 'twin@example.org' }]),
      createRecipient(admin, 'Twin', [{ type: 'EMAIL', value: 'twin@example.org' }]),
    ]);
    const codes = results.map((result) => result.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const winner = results.find((result) => !result.errors)!.data!.createRecipient.recipient.id;
    expect(results.find((result) => result.errors)!.errors![0]!.extensions!.recipientId).toBe(winner);
  });

  test('invalid identities are BAD_USER_INPUT naming the field', async () => {
    const result = await createRecipient(admin, null, [{ type: 'EMAIL', value: 'nope' }]);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'identities[0].value' });
  });

  test('employers may not register recipients; anonymous callers must authenticate', async () => {
    const byEmployer = await createRecipient(employer, null, [{ type: 'EMAIL', value: 'x@example.org' }]);
    expect(byEmployer.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const byAnonymous = await createRecipient(anonymous, null, [{ type: 'EMAIL', value: 'x@example.org' }]);
    expect(byAnonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('recipient(id) works for ADMIN and for that RECIPIENT, and is UNAUTHORIZED for another recipient', async () => {
    const credentialId = newId();
    await deps.database.db.transaction((tx) =>
      createRecipientStore(deps.database.db).insertCredential(tx, {
        id: credentialId,
        recipientId: ada,
        issuerId,
        name: 'Analytical Engines 101',
        issuedAt: new Date('2025-01-01T00:00:00Z'),
        document: { id: `urn:uuid:${credentialId}` },
        source: 'ISSUED',
      }),
    );
    for (const viewer of [admin, recipientKey(ada)]) {
      const result = await executeAs(subgraph, viewer, RECIPIENT, { id: ada });
      expect(result.errors).toBeUndefined();
      expect(result.data!.recipient).toMatchObject({
        id: ada,
        identities: [{ type: 'EMAIL' }, { type: 'PHONE' }],
        credentials: {
          totalCount: 1,
          edges: [{ node: { id: credentialId, name: 'Analytical Engines 101', source: 'ISSUED', issuer: { id: issuerId }, achievement: null } }],
        },
      });
    }
    const other = await executeAs(subgraph, recipientKey(grace), RECIPIENT, { id: ada });
    expect(other.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(other.data?.recipient).toBeNull();
    const byIssuer = await executeAs(subgraph, issuerMember, RECIPIENT, { id: ada });
    expect(byIssuer.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const byAnonymous = await executeAs(subgraph, anonymous, RECIPIENT, { id: ada });
    expect(byAnonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('credential(id) follows its visibility (PRIVATE by default), but its holder is never public', async () => {
    const [page] = (await createRecipientStore(deps.database.db).credentialPagesByRecipientIds([ada], { afterId: null, limit: 2, size: 1 })).values();
    const credentialId = page!.rows[0]!.id;
    const hidden = await executeAs(subgraph, anonymous, `query ($id: ID!) { credential(id: $id) { id } }`, { id: credentialId });
    expect(hidden.data!.credential).toBeNull();
    await executeAs(subgraph, recipientKey(ada), `mutation ($id: ID!) { setCredentialVisibility(input: { credentialId: $id, visibility: PUBLIC }) { credential { id } } }`, { id: credentialId });
    const result = await executeAs(subgraph, anonymous, `query ($id: ID!) { credential(id: $id) { id name document issuer { id } } }`, { id: credentialId });
    expect(result.errors).toBeUndefined();
    expect(result.data!.credential).toEqual({
      id: credentialId,
      name: 'Analytical Engines 101',
      document: { id: `urn:uuid:${credentialId}` },
      issuer: { id: issuerId },
    });
    const holder = await executeAs(subgraph, employer, `query ($id: ID!) { credential(id: $id) { id recipient { id } } }`, { id: credentialId });
    expect(holder.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const own = await executeAs(subgraph, recipientKey(ada), `query ($id: ID!) { credential(id: $id) { recipient { id } } }`, { id: credentialId });
    expect(own.data!.credential).toEqual({ recipient: { id: ada } });
  });

  test('recipients pages with Relay cursors, operators only', async () => {
    const first = await executeAs(subgraph, admin, `{ recipients(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.errors).toBeUndefined();
    const page = first.data!.recipients;
    expect(page.totalCount).toBe(4);
    expect(page.edges.map((edge: any) => edge.node.id)).toEqual([ada, grace]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const second = await executeAs(subgraph, admin, `query ($after: String) { recipients(first: 5, after: $after) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage } } }`, {
      after: page.pageInfo.endCursor,
    });
    expect(second.data!.recipients.edges.map((edge: any) => edge.node.name)).toEqual(['Someone', 'Twin']);
    expect(second.data!.recipients.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const byRecipient = await executeAs(subgraph, recipientKey(ada), `{ recipients { totalCount } }`);
    expect(byRecipient.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  test('Recipient and Credential resolve through _entities, unknown ids as null', async () => {
    const credential = await executeAs(subgraph, admin, `query ($id: ID!) { recipient(id: $id) { credentials { edges { node { id } } } } }`, { id: ada });
    const credentialId = credential.data!.recipient.credentials.edges[0].node.id;
    const missing = newId();
    const result = await executeAs(
      subgraph,
      anonymous,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Recipient { id name identities { value } }
        ... on Credential { id name }
      } }`,
      {
        representations: [
          { __typename: 'Recipient', id: ada },
          { __typename: 'Credential', id: credentialId },
          { __typename: 'Recipient', id: missing },
          { __typename: 'Credential', id: missing },
          { __typename: 'Recipient', id: 'not-a-uuid' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([
      { id: ada, name: 'Ada Lovelace', identities: [{ value: 'ada@example.org' }, { value: '+442079460000' }] },
      { id: credentialId, name: 'Analytical Engines 101' },
      null,
      null,
      null,
    ]);
  });

  test('the running subgraph delivers CredentialIssued events to wallets in the background', async () => {
    const credentialId = newId();
    await deps.database.db.transaction((tx) =>
      appendEvents(tx, [
        {
          type: EventType.CREDENTIAL_ISSUED,
          issuerId,
          payload: {
            credentialId,
            issuerId,
            achievementId: null,
            name: 'Compilers',
            issuedAt: new Date().toISOString(),
            validUntil: null,
            recipient: { type: 'DID', value: 'did:web:grace.example' },
            document: { id: `urn:uuid:${credentialId}` },
          },
        },
      ]),
    );
    await vi.waitFor(
      async () => {
        const result = await executeAs(subgraph, recipientKey(grace), `query ($id: ID!) { credential(id: $id) { recipient { id } } }`, { id: credentialId });
        expect(result.data?.credential).toEqual({ recipient: { id: grace } });
      },
      { timeout: 10_000, interval: 100 },
    );
  });
});
