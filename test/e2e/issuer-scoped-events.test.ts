import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collect } from '../helpers/deferred.js';
import { employerKey, issuerWithAchievement, issueTo, type HubIssuer } from '../helpers/employer-view.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.js';

// Issue 16, credentialEvents: an issuer's members follow the shares, share views and sign-ins of their own credentials'
// holders live through the gateway. A share of two issuers' credentials reaches each issuer as its own part only: the
// other issuer's credential ids never reach it. A sign-in reaches the issuers whose credentials the recipient holds.

let hub: TestHub;
let mailbox: TestMailbox;
let alder: HubIssuer;
let birch: HubIssuer;
let employer: { key: string; employerId: string };

const EVENTS = `subscription ($after: String) {
  credentialEvents(after: $after, types: [CREDENTIAL_SHARED, SHARE_VIEWED, RECIPIENT_SIGNED_IN]) { cursor type issuer { id } recipientId payload }
}`;
interface LiveEvent {
  credentialEvents: { cursor: string; type: string; issuer: { id: string } | null; recipientId: string | null; payload: Record<string, any> };
}

async function signIn(email: string): Promise<{ token: string; recipientId: string }> {
  await hub.gql(`mutation ($email: String!) { requestSignInCode(input: { email: $email }) { expiresAt } }`, { email }, null);
  const code = await mailbox.nextCodeFor(email);
  const signedIn = await hub.gql(`mutation ($email: String!, $code: String!) { signIn(input: { email: $email, code: $code }) { token recipient { id } } }`, { email, code }, null);
  expect(signedIn.errors).toBeUndefined();
  return { token: signedIn.data.signIn.token, recipientId: signedIn.data.signIn.recipient.id };
}

async function heldCount(token: string, count: number): Promise<void> {
  const held = await eventually(() => hub.gql(`{ me { recipient { credentials { totalCount } } } }`, {}, token), (r) => r.data?.me.recipient.credentials.totalCount === count);
  expect(held.data.me.recipient.credentials.totalCount).toBe(count);
}

beforeAll(async () => {
  mailbox = await startTestMailbox();
  // Share views are appended every second here, so they reach the subscribers while the test waits.
  hub = await startTestHub({ CAIRN_SMTP_URL: mailbox.url, SHARE_VIEWS_FLUSH_SECONDS: '1' });
  const skills = [{ framework: 'CUSTOM' as const, code: 'scoping', name: 'Scoping' }];
  alder = await issuerWithAchievement(hub, { name: 'Alder Academy', achievement: 'Alder Skill', skills, evidenceKind: 'ASSESSMENT' });
  birch = await issuerWithAchievement(hub, { name: 'Birch Institute', achievement: 'Birch Skill', skills, evidenceKind: 'ASSESSMENT' });
  employer = await employerKey(hub, 'Scoped ATS');
});
afterAll(async () => {
  await hub?.dispose();
  await mailbox?.close();
});

describe("an issuer's credentialEvents carry the shares, views and sign-ins of its own credentials only", () => {
  test('a mixed share reaches each issuer as its own part; sign-ins reach the issuers the recipient holds credentials of', async () => {
    const ada = await signIn('ada@scoped.example');
    const alderCredential = (await issueTo(hub, alder, { email: 'ada@scoped.example' }, 'ASSESSMENT', 'scoped-ada-alder')).id;
    const birchCredential = (await issueTo(hub, birch, { email: 'ada@scoped.example' }, 'ASSESSMENT', 'scoped-ada-birch')).id;
    await heldCount(ada.token, 2);
    const bo = await signIn('bo@scoped.example');
    await issueTo(hub, birch, { email: 'bo@scoped.example' }, 'ASSESSMENT', 'scoped-bo-birch');
    await heldCount(bo.token, 1);

    const after = String(await hub.deps.feed.head());
    const alderEvents = collect<LiveEvent>(hub.wsClient(alder.ownerKey), EVENTS, { after });
    const birchEvents = collect<LiveEvent>(hub.wsClient(birch.ownerKey), EVENTS, { after });

    await signIn('ada@scoped.example');
    const created = await hub.gql(
      `mutation ($input: CreateShareInput!) { createShare(input: $input) { token share { id } } }`,
      { input: { credentialIds: [alderCredential, birchCredential], audience: 'EMPLOYER', employerId: employer.employerId } },
      ada.token,
    );
    expect(created.errors).toBeUndefined();
    const shareId = created.data.createShare.share.id;
    const opened = await hub.gql(`query ($token: String!) { share(token: $token) { recipientId } }`, { token: created.data.createShare.token }, employer.key);
    expect(opened.errors).toBeUndefined();

    const alderSeen = (await alderEvents.waitFor(3)).map((event) => event.credentialEvents);
    expect(alderSeen.map((event) => event.type)).toEqual(['RECIPIENT_SIGNED_IN', 'CREDENTIAL_SHARED', 'SHARE_VIEWED']);
    for (const event of alderSeen) expect(event).toMatchObject({ issuer: { id: alder.issuerId }, recipientId: ada.recipientId });
    expect(alderSeen[1]!.payload).toMatchObject({ channel: 'SHARE_LINK', shareId, credentialIds: [alderCredential] });
    expect(alderSeen[2]!.payload).toMatchObject({ shareId, credentialIds: [alderCredential], viewer: { kind: 'EMPLOYER', id: employer.employerId } });

    // Bo holds only Birch's credential: Birch hears of his sign-in, Alder does not (Ada's next sign-in, after Bo's in
    // the log, is the next thing Alder hears of).
    await signIn('bo@scoped.example');
    await signIn('ada@scoped.example');
    const birchSeen = (await birchEvents.waitFor(5)).map((event) => event.credentialEvents);
    expect(birchSeen.map((event) => [event.type, event.recipientId])).toEqual([
      ['RECIPIENT_SIGNED_IN', ada.recipientId],
      ['CREDENTIAL_SHARED', ada.recipientId],
      ['SHARE_VIEWED', ada.recipientId],
      ['RECIPIENT_SIGNED_IN', bo.recipientId],
      ['RECIPIENT_SIGNED_IN', ada.recipientId],
    ]);
    for (const event of birchSeen) expect(event.issuer).toEqual({ id: birch.issuerId });
    expect(birchSeen[1]!.payload).toMatchObject({ shareId, credentialIds: [birchCredential] });
    expect(birchSeen[2]!.payload).toMatchObject({ shareId, credentialIds: [birchCredential] });

    const alderLater = (await alderEvents.waitFor(4)).map((event) => event.credentialEvents);
    expect(alderLater[3]).toMatchObject({ type: 'RECIPIENT_SIGNED_IN', issuer: { id: alder.issuerId }, recipientId: ada.recipientId });
    expect(alderLater.map((event) => event.recipientId)).not.toContain(bo.recipientId);
    // Neither issuer ever received the other's credential id.
    expect(alderEvents.results).toHaveLength(4);
    expect(JSON.stringify(alderEvents.results)).not.toContain(birchCredential);
    expect(JSON.stringify(birchEvents.results)).not.toContain(alderCredential);
    alderEvents.unsubscribe();
    birchEvents.unsubscribe();
  });
});
