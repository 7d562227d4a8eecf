import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { launchBrowser, openPage, screenshot, seriousViolations } from '../helpers/browser.js';
import { EventType } from '../../lib/events/types.js';
import { countEvents } from '../helpers/events.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { createIssuer, issueCredential, originOf, publishAchievement } from '../helpers/pages.js';

// Home, issuer, achievement and share pages in a real browser; the achievement's id URL also answers machines.

// A browser and a whole hub on two shared cores: pages take seconds, not milliseconds, under load.
vi.setConfig({ testTimeout: 180_000 });

const ESCO_SQL = { framework: 'ESCO', code: 'http://data.europa.eu/esco/skill/sql', name: 'SQL', url: 'http://data.europa.eu/esco/skill/sql' };
const CREATE_SHARE = `mutation ($input: CreateShareInput!) { createShare(input: $input) { token share { id } } }`;

let hub: TestHub;
let browser: Browser;
const origin = () => originOf(hub);
let northwind: { issuerId: string; key: string; achievementId: string };
let publicShare: string;
let employerShare: { token: string; id: string };
let adaId: string;
let adaCredentialIds: string[];

/** A logo on another site: the pages must not make the visitor's browser fetch it. */
const LOGO = 'https://logos.example/northwind.png';

async function issuerWith(name: string, achievement: Record<string, unknown>, image?: string) {
  const { issuerId, key } = await createIssuer(hub, { name, url: 'https://issuer.example', ...(image ? { image } : {}) });
  return { issuerId, key, achievementId: await publishAchievement(hub, key, { issuerId, ...achievement }) };
}

beforeAll(async () => {
  [hub, browser] = await Promise.all([startTestHub(), launchBrowser()]);
  northwind = await issuerWith('Northwind Academy', {
    name: 'Database Fundamentals',
    description: 'Designs and queries relational databases.',
    criteria: { narrative: 'Pass a **proctored** assessment of 20 queries.' },
    achievementType: 'Competency',
    competencyBased: true,
    estimatedLearningHours: 40,
    skills: [ESCO_SQL],
    evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }],
    tags: ['databases'],
  }, LOGO);
  const harbor = await issuerWith('Harbor Institute', { name: 'Data Pipelines', description: 'Builds reliable data pipelines.', skills: [ESCO_SQL, { framework: 'CUSTOM', code: 'etl', name: 'ETL', url: 'https://skills.example/etl' }] });
  await issueCredential(hub, northwind.key, { achievementId: northwind.achievementId, recipient: { email: 'ada@example.com', name: 'Ada Lovelace' }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }], idempotencyKey: 'ada-db' });
  await issueCredential(hub, harbor.key, { achievementId: harbor.achievementId, recipient: { email: 'ada@example.com', name: 'Ada Lovelace' }, idempotencyKey: 'ada-pipelines' });
  const held = await eventually(
    () => hub.gql(`{ recipients(first: 5) { edges { node { id credentials { edges { node { id } } } } } } }`),
    (answer) => answer.data?.recipients.edges[0]?.node.credentials.edges.length === 2,
  );
  const ada = held.data.recipients.edges[0].node;
  const credentialIds = ada.credentials.edges.map((edge: { node: { id: string } }) => edge.node.id);
  [adaId, adaCredentialIds] = [ada.id, credentialIds];
  const shared = await hub.gql(CREATE_SHARE, { input: { recipientId: ada.id, credentialIds, audience: 'PUBLIC' } });
  expect(shared.errors).toBeUndefined();
  publicShare = shared.data.createShare.token;
  const employer = (await hub.gql(`mutation { createApiKey(input: { name: "ats", principal: EMPLOYER }) { apiKey { employerId } } }`)).data.createApiKey.apiKey.employerId;
  const forEmployer = await hub.gql(CREATE_SHARE, { input: { recipientId: ada.id, credentialIds, audience: 'EMPLOYER', employerId: employer } });
  expect(forEmployer.errors).toBeUndefined();
  employerShare = { token: forEmployer.data.createShare.token, id: forEmployer.data.createShare.share.id };
});
afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

/** Opens `path` at both widths: no serious accessibility finding, nothing refused by the CSP, nothing fetched elsewhere; screenshots. */
async function visit(path: string, name: string) {
  for (const width of ['desktop', 'phone'] as const) {
    const { page, consoleErrors, foreignRequests, close } = await openPage(browser, width);
    const response = await page.goto(`${origin()}${path}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `${name}-${width}`);
    expect({ consoleErrors, foreignRequests }).toEqual({ consoleErrors: [], foreignRequests: [] });
    const text = await page.locator('main').innerText();
    await close();
    if (width === 'phone') return { status: response!.status(), text };
  }
  throw new Error('unreachable');
}

describe('pages for people', () => {
  test('home: what the hub is, its issuers, the verifier and GraphiQL', async () => {
    const { status, text } = await visit('/', 'home');
    expect(status).toBe(200);
    for (const expected of ['Open Badges you can check', 'Northwind Academy', 'Harbor Institute', 'Verify a credential', 'GraphiQL']) expect(text).toContain(expected);
    expect((await fetch(`${origin()}/`)).status).toBe(404);
  });

  test('issuer page: its published achievements; the same URL still answers the OB Profile to machines', async () => {
    const { status, text } = await visit(`/issuers/${northwind.issuerId}`, 'issuer');
    expect(status).toBe(200);
    expect(text).toContain('Northwind Academy');
    expect(text).toContain('Database Fundamentals');
    const { page, foreignRequests, close } = await openPage(browser);
    await page.goto(`${origin()}/issuers/${northwind.issuerId}`);
    expect(await page.getByAltText('Northwind Academy logo').count()).toBe(0);
    expect(foreignRequests).toEqual([]);
    await close();
    const profile = await fetch(`${origin()}/issuers/${northwind.issuerId}`);
    expect(profile.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(((await profile.json()) as { name: string }).name).toBe('Northwind Academy');
  });

  test("achievement id URL: a page with criteria, skills and how to earn it; the OB 3.0 Achievement JSON for machines", async () => {
    const path = `/achievements/${northwind.achievementId}/versions/1`;
    const { status, text } = await visit(path, 'achievement');
    expect(status).toBe(200);
    for (const expected of ['Database Fundamentals', 'proctored', 'How to earn it', '1 × assessment', 'SQL', 'Learning hours', 'Northwind Academy']) expect(text).toContain(expected);
    const json = await fetch(`${origin()}${path}`, { headers: { accept: 'application/ld+json', origin: 'https://wallet.example' } });
    expect(json.status).toBe(200);
    expect(json.headers.get('access-control-allow-origin')).toBe('*');
    expect(await json.json()).toMatchObject({ id: `${hub.deps.config.publicBaseUrl}${path}`, type: ['Achievement'], name: 'Database Fundamentals', criteria: { narrative: 'Pass a **proctored** assessment of 20 queries.' } });
    expect((await fetch(`${origin()}/achievements/${northwind.achievementId}/versions/9`)).status).toBe(404);
    expect((await fetch(`${origin()}/achievements/not-an-id/versions/1`, { headers: { accept: 'text/html' } })).status).toBe(404);
  });

  test('share page: the holder, credentials grouped by issuer with verdicts, skills stacked across two issuers', async () => {
    const verifiedBefore = await countEvents(hub.deps.database.db, EventType.CREDENTIAL_VERIFIED);
    const { status, text } = await visit(`/shares/${publicShare}`, 'share');
    expect(status).toBe(200);
    // Its verdicts were checked for this view (none was kept yet), and the view is not a verification by its visitor.
    expect(await countEvents(hub.deps.database.db, EventType.CREDENTIAL_VERIFIED)).toBe(verifiedBefore);
    for (const expected of ['Ada Lovelace', 'Northwind Academy', 'Harbor Institute', 'Database Fundamentals', 'Data Pipelines', 'Skills, stacked across issuers', 'backed by 2 credentials from 2 issuers', 'Download as a verifiable presentation']) {
      expect(text).toContain(expected);
    }
    const presentation = await fetch(`${origin()}/shares/${publicShare}/presentation`);
    expect(((await presentation.json()) as { type: string[] }).type).toContain('VerifiablePresentation');
  });

  test('a visitor may open a share page again and again: the page is not priced as the worst case of its lists', async () => {
    // Priced by its estimate (~3,800), the third opening within seconds ran the visitor's IP dry, and the refusal
    // was shown as "No such share".
    const statuses = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await fetch(`${origin()}/shares/${publicShare}`, { headers: { accept: 'text/html' } })).status);
    expect(statuses).toEqual(Array(8).fill(200));
  });

  test("an employer's share explains who may open it and how, never a bare 401; a withdrawn share says so too", async () => {
    const { status, text } = await visit(`/shares/${employerShare.token}`, 'share-employer');
    expect(status).toBe(403);
    expect(text).toContain('meant for a named employer');
    expect(text).toContain('Authorization: Bearer');
    expect(text).not.toMatch(/This share was withdrawn|This share has expired/);
    expect((await hub.gql(`mutation ($id: ID!) { revokeShare(input: { id: $id }) { share { id } } }`, { id: employerShare.id })).errors).toBeUndefined();
    // Withdrawn says so, to anyone holding the link, and nothing of whom it was for.
    const withdrawn = await visit(`/shares/${employerShare.token}`, 'share-withdrawn');
    expect(withdrawn.status).toBe(403);
    expect(withdrawn.text).toContain('This share was withdrawn');
    expect(withdrawn.text).not.toContain('employer');
  });

  test('an expired share says it expired, and on which day', async () => {
    const expiresAt = new Date(Date.now() + 1_500);
    const created = await hub.gql(CREATE_SHARE, { input: { recipientId: adaId, credentialIds: adaCredentialIds, audience: 'PUBLIC', expiresAt: expiresAt.toISOString() } });
    expect(created.errors).toBeUndefined();
    const path = `/shares/${created.data.createShare.token}`;
    await eventually(() => fetch(`${origin()}${path}`, { headers: { accept: 'text/html' } }).then((response) => response.status), (status) => status === 403);
    const { status, text } = await visit(path, 'share-expired');
    expect(status).toBe(403);
    expect(text).toContain('This share has expired');
    expect(text).toContain(`expired on ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(expiresAt)}`);
  });
});
