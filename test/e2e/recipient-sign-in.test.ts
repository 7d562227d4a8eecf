import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keyChangesAcknowledged } from '../../lib/auth/api-key-cache.js';
import { apiKeys } from '../../lib/auth/tables.js';
import { EventType } from '../../lib/events/types.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.js';
import { eventsBreakingTheirContracts, readLog } from '../helpers/events.js';

let hub: TestHub;
let mailbox: TestMailbox;
let ownerKey: string;
let achievementId: string;

const ME = `{ me { kind recipient { id name identities { type value } credentials { totalCount edges { node { id name } } } accessTokens { id kind } } } }`;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  hub = await startTestHub({ CAIRN_SMTP_URL: mailbox.url });
  const issuerId = (await hub.gql(`mutation { createIssuer(input: { name: "Northwind", url: "https://northwind.example" }) { issuer { id } } }`)).data.createIssuer.issuer.id;
  ownerKey = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId }))
    .data.createApiKey.secret;
  const created = await hub.gql(
    `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
    { input: { issuerId, name: 'Accessible Web Forms', description: 'Builds forms that meet WCAG 2.2 AA.', criteria: { narrative: 'A reviewed form project.' }, competencyBased: false } },
    ownerKey,
  );
  achievementId = created.data.createAchievement.achievement.id;
  expect((await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, ownerKey)).errors).toBeUndefined();
});
afterAll(async () => {
  await hub?.dispose();
  await mailbox?.close();
});

async function issueTo(email: string, key: string): Promise<string> {
  const issued = await hub.gql(
    `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`,
    { input: { achievementId, recipient: { email }, idempotencyKey: key, evidence: [] } },
    ownerKey,
  );
  expect(issued.errors).toBeUndefined();
  return issued.data.issueCredential.credential.id;
}

/** Asks for a code as a person would, reads it from the mail, signs in: returns the session token. */
async function signIn(email: string): Promise<string> {
  const asked = await hub.gql(`mutation ($email: String!) { requestSignInCode(input: { email: $email }) { expiresAt } }`, { email }, null);
  expect(asked.errors).toBeUndefined();
  const code = await mailbox.nextCodeFor(email);
  const signedIn = await hub.gql(`mutation ($email: String!, $code: String!) { signIn(input: { email: $email, code: $code }) { token } }`, { email, code }, null);
  expect(signedIn.errors).toBeUndefined();
  return signedIn.data.signIn.token;
}

async function proveEmail(token: string, email: string) {
  expect((await hub.gql(`mutation ($email: String!) { requestEmailVerification(input: { email: $email }) { expiresAt } }`, { email }, token)).errors).toBeUndefined();
  const code = await mailbox.nextCodeFor(email);
  return hub.gql(
    `mutation ($email: String!, $code: String!) { verifyEmail(input: { email: $email, code: $code }) { recipient { identities { value } } merge { mergedRecipientId movedCredentialIds } } }`,
    { email, code },
    token,
  );
}

const walletSize = (result: any) => result.data?.me.recipient?.credentials.totalCount;

describe('a recipient signs in by e-mail and keeps one wallet across addresses', () => {
  let ada: string;
  let adaId: string;
  let firstCredential: string;

  test('request a code, read it from the mail, sign in: me shows the (empty) wallet', async () => {
    ada = await signIn('ada@example.com');
    const me = await hub.gql(ME, {}, ada);
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toMatchObject({ kind: 'RECIPIENT', recipient: { identities: [{ type: 'EMAIL', value: 'ada@example.com' }], credentials: { totalCount: 0 } } });
    expect(me.data.me.recipient.accessTokens).toMatchObject([{ kind: 'SESSION' }]);
    adaId = me.data.me.recipient.id;
  });

  test('a credential issued to the address lands in the wallet', async () => {
    firstCredential = await issueTo('ada@example.com', 'ada-1');
    const me = await eventually(() => hub.gql(ME, {}, ada), (result) => walletSize(result) === 1);
    expect(me.data.me.recipient.credentials.edges[0].node).toMatchObject({ id: firstCredential, name: 'Accessible Web Forms' });
  });

  test('a second, proven address: credentials issued to it land in the same wallet', async () => {
    const proven = await proveEmail(ada, 'ada@work.example');
    expect(proven.errors).toBeUndefined();
    expect(proven.data.verifyEmail.recipient.identities.map((identity: any) => identity.value)).toEqual(['ada@example.com', 'ada@work.example']);
    await issueTo('ada@work.example', 'ada-2');
    const me = await eventually(() => hub.gql(ME, {}, ada), (result) => walletSize(result) === 2);
    expect(walletSize(me)).toBe(2);
  });

  test('another recipient sees only their own wallet, never Ada’s', async () => {
    const bob = await signIn('bob@example.com');
    const me = await hub.gql(ME, {}, bob);
    expect(me.data.me.recipient).toMatchObject({ identities: [{ value: 'bob@example.com' }], credentials: { totalCount: 0 } });
    const wallet = await hub.gql(`query ($id: ID!) { recipient(id: $id) { identities { value } } }`, { id: adaId }, bob);
    expect(wallet.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(JSON.stringify(wallet.data ?? {})).not.toContain('ada@');
    const holder = await hub.gql(`query ($id: ID!) { credential(id: $id) { recipient { identities { value } } } }`, { id: firstCredential }, bob);
    // Refused (UNAUTHORIZED) or hidden (a private wallet credential reads as null): either way nothing of Ada's.
    expect(holder.data?.credential?.recipient ?? null).toBeNull();
    expect(JSON.stringify(holder)).not.toContain('ada@');
  });

  test('an expired session and a revoked token are refused with UNAUTHENTICATED', async () => {
    const carl = await signIn('carl@example.com');
    expect((await hub.gql(ME, {}, carl)).status).toBe(200);
    const [, lookupId] = /^cairn_([A-Za-z0-9_-]{16})_/.exec(carl)!; // the lookup id may itself contain "_"
    await hub.deps.database.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.lookupId, lookupId!));
    // As a service would before answering: the gateway remembers the key, and forgets it when told (api-key-cache.ts).
    await keyChangesAcknowledged(hub.deps.database.db);
    const expired = await hub.gql(ME, {}, carl);
    expect(expired.status).toBe(401);
    expect(expired.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const created = await hub.gql(`mutation { createPersonalToken(input: { name: "cv site" }) { token { id } secret } }`, {}, ada);
    const { token, secret } = created.data.createPersonalToken;
    expect(walletSize(await hub.gql(ME, {}, secret))).toBe(2);
    await hub.gql(`mutation ($id: ID!) { revokePersonalToken(input: { id: $id }) { token { revokedAt } } }`, { id: token.id }, ada);
    const revoked = await hub.gql(ME, {}, secret);
    expect(revoked.status).toBe(401);
    expect(revoked.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const session = await signIn('ada@example.com');
    expect((await hub.gql(`mutation { signOut { revoked } }`, {}, session)).data.signOut.revoked).toBe(true);
    expect((await hub.gql(ME, {}, session)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('proving an address held by another record merges it in and keeps every credential', async () => {
    const oldCredential = await issueTo('ada@old-school.example', 'ada-old');
    const delivered = await eventually(
      () => hub.gql(`query ($id: ID!) { credential(id: $id) { recipient { id } } }`, { id: oldCredential }),
      (result) => result.data?.credential?.recipient != null,
    );
    const oldRecordId = delivered.data.credential.recipient.id;
    expect(oldRecordId).not.toBe(adaId);

    const merged = await proveEmail(ada, 'ada@old-school.example');
    expect(merged.errors).toBeUndefined();
    expect(merged.data.verifyEmail.merge).toEqual({ mergedRecipientId: oldRecordId, movedCredentialIds: [oldCredential] });
    const me = await hub.gql(ME, {}, ada);
    expect(walletSize(me)).toBe(3);
    expect(me.data.me.recipient.identities.map((identity: any) => identity.value)).toEqual(['ada@example.com', 'ada@work.example', 'ada@old-school.example']);
    const events = await readLog(hub.deps.database.db, { after: 0, limit: 1000, types: [EventType.RECIPIENT_MERGED] });
    expect(events.map((event) => event.payload)).toEqual([expect.objectContaining({ survivorId: adaId, mergedRecipientId: oldRecordId })]);

    // Later credentials to the merged address follow it into the surviving wallet.
    await issueTo('ada@old-school.example', 'ada-old-2');
    expect(walletSize(await eventually(() => hub.gql(ME, {}, ada), (result) => walletSize(result) === 4))).toBe(4);
  });
});

describe('the log this file wrote', () => {
  test('every event in it, replayed from cursor 0, parses with its type\'s contract', async () => {
    expect(await eventsBreakingTheirContracts(hub.deps.database.db)).toEqual([]);
  });
});
