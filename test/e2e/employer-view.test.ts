import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bakePng } from '../../lib/badges/bake.js';
import { renderPng } from '../../lib/badges/render.js';
import { EventType } from '../../lib/events/types.js';
import { employerKey, ESCO_SQL, externalIssuer, issuerWithAchievement, issueTo, someDid, type HubIssuer } from '../helpers/employer-view.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.js';
import { eventsBreakingTheirContracts, readLog } from '../helpers/events.js';

// The employer's view through the real gateway: one recipient holds credentials from three Cairn issuers (delivered to
// two proven e-mail addresses and a DID), an imported credential signed here and a baked PNG; a share of four of them
// is read by the named employer with issuer, achievement, skills, status and verdict from the four subgraphs, and
// stacked skills across issuers. Revoked shares, missing consent and other recipients get nothing.

let hub: TestHub;
let mailbox: TestMailbox;
let ada: { id: string; token: string };
let acme: { key: string; employerId: string };
let globex: { key: string; employerId: string };
let northwind: HubIssuer;
let harbor: HubIssuer;
let summit: HubIssuer;
const wallet: Record<'sql' | 'pipelines' | 'leadership' | 'teamwork' | 'baked', string> = {} as never;

async function signIn(email: string): Promise<string> {
  await hub.gql(`mutation ($email: String!) { requestSignInCode(input: { email: $email }) { expiresAt } }`, { email }, null);
  const code = await mailbox.nextCodeFor(email);
  const signedIn = await hub.gql(`mutation ($email: String!, $code: String!) { signIn(input: { email: $email, code: $code }) { token recipient { id } } }`, { email, code }, null);
  expect(signedIn.errors).toBeUndefined();
  return signedIn.data.signIn.token;
}

const IMPORT = `mutation ($input: ImportCredentialInput!) { importCredential(input: $input) { duplicate verdict { status } credential { id } } }`;
const VIEW_FIELDS = `recipientId displayName access
  credentials(first: 10) { totalCount edges { cursor node {
    id name issuerName validFrom issuer { name } achievement { name } skills { framework code }
    issuance { status } verification { status verified }
  } } }
  stackedSkills { id framework code credentialCount strongestEvidence mostRecentAt allCredentialsVerified credentials { id } }`;
const SHARE = `query ($token: String!) { share(token: $token) { ${VIEW_FIELDS} } }`;
const CANDIDATE = `query ($id: ID!) { candidate(recipientId: $id) { ${VIEW_FIELDS} } }`;
const CREATE_SHARE = `mutation ($input: CreateShareInput!) { createShare(input: $input) { token share { id url audience expiresAt employerId } } }`;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  // Views are counted and appended every second here, so the log shows them while the hub runs.
  hub = await startTestHub({ CAIRN_SMTP_URL: mailbox.url, SHARE_VIEWS_FLUSH_SECONDS: '1' });
  northwind = await issuerWithAchievement(hub, {
    name: 'Northwind Academy',
    achievement: 'SQL Query Fundamentals',
    skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL' }, { framework: 'CUSTOM', code: 'query-tuning', name: 'Query tuning' }],
    evidenceKind: 'ASSESSMENT',
  });
  harbor = await issuerWithAchievement(hub, {
    name: 'Harbor Institute',
    achievement: 'Data Pipelines',
    skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL' }, { framework: 'ONET', code: '15-1243.00', name: 'Database Architects' }],
    evidenceKind: 'PROJECT',
  });
  summit = await issuerWithAchievement(hub, {
    name: 'Summit College',
    achievement: 'Team Leadership',
    skills: [{ framework: 'LIGHTCAST', code: 'KS1200364C9C1LK3V5Q1', name: 'Leadership' }],
    evidenceKind: 'PEER_REVIEW',
  });
  acme = await employerKey(hub, 'Acme ATS');
  globex = await employerKey(hub, 'Globex ATS');

  // Ada signs in with one address, proves a second, and an operator adds her DID.
  const token = await signIn('ada@one.example');
  const me = await hub.gql(`{ me { recipient { id } } }`, {}, token);
  ada = { id: me.data.me.recipient.id, token };
  expect((await hub.gql(`mutation { requestEmailVerification(input: { email: "ada@two.example" }) { expiresAt } }`, {}, token)).errors).toBeUndefined();
  const code = await mailbox.nextCodeFor('ada@two.example');
  expect((await hub.gql(`mutation ($code: String!) { verifyEmail(input: { email: "ada@two.example", code: $code }) { recipient { id } } }`, { code }, token)).errors).toBeUndefined();
  const did = someDid();
  expect((await hub.gql(`mutation ($id: ID!, $did: String!) { addIdentity(input: { recipientId: $id, type: DID, value: $did }) { recipient { id } } }`, { id: ada.id, did })).errors).toBeUndefined();

  wallet.sql = (await issueTo(hub, northwind, { email: 'ada@one.example' }, 'ASSESSMENT', 'ada-sql')).id;
  wallet.pipelines = (await issueTo(hub, harbor, { email: 'ada@two.example' }, 'PROJECT', 'ada-pipelines')).id;
  wallet.leadership = (await issueTo(hub, summit, { did }, 'PEER_REVIEW', 'ada-leadership')).id;
  const delivered = await eventually(() => hub.gql(`{ me { recipient { credentials { totalCount } } } }`, {}, token), (r) => r.data?.me.recipient.credentials.totalCount === 3);
  expect(delivered.data.me.recipient.credentials.totalCount).toBe(3);

  const delta = externalIssuer('Delta Bootcamp');
  const sqlAlignment = { type: ['Alignment'], targetName: 'SQL', targetUrl: ESCO_SQL, targetCode: ESCO_SQL, targetFramework: 'ESCO', targetType: 'ceasn:Competency' };
  const teamwork = await delta({ id: 'urn:uuid:0f1e2d3c-delta-teamwork', achievement: { alignment: [sqlAlignment] }, evidence: [{ type: ['Evidence'], genre: 'Project', narrative: 'A team database project.' }] });
  const imported = await hub.gql(IMPORT, { input: { credential: teamwork } }, token);
  expect(imported.data.importCredential).toMatchObject({ duplicate: false, verdict: { status: 'VALID' } });
  wallet.teamwork = imported.data.importCredential.credential.id;
  const square = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#2a6"/></svg>';
  const baked = bakePng(renderPng(square, 64), await delta({ id: 'urn:uuid:0f1e2d3c-delta-baked' })).toString('base64');
  const fromPng = await hub.gql(IMPORT, { input: { image: baked } }, token);
  expect(fromPng.data.importCredential).toMatchObject({ duplicate: false, verdict: { status: 'VALID' } });
  wallet.baked = fromPng.data.importCredential.credential.id;
});
afterAll(async () => {
  await hub?.dispose();
  await mailbox?.close();
});

describe('a share read by the employer it names', () => {
  let token: string;
  let shareId: string;

  test('createShare of four credentials: a link with the token, CredentialShared in the log, one part per issuer', async () => {
    const credentialIds = [wallet.sql, wallet.pipelines, wallet.leadership, wallet.teamwork];
    const created = await hub.gql(CREATE_SHARE, { input: { credentialIds, audience: 'EMPLOYER', employerId: acme.employerId } }, ada.token);
    expect(created.errors).toBeUndefined();
    ({ token } = created.data.createShare);
    shareId = created.data.createShare.share.id;
    expect(created.data.createShare.share).toMatchObject({ audience: 'EMPLOYER', employerId: acme.employerId, url: `${hub.deps.config.publicBaseUrl}/shares/${token}` });
    const shared = await readLog(hub.deps.database.db, { after: 0, limit: 1000, types: [EventType.CREDENTIAL_SHARED] });
    const parts = shared.filter((event) => event.payload.shareId === shareId).map((event) => [event.issuerId, event.payload.credentialIds]);
    // Each of the three Cairn issuers gets its own credential; the imported credential (no issuer here) is a part of its own.
    expect(parts).toEqual([
      [northwind.issuerId, [wallet.sql]],
      [harbor.issuerId, [wallet.pipelines]],
      [summit.issuerId, [wallet.leadership]],
      [null, [wallet.teamwork]],
    ]);
  });

  test('the employer sees exactly those four, each with issuer, achievement, skills, status and verdict, and the stacked skills', async () => {
    const result = await eventually(() => hub.gql(SHARE, { token }, acme.key), (r) => !r.errors && r.data.share.credentials.edges.every((e: any) => e.node.verification.status === 'VALID'));
    expect(result.errors).toBeUndefined();
    const view = result.data.share;
    expect(view).toMatchObject({ recipientId: ada.id, access: 'SHARE' });
    const nodes = view.credentials.edges.map((edge: any) => edge.node);
    expect(nodes.map((node: any) => node.id)).toEqual([wallet.sql, wallet.pipelines, wallet.leadership, wallet.teamwork]);
    expect(nodes[0]).toMatchObject({ issuer: { name: 'Northwind Academy' }, achievement: { name: 'SQL Query Fundamentals' }, issuance: { status: 'ACTIVE' }, verification: { verified: true } });
    expect(nodes[1]).toMatchObject({ issuer: { name: 'Harbor Institute' }, achievement: { name: 'Data Pipelines' }, issuance: { status: 'ACTIVE' } });
    expect(nodes[2]).toMatchObject({ issuer: { name: 'Summit College' }, skills: [{ framework: 'LIGHTCAST', code: 'KS1200364C9C1LK3V5Q1' }] });
    expect(nodes[3]).toMatchObject({ issuer: null, issuerName: 'Delta Bootcamp', achievement: null, issuance: null, skills: [{ framework: 'ESCO', code: ESCO_SQL }] });
    expect(nodes[0].skills).toEqual([{ framework: 'ESCO', code: ESCO_SQL }, { framework: 'CUSTOM', code: 'query-tuning' }]);

    const stacks = view.stackedSkills.map((stack: any) => ({ ...stack, credentials: stack.credentials.map((c: any) => c.id).sort() }));
    expect(stacks.map((stack: any) => `${stack.framework}|${stack.code}`)).toEqual([`ESCO|${ESCO_SQL}`, 'CUSTOM|query-tuning', 'LIGHTCAST|KS1200364C9C1LK3V5Q1', 'ONET|15-1243.00']);
    expect(stacks[0]).toMatchObject({ credentialCount: 3, strongestEvidence: 'ASSESSMENT', allCredentialsVerified: true, credentials: [wallet.sql, wallet.pipelines, wallet.teamwork].sort() });
    expect(stacks[2]).toMatchObject({ credentialCount: 1, strongestEvidence: 'PEER_REVIEW', credentials: [wallet.leadership] });
    expect(stacks[3]).toMatchObject({ credentialCount: 1, strongestEvidence: 'PROJECT', credentials: [wallet.pipelines] });
    // The most recent SQL credential is one of this hub's (the imported one is from 2010).
    const sqlDates = [nodes[0], nodes[1], nodes[3]].map((node: any) => Date.parse(node.validFrom));
    expect(Date.parse(stacks[0].mostRecentAt)).toBe(Math.max(...sqlDates));
    expect(Date.parse(stacks[0].mostRecentAt)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
  });

  test('ATS filters: by skill code, by issuer, by validity; pages follow their cursors', async () => {
    const filtered = (args: string) => hub.gql(`query ($token: String!) { share(token: $token) { credentials(${args}) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`, { token }, acme.key);
    const bySkill = await filtered(`skillCode: "15-1243.00"`);
    expect(bySkill.data.share.credentials.edges.map((e: any) => e.node.id)).toEqual([wallet.pipelines]);
    const byIssuer = await filtered(`issuer: "${summit.issuerId}"`);
    expect(byIssuer.data.share.credentials.edges.map((e: any) => e.node.id)).toEqual([wallet.leadership]);
    expect((await filtered(`validity: EXPIRED`)).data.share.credentials.totalCount).toBe(0);
    const first = await filtered(`first: 3`);
    expect(first.data.share.credentials).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const rest = await filtered(`first: 3, after: "${first.data.share.credentials.pageInfo.endCursor}"`);
    expect(rest.data.share.credentials.edges.map((e: any) => e.node.id)).toEqual([wallet.teamwork]);
  });

  test('the share downloads as a VerifiablePresentation of the four credentials, for the named employer only', async () => {
    const origin = hub.gateway.url.replace(/\/graphql$/, '');
    const download = (key: string | null) => fetch(`${origin}/shares/${token}/presentation`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    const response = await download(acme.key);
    expect(response.status).toBe(200);
    const presentation = (await response.json()) as any;
    expect(presentation.type).toEqual(['VerifiablePresentation']);
    expect(presentation.verifiableCredential).toHaveLength(4);
    expect(presentation.verifiableCredential[3].credentialSubject.achievement.name).toBe('Teamwork');
    expect((await download(null)).status).toBe(401);
    expect((await download(globex.key)).status).toBe(403);
  });

  test('another employer gets UNAUTHORIZED; every opening is counted in ShareViewed with who viewed', async () => {
    const other = await hub.gql(SHARE, { token }, globex.key);
    expect(other.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(other.data?.share ?? null).toBeNull();
    // Refused in the very words an unknown token gets, and with no reason: a link cannot be probed for its employer.
    const unknown = await hub.gql(SHARE, { token: `${token.slice(0, -4)}AAAA` }, globex.key);
    expect(other.errors?.[0]).toMatchObject({ message: unknown.errors?.[0]?.message, extensions: { code: 'UNAUTHORIZED' } });
    expect(other.errors?.[0]?.extensions?.reason).toBeUndefined();
    const read = async () => (await readLog(hub.deps.database.db, { after: 0, limit: 1000, types: [EventType.SHARE_VIEWED] })).map((event) => event.payload);
    const views = await eventually(read, (payloads) => payloads.some((payload) => payload.via === 'PRESENTATION'));
    expect(views).toContainEqual(expect.objectContaining({ shareId, via: 'GRAPHQL', viewer: { kind: 'EMPLOYER', id: acme.employerId }, byHolder: false }));
    expect(views).toContainEqual(expect.objectContaining({ shareId, via: 'PRESENTATION' }));
  });

  test('a revocation by the issuer shows in the verdict, the issuance status and the stacked skill', async () => {
    await hub.gql(`mutation ($id: ID!) { revokeCredential(input: { credentialId: $id, reason: "Misconduct" }) { credential { id } } }`, { id: wallet.pipelines }, harbor.ownerKey);
    const after = await eventually(() => hub.gql(SHARE, { token }, acme.key), (r) => r.data?.share.credentials.edges[1].node.verification.status === 'REVOKED');
    expect(after.data.share.credentials.edges[1].node.issuance.status).toBe('REVOKED');
    expect(after.data.share.stackedSkills[0]).toMatchObject({ code: ESCO_SQL, allCredentialsVerified: false });
  });

  test('a revoked share answers UNAUTHORIZED with reason WITHDRAWN, over GraphQL and REST, to anyone holding the token', async () => {
    expect((await hub.gql(`mutation ($id: ID!) { revokeShare(input: { id: $id }) { share { id } } }`, { id: shareId }, ada.token)).errors).toBeUndefined();
    for (const key of [acme.key, globex.key, null]) {
      const revoked = await hub.gql(SHARE, { token }, key);
      expect(revoked.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHORIZED', reason: 'WITHDRAWN' });
      expect(revoked.data?.share ?? null).toBeNull();
    }
    const origin = hub.gateway.url.replace(/\/graphql$/, '');
    const rest = await fetch(`${origin}/shares/${token}`, { headers: { authorization: `Bearer ${acme.key}` } });
    expect(rest.status).toBe(403);
    expect(await rest.json()).toMatchObject({ code: 'UNAUTHORIZED', reason: 'WITHDRAWN' });
  });

  test('an expired share answers UNAUTHORIZED with reason EXPIRED and when it expired', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const created = await hub.gql(CREATE_SHARE, { input: { credentialIds: [wallet.baked], audience: 'EMPLOYER', employerId: acme.employerId, expiresAt } }, ada.token);
    expect(created.errors).toBeUndefined();
    const expired = await eventually(
      () => hub.gql(SHARE, { token: created.data.createShare.token }, globex.key),
      (answer) => answer.errors?.[0]?.extensions?.reason === 'EXPIRED',
    );
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHORIZED', reason: 'EXPIRED', expiredAt: expiresAt });
  });

  test('a PUBLIC share opens without a key', async () => {
    const created = await hub.gql(CREATE_SHARE, { input: { credentialIds: [wallet.baked], audience: 'PUBLIC' } }, ada.token);
    const opened = await hub.gql(`query ($token: String!) { share(token: $token) { displayName credentials { edges { node { id name } } } } }`, { token: created.data.createShare.token }, null);
    expect(opened.errors).toBeUndefined();
    expect(opened.data.share.credentials.edges.map((e: any) => e.node.id)).toEqual([wallet.baked]);
  });
});

describe('consent: an employer may query the candidate until it is revoked', () => {
  test('without consent an employer gets nothing of a candidate', async () => {
    const refused = await hub.gql(CANDIDATE, { id: ada.id }, globex.key);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(refused.data?.candidate ?? null).toBeNull();
    expect(JSON.stringify(refused)).not.toContain('Northwind');
  });

  test('PUBLIC_AND_SHARED shows only the credentials marked so; revoking ends it at once', async () => {
    const SET = `mutation ($id: ID!, $v: CredentialVisibility!) { setCredentialVisibility(input: { credentialId: $id, visibility: $v }) { credential { id } } }`;
    await hub.gql(SET, { id: wallet.leadership, v: 'SHARED_ONLY' }, ada.token);
    await hub.gql(SET, { id: wallet.teamwork, v: 'PUBLIC' }, ada.token);
    const granted = await hub.gql(`mutation ($org: ID!) { grantConsent(input: { employerId: $org, scope: PUBLIC_AND_SHARED }) { consent { id scope } } }`, { org: globex.employerId }, ada.token);
    expect(granted.data.grantConsent.consent.scope).toBe('PUBLIC_AND_SHARED');
    const seen = await hub.gql(CANDIDATE, { id: ada.id }, globex.key);
    expect(seen.errors).toBeUndefined();
    expect(seen.data.candidate.credentials.edges.map((e: any) => e.node.id)).toEqual([wallet.leadership, wallet.teamwork]);
    expect(seen.data.candidate.access).toBe('CONSENT');
    const events = await readLog(hub.deps.database.db, { after: 0, limit: 1000, types: [EventType.CONSENT_GRANTED] });
    expect(events.map((event) => event.payload)).toContainEqual(expect.objectContaining({ recipientId: ada.id, employerOrgId: globex.employerId, scope: 'PUBLIC_AND_SHARED' }));

    await hub.gql(`mutation ($org: ID!) { revokeConsent(input: { employerId: $org }) { revoked { id } } }`, { org: globex.employerId }, ada.token);
    expect((await hub.gql(CANDIDATE, { id: ada.id }, globex.key)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    // Consent is per organisation: Acme never had one.
    expect((await hub.gql(CANDIDATE, { id: ada.id }, acme.key)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });
});

describe('a recipient never sees another recipient’s wallet', () => {
  test('Grace can neither read, share, revoke nor query Ada’s credentials', async () => {
    const grace = await signIn('grace@example.com');
    expect((await hub.gql(`query ($id: ID!) { recipient(id: $id) { id } }`, { id: ada.id }, grace)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect((await hub.gql(`query ($id: ID!) { credential(id: $id) { id } }`, { id: wallet.sql }, grace)).data.credential).toBeNull();
    const stolen = await hub.gql(CREATE_SHARE, { input: { credentialIds: [wallet.sql], audience: 'PUBLIC' } }, grace);
    expect(stolen.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', credentialIds: [wallet.sql] });
    expect((await hub.gql(CANDIDATE, { id: ada.id }, grace)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const mine = await hub.gql(`{ me { recipient { credentials { totalCount } shares { id } } } }`, {}, grace);
    expect(mine.data.me.recipient).toEqual({ credentials: { totalCount: 0 }, shares: [] });
  });
});

describe('LinkedIn', () => {
  test('the holder gets an “Add to profile” link filled in, and using it is recorded', async () => {
    const read = (key: string) => hub.gql(`query ($id: ID!) { credential(id: $id) { linkedInAddToProfileUrl } }`, { id: wallet.sql }, key);
    const url = new URL((await read(ada.token)).data.credential.linkedInAddToProfileUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      startTask: 'CERTIFICATION_NAME',
      name: 'SQL Query Fundamentals',
      organizationName: 'Northwind Academy',
      issueYear: String(new Date().getUTCFullYear()),
      certUrl: `${hub.deps.config.publicBaseUrl}/credentials/${wallet.sql}`,
    });
    const recorded = await hub.gql(`mutation ($id: ID!) { recordLinkedInShare(input: { credentialId: $id }) { linkedInAddToProfileUrl } }`, { id: wallet.sql }, ada.token);
    expect(recorded.errors).toBeUndefined();
    const shared = await readLog(hub.deps.database.db, { after: 0, limit: 1000, types: [EventType.CREDENTIAL_SHARED] });
    expect(shared.map((event) => event.payload)).toContainEqual(expect.objectContaining({ channel: 'LINKEDIN', credentialIds: [wallet.sql] }));
  });
});

describe('the log this file wrote', () => {
  test('every event in it, replayed from cursor 0, parses with its type\'s contract', async () => {
    expect(await eventsBreakingTheirContracts(hub.deps.database.db)).toEqual([]);
  });
});
