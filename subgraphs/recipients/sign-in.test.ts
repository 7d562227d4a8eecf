import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authenticateApiKey } from '../../lib/auth/api-keys.js';
import { apiKeys } from '../../lib/auth/tables.js';
import type { Viewer } from '../../lib/auth/viewer.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { startTestMailbox, type TestMailbox } from '../../test/helpers/smtp.js';
import { createRecipientStore } from './db/store.js';
import { recipients } from './index.js';
import { readLog } from '../../test/helpers/events.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: '0190a0a0-0000-7000-8000-000000000001' };
const anonymous: Viewer = { kind: 'ANONYMOUS' };

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let mailbox: TestMailbox;

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

const REQUEST_SIGN_IN = `mutation ($email: String!) { requestSignInCode(input: { email: $email }) { expiresAt } }`;
const SIGN_IN = `mutation ($email: String!, $code: String!) {
  signIn(input: { email: $email, code: $code }) { token session { id kind expiresAt } recipient { id identities { type value } } }
}`;
const REQUEST_VERIFY = `mutation ($email: String!) { requestEmailVerification(input: { email: $email }) { expiresAt } }`;
const VERIFY = `mutation ($email: String!, $code: String!) {
  verifyEmail(input: { email: $email, code: $code }) {
    recipient { id identities { value } credentials { totalCount } }
    merge { survivorId mergedRecipientId movedIdentities movedCredentialIds }
  }
}`;

async function signIn(email: string): Promise<{ viewer: Viewer; token: string; recipientId: string; sessionId: string }> {
  await executeAs(subgraph, anonymous, REQUEST_SIGN_IN, { email });
  const code = await mailbox.nextCodeFor(email);
  const result = await executeAs(subgraph, anonymous, SIGN_IN, { email, code });
  expect(result.errors).toBeUndefined();
  const { token, recipient, session } = result.data!.signIn;
  return { viewer: (await authenticateApiKey(deps.database.db, token))!, token, recipientId: recipient.id, sessionId: session.id };
}

async function walletCredential(recipientId: string, name: string): Promise<string> {
  const id = newId();
  await deps.database.db.transaction((tx) =>
    createRecipientStore(deps.database.db).insertCredential(tx, {
      id, recipientId, name, issuedAt: new Date(), document: { id: `urn:uuid:${id}` }, source: 'ISSUED',
    }),
  );
  return id;
}

const codeOfResult = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

describe('recipient sign-in by e-mail code', () => {
  test('known and unknown addresses get the same answer, and a mail with the code', async () => {
    const unknown = await executeAs(subgraph, anonymous, REQUEST_SIGN_IN, { email: 'nobody@example.org' });
    await executeAs(subgraph, admin, `mutation { createRecipient(input: { identities: [{ type: EMAIL, value: "known@example.org" }] }) { recipient { id } } }`);
    const known = await executeAs(subgraph, anonymous, REQUEST_SIGN_IN, { email: 'Known@Example.org' });
    expect(Object.keys(unknown.data!.requestSignInCode)).toEqual(Object.keys(known.data!.requestSignInCode));
    expect(unknown.errors ?? known.errors).toBeUndefined();
    expect((await mailbox.nextMailTo('nobody@example.org')).subject).toBe('Your Cairn sign-in code');
    expect(await mailbox.nextCodeFor('known@example.org')).toMatch(/^\d{6}$/);
  });

  test('the first sign-in creates the recipient and a 12-hour session the gateway accepts', async () => {
    const { viewer, recipientId } = await signIn('first@example.org');
    expect(viewer).toMatchObject({ kind: 'RECIPIENT', recipientId });
    const created = await readLog(deps.database.db, { after: 0, limit: 100, types: [EventType.RECIPIENT_CREATED] });
    expect(created.map((event) => event.recipientId)).toContain(recipientId);
    // Analytics counts credentials delivered to this recipient as claimed from here on.
    const signedIn = await readLog(deps.database.db, { after: 0, limit: 100, types: [EventType.RECIPIENT_SIGNED_IN] });
    // A new recipient holds no issuer's credentials: one unscoped event.
    const own = signedIn.filter((event) => event.recipientId === recipientId);
    expect(own.map((event) => [event.issuerId, event.payload])).toEqual([[null, { recipientId, method: 'EMAIL_CODE', signInId: expect.any(String) }]]);
    const [row] = await deps.database.db.select().from(apiKeys).where(eq(apiKeys.recipientId, recipientId));
    expect(row!.kind).toBe('SESSION');
    expect(row!.expiresAt!.getTime() - row!.createdAt.getTime()).toBeGreaterThan(11.9 * 3600_000);
  });

  test('a code works once; a wrong code is UNAUTHENTICATED', async () => {
    await executeAs(subgraph, anonymous, REQUEST_SIGN_IN, { email: 'once@example.org' });
    const code = await mailbox.nextCodeFor('once@example.org');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(codeOfResult(await executeAs(subgraph, anonymous, SIGN_IN, { email: 'once@example.org', code: wrong }))).toBe('UNAUTHENTICATED');
    expect((await executeAs(subgraph, anonymous, SIGN_IN, { email: 'once@example.org', code })).errors).toBeUndefined();
    expect(codeOfResult(await executeAs(subgraph, anonymous, SIGN_IN, { email: 'once@example.org', code }))).toBe('UNAUTHENTICATED');
  });

  test('after 5 wrong guesses the right code no longer works', async () => {
    await executeAs(subgraph, anonymous, REQUEST_SIGN_IN, { email: 'guess@example.org' });
    const code = await mailbox.nextCodeFor('guess@example.org');
    for (let i = 1; i <= 5; i++) {
      const wrong = String((Number(code) + i) % 1_000_000).padStart(6, '0');
      await executeAs(subgraph, anonymous, SIGN_IN, { email: 'guess@example.org', code: wrong });
    }
    expect(codeOfResult(await executeAs(subgraph, anonymous, SIGN_IN, { email: 'guess@example.org', code }))).toBe('UNAUTHENTICATED');
  });

  test('a sixth code within the hour is TOO_MANY_REQUESTS', async () => {
    for (let i = 0; i < 5; i++) expect((await executeAs(subgraph, anonymous, REQUEST_SIGN_IN, { email: 'flood@example.org' })).errors).toBeUndefined();
    const sixth = await executeAs(subgraph, anonymous, REQUEST_SIGN_IN, { email: 'flood@example.org' });
    expect(codeOfResult(sixth)).toBe('TOO_MANY_REQUESTS');
    expect(sixth.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('identities and merging', () => {
  test('a proven address is added; an unproven one is not', async () => {
    const { viewer } = await signIn('ada@example.org');
    await executeAs(subgraph, viewer, REQUEST_VERIFY, { email: 'ada@work.example' });
    expect(codeOfResult(await executeAs(subgraph, viewer, VERIFY, { email: 'ada@work.example', code: '000000' }))).toBe('BAD_USER_INPUT');
    const code = await mailbox.nextCodeFor('ada@work.example');
    const verified = await executeAs(subgraph, viewer, VERIFY, { email: 'ada@work.example', code });
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyEmail.recipient.identities.map((identity: { value: string }) => identity.value)).toEqual(['ada@example.org', 'ada@work.example']);
    const added = await executeAs(subgraph, viewer, `mutation { addIdentity(input: { type: DID, value: "did:web:victim.example" }) { recipient { id } } }`);
    expect(codeOfResult(added)).toBe('UNAUTHORIZED');
  });

  test('proving an address another record holds merges that record in: identities, credentials and keys move, nothing is lost', async () => {
    const { viewer, recipientId: grace } = await signIn('grace@example.org');
    const ownCredential = await walletCredential(grace, 'Own');
    const other = await executeAs(subgraph, admin, `mutation { createRecipient(input: { name: "G. Hopper", identities: [{ type: EMAIL, value: "grace@navy.example" }, { type: STUDENT_ID, value: "N-1906" }] }) { recipient { id } } }`);
    const otherId = other.data!.createRecipient.recipient.id;
    const otherCredential = await walletCredential(otherId, 'Other');

    await executeAs(subgraph, viewer, REQUEST_VERIFY, { email: 'grace@navy.example' });
    const merged = await executeAs(subgraph, viewer, VERIFY, { email: 'grace@navy.example', code: await mailbox.nextCodeFor('grace@navy.example') });
    expect(merged.errors).toBeUndefined();
    expect(merged.data!.verifyEmail.merge).toEqual({ survivorId: grace, mergedRecipientId: otherId, movedIdentities: 2, movedCredentialIds: [otherCredential] });
    expect(merged.data!.verifyEmail.recipient.credentials.totalCount).toBe(2);

    const wallet = await executeAs(subgraph, viewer, `query ($id: ID!) { recipient(id: $id) { name identities { value } credentials { edges { node { id } } } } }`, { id: grace });
    expect(wallet.data!.recipient.name).toBe('G. Hopper');
    expect(wallet.data!.recipient.identities.map((identity: { value: string }) => identity.value).sort()).toEqual(['N-1906', 'grace@example.org', 'grace@navy.example']);
    expect(wallet.data!.recipient.credentials.edges.map((edge: { node: { id: string } }) => edge.node.id).sort()).toEqual([ownCredential, otherCredential].sort());
    expect((await executeAs(subgraph, admin, `query ($id: ID!) { recipient(id: $id) { id } }`, { id: otherId })).data!.recipient).toBeNull();
    const events = await readLog(deps.database.db, { after: 0, limit: 100, types: [EventType.RECIPIENT_MERGED] });
    expect(events.at(-1)!.payload).toMatchObject({ survivorId: grace, mergedRecipientId: otherId, credentialIds: [otherCredential] });
  });

  test('an operator merges two records directly; a recipient cannot without proof', async () => {
    const create = (email: string) => executeAs(subgraph, admin, `mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
    const a = (await create('alan@example.org')).data!.createRecipient.recipient.id;
    const b = (await create('alan@bletchley.example')).data!.createRecipient.recipient.id;
    const credential = await walletCredential(b, 'Enigma');
    const MERGE = `mutation ($input: MergeRecipientsInput!) { mergeRecipients(input: $input) { recipient { id credentials { totalCount } } merge { movedCredentialIds } } }`;
    const { viewer } = await signIn('alan@example.org');
    expect(codeOfResult(await executeAs(subgraph, viewer, MERGE, { input: { otherRecipientId: b } }))).toBe('BAD_USER_INPUT');
    expect(codeOfResult(await executeAs(subgraph, viewer, MERGE, { input: { otherRecipientId: b, emailProofCode: '123456' } }))).toBe('BAD_USER_INPUT');
    const merged = await executeAs(subgraph, admin, MERGE, { input: { recipientId: a, otherRecipientId: b } });
    expect(merged.errors).toBeUndefined();
    expect(merged.data!.mergeRecipients).toEqual({ recipient: { id: a, credentials: { totalCount: 1 } }, merge: { movedCredentialIds: [credential] } });
  });
});

describe('merging with an e-mail proof code', () => {
  test('a recipient proves an address of another record and merges it: credentials and portfolios come along', async () => {
    const { viewer, recipientId: linus } = await signIn('linus@example.org');
    const other = await executeAs(subgraph, admin, `mutation { createRecipient(input: { identities: [{ type: EMAIL, value: "linus@uni.example" }] }) { recipient { id } } }`);
    const otherId = other.data!.createRecipient.recipient.id;
    const credential = await walletCredential(otherId, 'Kernel hacking');
    const portfolio = await executeAs(subgraph, admin, `mutation ($input: CreatePortfolioInput!) { createPortfolio(input: $input) { portfolio { id } } }`, {
      input: { name: 'Uni', credentialIds: [credential], recipientId: otherId },
    });
    expect(portfolio.errors).toBeUndefined();

    await executeAs(subgraph, viewer, REQUEST_VERIFY, { email: 'linus@uni.example' });
    const code = await mailbox.nextCodeFor('linus@uni.example');
    const merged = await executeAs(subgraph, viewer, `mutation ($input: MergeRecipientsInput!) { mergeRecipients(input: $input) { recipient { id } merge { mergedRecipientId movedCredentialIds } } }`, {
      input: { otherRecipientId: otherId, emailProofCode: code },
    });
    expect(merged.errors).toBeUndefined();
    expect(merged.data!.mergeRecipients).toEqual({ recipient: { id: linus }, merge: { mergedRecipientId: otherId, movedCredentialIds: [credential] } });
    const wallet = await executeAs(subgraph, viewer, `query ($id: ID!) { recipient(id: $id) { credentials { totalCount } portfolios { edges { node { name } } } } }`, { id: linus });
    expect(wallet.errors).toBeUndefined();
    expect(wallet.data!.recipient.credentials.totalCount).toBe(1);
    expect(wallet.data!.recipient.portfolios.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['Uni']);
  });
});

describe('merging wallets that hold the same credential', () => {
  test('the newer copy stays, once; a portfolio listing the older copy now lists the kept one', async () => {
    const create = (email: string) => executeAs(subgraph, admin, `mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
    const survivor = (await create('edsger@example.org')).data!.createRecipient.recipient.id;
    const other = (await create('edsger@eindhoven.example')).data!.createRecipient.recipient.id;
    const copy = async (recipientId: string, validFrom: string) => {
      const id = newId();
      await deps.database.db.transaction((tx) =>
        createRecipientStore(deps.database.db).insertCredential(tx, {
          id, recipientId, name: 'Structured Programming', issuedAt: new Date(validFrom), validFrom: new Date(validFrom),
          issuerUri: 'https://other-hub.example/issuers/1', credentialUri: 'urn:uuid:5e1f-structured', document: { id: 'urn:uuid:5e1f-structured' }, source: 'IMPORTED',
        }),
      );
      return id;
    };
    const older = await copy(survivor, '2024-01-01T00:00:00Z');
    const newer = await copy(other, '2025-01-01T00:00:00Z');
    const portfolio = await executeAs(subgraph, admin, `mutation ($input: CreatePortfolioInput!) { createPortfolio(input: $input) { portfolio { id } } }`, {
      input: { name: 'Classics', credentialIds: [older], recipientId: survivor },
    });
    expect(portfolio.errors).toBeUndefined();

    const merged = await executeAs(subgraph, admin, `mutation ($input: MergeRecipientsInput!) { mergeRecipients(input: $input) { merge { movedCredentialIds replacedCredentialIds } } }`, {
      input: { recipientId: survivor, otherRecipientId: other },
    });
    expect(merged.errors).toBeUndefined();
    expect(merged.data!.mergeRecipients.merge).toEqual({ movedCredentialIds: [newer], replacedCredentialIds: [older] });
    const wallet = await executeAs(subgraph, admin, `query ($id: ID!) { recipient(id: $id) { credentials { edges { node { id } } } portfolios { edges { node { credentials { edges { node { id } } } } } } } }`, { id: survivor });
    expect(wallet.errors).toBeUndefined();
    expect(wallet.data!.recipient.credentials.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([newer]);
    expect(wallet.data!.recipient.portfolios.edges[0].node.credentials.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([newer]);
  });
});

describe('sessions and personal tokens', () => {
  test('a personal token is shown once, listed without its secret, and revocable; expired tokens stop working', async () => {
    const { viewer, recipientId, sessionId, token: sessionToken } = await signIn('tokens@example.org');
    const created = await executeAs(subgraph, viewer, `mutation { createPersonalToken(input: { name: "backup script" }) { token { id kind } secret } }`);
    expect(created.errors).toBeUndefined();
    const { token, secret } = created.data!.createPersonalToken;
    expect(await authenticateApiKey(deps.database.db, secret)).toMatchObject({ kind: 'RECIPIENT', recipientId });

    const listed = await executeAs(subgraph, viewer, `query ($id: ID!) { recipient(id: $id) { accessTokens { id kind name } } }`, { id: recipientId });
    expect(listed.data!.recipient.accessTokens).toEqual([
      { id: sessionId, kind: 'SESSION', name: 'sign-in as tokens@example.org' },
      { id: token.id, kind: 'PERSONAL_TOKEN', name: 'backup script' },
    ]);

    const stranger = (await signIn('stranger@example.org')).viewer;
    expect(codeOfResult(await executeAs(subgraph, stranger, `mutation ($id: ID!) { revokePersonalToken(input: { id: $id }) { token { id } } }`, { id: token.id }))).toBe('NOT_FOUND');
    expect(codeOfResult(await executeAs(subgraph, stranger, `query ($id: ID!) { recipient(id: $id) { id } }`, { id: recipientId }))).toBe('UNAUTHORIZED');

    await executeAs(subgraph, viewer, `mutation ($id: ID!) { revokePersonalToken(input: { id: $id }) { token { revokedAt } } }`, { id: token.id });
    expect(await authenticateApiKey(deps.database.db, secret)).toBeNull();

    await deps.database.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, sessionId));
    expect(await authenticateApiKey(deps.database.db, sessionToken)).toBeNull();
  });

  test('signOut ends the session it came with', async () => {
    const { viewer, token } = await signIn('bye@example.org');
    expect((await executeAs(subgraph, viewer, `mutation { signOut { revoked } }`)).data!.signOut.revoked).toBe(true);
    expect(await authenticateApiKey(deps.database.db, token)).toBeNull();
  });
});
