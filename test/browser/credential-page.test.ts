import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { launchBrowser, openPage, screenshot, seriousViolations } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { createIssuer, issueCredential, originOf, publishAchievement } from '../helpers/pages.js';
import { countEvents, readLog } from '../helpers/events.js';
import { EventType } from '../../lib/events/types.js';

// The credential's public page in a real browser (Debian's chromium): what a hiring manager sees at the URL every
// credential links to, checked by the API's own verifier.

// A browser and a whole hub on two shared cores: pages take seconds, not milliseconds, under load.
vi.setConfig({ testTimeout: 180_000 });

let hub: TestHub;
let browser: Browser;
let ownerKey: string;
let achievementId: string;
const origin = () => originOf(hub);

function issue(key: string) {
  return issueCredential(hub, ownerKey, {
    achievementId,
    recipient: { email: `${key}@example.com`, name: 'Grace Hopper' },
    evidence: [{ kind: 'PROJECT', name: 'Compiler repository', url: 'https://git.example/grace/compiler', narrative: 'A reviewed compiler project.' }],
    idempotencyKey: key,
  });
}

beforeAll(async () => {
  [hub, browser] = await Promise.all([startTestHub(), launchBrowser()]);
  const issuer = await createIssuer(hub, { name: 'Harbor Institute' });
  ownerKey = issuer.key;
  achievementId = await publishAchievement(hub, ownerKey, {
    issuerId: issuer.issuerId,
    name: 'Compiler Construction',
    description: 'Builds a working compiler for a small language.',
    criteria: { narrative: 'Deliver **a reviewed compiler** that:\n\n- parses the language\n- passes the test suite' },
    achievementType: 'Competency',
    competencyBased: true,
    creditsAvailable: 5,
    skills: [{ framework: 'ESCO', code: 'S1.2.3', name: 'write compilers', url: 'http://data.europa.eu/esco/skill/compilers' }],
    evidenceRules: [{ kind: 'PROJECT', minCount: 1 }],
  });
});
/** CredentialVerified events in the log: one per verification recorded. */
const credentialVerifiedEvents = () => countEvents(hub.deps.database.db, EventType.CREDENTIAL_VERIFIED);

afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

describe('the credential page', () => {
  test('a browser gets the page; JSON clients and ?format=jwt get what they always got', async () => {
    const id = await issue('negotiation');
    const url = `${origin()}/credentials/${id}`;
    const asJson = await fetch(url);
    expect(asJson.headers.get('content-type')).toMatch(/^application\/vc\+ld\+json/);
    expect(((await asJson.json()) as { id: string }).id).toBeTruthy();
    expect((await fetch(`${url}?format=jwt`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
    const asPage = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(asPage.status).toBe(200);
    expect(asPage.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(asPage.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(asPage.headers.get('vary')).toContain('Accept');
    const missing = await fetch(`${origin()}/credentials/01900000-0000-7000-8000-000000000000`, { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No such credential');
    const badKey = await fetch(url, { headers: { accept: 'text/html', authorization: 'Bearer not-a-key' } });
    expect(badKey.status).toBe(401);
    expect(badKey.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  test('shows the achievement, issuer, criteria, skills and evidence, verified live: VALID with every check', async () => {
    const id = await issue('valid');
    const { page, dialogs, consoleErrors, foreignRequests, close } = await openPage(browser);
    // Under load the first check may not reach the status list in time (STATUS UNKNOWN, rightly): look again.
    const verdict = await eventually(
      async () => {
        await page.goto(`${origin()}/credentials/${id}`);
        return page.locator('.verdict strong').textContent();
      },
      (shown) => shown === 'VALID',
    );
    expect(verdict).toBe('VALID');
    const text = await page.locator('main').innerText();
    for (const expected of ['Compiler Construction', 'Builds a working compiler', 'Harbor Institute', 'a reviewed compiler', 'write compilers', 'Compiler repository', 'A reviewed compiler project.', "Issuer's signature", 'Download JSON']) {
      expect(text).toContain(expected);
    }
    expect(await page.locator('.markdown strong').textContent()).toBe('a reviewed compiler');
    // The holder made it public: the name the issuer put in it shows.
    expect(await page.locator('#recipient').textContent()).toBe('Grace Hopper');
    expect(await page.locator('ul.checks li').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toContain('Compiler Construction');
    expect(await page.locator('img.badge').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'credential-desktop');
    expect({ dialogs, consoleErrors, foreignRequests }).toEqual({ dialogs: [], consoleErrors: [], foreignRequests: [] });
    await close();
    const phone = await openPage(browser, 'phone');
    await phone.page.goto(`${origin()}/credentials/${id}`);
    expect(await seriousViolations(phone.page)).toEqual([]);
    await screenshot(phone.page, 'credential-phone');
    await phone.close();
  });

  test("LinkedIn's certUrl for the credential opens its page", async () => {
    const id = await issue('linkedin');
    const holderView = await eventually(
      () => hub.gql(`query ($id: ID!) { credential(id: $id) { linkedInAddToProfileUrl } }`, { id }),
      (answer) => Boolean(answer.data?.credential?.linkedInAddToProfileUrl),
    );
    const certUrl = new URL(holderView.data.credential.linkedInAddToProfileUrl).searchParams.get('certUrl')!;
    expect(certUrl).toBe(`${hub.deps.config.publicBaseUrl}/credentials/${id}`);
    // The test hub listens on another port than its public address: ask the same path of it.
    const { page, close } = await openPage(browser);
    await page.goto(`${origin()}${new URL(certUrl).pathname}`);
    expect(await page.locator('h1').textContent()).toBe('Compiler Construction');
    expect(await page.getByRole('link', { name: 'Add to LinkedIn' }).count()).toBe(0);
    await close();
    // The holder (here an operator, who may act for them) gets the add-to-profile link on the page.
    const asHolder = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${hub.adminKey}` } });
    const holderPage = await asHolder.newPage();
    await holderPage.goto(`${origin()}/credentials/${id}`);
    expect(await holderPage.getByRole('link', { name: 'Add to LinkedIn' }).getAttribute('href')).toBe(holderView.data.credential.linkedInAddToProfileUrl);
    expect(await holderPage.locator('#only-for-holder').count()).toBe(0);

    // Kept private again: LinkedIn's visitors would get "not found", and the holder's page says so beside the link.
    const setPrivate = await hub.gql(`mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { visibility } } }`, {
      input: { credentialId: id, visibility: 'PRIVATE' },
    });
    expect(setPrivate.errors).toBeUndefined();
    await eventually(() => fetch(`${origin()}/credentials/${id}`).then((response) => response.status), (status) => status === 404);
    await holderPage.goto(`${origin()}/credentials/${id}`);
    expect(await holderPage.locator('#only-for-holder').textContent()).toMatch(/Only you can open this page/);
    // Its one step instead of a link LinkedIn's visitors could not follow: see the next test.
    expect(await holderPage.getByRole('button', { name: 'Make public and add to LinkedIn' }).count()).toBe(1);
    expect(await holderPage.getByRole('link', { name: 'Add to LinkedIn' }).count()).toBe(0);
    // Not public, so not their name: only what kind of identity it was issued to.
    expect(await holderPage.locator('#recipient').textContent()).toBe('Issued to a verified e-mail address');
    expect(await holderPage.locator('main').innerText()).not.toContain('Grace Hopper');
    expect(await seriousViolations(holderPage)).toEqual([]);
    await screenshot(holderPage, 'credential-holder-private');
    await asHolder.close();
  });

  test('the holder of a private credential makes it public and goes on to LinkedIn in one step, a plain form with no script', async () => {
    const id = await issue('one-step');
    const url = `${origin()}/credentials/${id}`;
    const made = await hub.gql(`mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { visibility } } }`, { input: { credentialId: id, visibility: 'PRIVATE' } });
    expect(made.errors).toBeUndefined();
    await eventually(() => fetch(url).then((response) => response.status), (status) => status === 404);
    const sharedOnLinkedIn = async () =>
      (await readLog(hub.deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_SHARED] })).filter((event) => event.payload.channel === 'LINKEDIN' && (event.payload.credentialIds as string[]).includes(id)).length;

    const asHolder = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${hub.adminKey}` } });
    const page = await asHolder.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => void dialogs.push(dialog.message()));
    const consoleErrors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
    await page.goto(url);
    const button = page.getByRole('button', { name: 'Make public and add to LinkedIn' });
    expect(await page.locator('#publish-note').innerText()).toMatch(/Anyone with its link/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'credential-holder-one-step');
    // LinkedIn is not reachable from here: that the browser set off for it, not held back by the page's CSP, is checked.
    const [toLinkedIn] = await Promise.all([page.waitForEvent('requestfailed', (request) => request.url().startsWith('https://www.linkedin.com/')), button.click()]);
    expect(toLinkedIn.failure()?.errorText).not.toMatch(/CSP/i);
    const linkedIn = new URL(toLinkedIn.url());
    expect(linkedIn.pathname).toBe('/profile/add');
    expect(linkedIn.searchParams.get('startTask')).toBe('CERTIFICATION_NAME');
    expect(linkedIn.searchParams.get('certUrl')).toBe(`${hub.deps.config.publicBaseUrl}/credentials/${id}`);
    expect({ dialogs, consoleErrors }).toEqual({ dialogs: [], consoleErrors: [] });
    await asHolder.close();

    // Public now: LinkedIn's visitors (anyone) get the page, with the holder's name; the share is recorded.
    expect((await hub.gql(`query ($id: ID!) { credential(id: $id) { visibility } }`, { id })).data.credential.visibility).toBe('PUBLIC');
    await eventually(() => fetch(url).then((response) => response.status), (status) => status === 200);
    const anyone = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
    expect(anyone).toContain('<dd id="recipient">Grace Hopper</dd>');
    expect(anyone).not.toContain('Make public and add to LinkedIn');
    expect(await sharedOnLinkedIn()).toBe(1);
  });

  test('the one-step form is taken only from the holder, from this page, with the token it was shown', async () => {
    const id = await issue('one-step-forged');
    const url = `${origin()}/credentials/${id}`;
    await hub.gql(`mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { visibility } } }`, { input: { credentialId: id, visibility: 'PRIVATE' } });
    const holder = { authorization: `Bearer ${hub.adminKey}` };
    const html = await (await fetch(url, { headers: { accept: 'text/html', ...holder } })).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
    const csp = (await fetch(url, { headers: { accept: 'text/html', ...holder } })).headers.get('content-security-policy');
    expect(csp).toContain("form-action 'self' https://www.linkedin.com;");
    expect(csp).toContain("script-src 'none'");
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${url}/linkedin`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    const refusals = [
      await post({ ...holder, 'sec-fetch-site': 'cross-site' }, `token=${encodeURIComponent(token)}`),
      await post({ ...holder, origin: 'https://evil.example' }, `token=${encodeURIComponent(token)}`),
      await post(holder, 'token=forged'),
      await post(holder, ''),
      // The token was made for the holder's key: another key cannot use it (nor, without a key, anyone).
      await post({ authorization: `Bearer ${ownerKey}` }, `token=${encodeURIComponent(token)}`),
      await post({}, `token=${encodeURIComponent(token)}`),
    ];
    expect(refusals.map((response) => response.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect((await hub.gql(`query ($id: ID!) { credential(id: $id) { visibility } }`, { id })).data.credential.visibility).toBe('PRIVATE');
    // The issuer may read the page but is not its holder: even a form token of its own does not make it public.
    const issuerHtml = await (await fetch(url, { headers: { accept: 'text/html', authorization: `Bearer ${ownerKey}` } })).text();
    expect(issuerHtml).not.toContain('name="token"');
    const accepted = await post({ ...holder, 'sec-fetch-site': 'same-origin' }, `token=${encodeURIComponent(token)}`);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^https:\/\/www\.linkedin\.com\/profile\/add\?/);
  });

  test("a page view is not a verification: the page shows the verifier's kept verdict and when it was checked, and records nothing", async () => {
    const id = await issue('page-views');
    const url = `${origin()}/credentials/${id}`;
    const view = async () => {
      const html = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
      return { verdict: /verdict-([A-Z_]+)/.exec(html)?.[1], checkedAt: /<time datetime="([^"]+)"/.exec(html)?.[1] };
    };
    const first = await eventually(view, (shown) => shown.verdict === 'VALID');
    const verifiedBefore = await credentialVerifiedEvents();
    const later = [await view(), await view(), await view()];
    expect(later.map((shown) => shown.checkedAt)).toEqual([first.checkedAt, first.checkedAt, first.checkedAt]);
    expect(await credentialVerifiedEvents()).toBe(verifiedBefore);
    // A party verifying it through the API is still counted: the count above could have moved.
    const document = await (await fetch(url)).json();
    const checked = await hub.gql(`mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) { verificationId } }`, { input: { credential: document } });
    expect(checked.data?.verifyCredential.verificationId).toBeTruthy();
    expect(await credentialVerifiedEvents()).toBe(verifiedBefore + 1);
    const { page, close } = await openPage(browser);
    await page.goto(url);
    expect(await page.locator('#checks-title + p').innerText()).toMatch(/^Checked .+ UTC by the same verifier as this hub's API\. It is checked again as soon as it may have changed/);
    await close();
  });

  test('dark mode keeps AA contrast; printed, the credential is a one-page certificate without the actions', async () => {
    const id = await issue('print');
    const dark = await openPage(browser, 'desktop', 'dark');
    await dark.page.goto(`${origin()}/credentials/${id}`);
    expect(await seriousViolations(dark.page)).toEqual([]);
    await screenshot(dark.page, 'credential-dark-desktop');
    await dark.page.emulateMedia({ media: 'print', colorScheme: 'light' });
    expect(await dark.page.locator('#actions-title').isVisible()).toBe(false);
    await screenshot(dark.page, 'credential-print');
    const pdf = (await dark.page.pdf({ format: 'A4' })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await dark.close();
  });

  test('a revoked credential says REVOKED at the top, with the reason the issuer gave', async () => {
    const id = await issue('revoked');
    const revoked = await hub.gql(`mutation ($id: ID!) { revokeCredential(input: { credentialId: $id, reason: "Plagiarised project" }) { credential { id } } }`, { id }, ownerKey);
    expect(revoked.errors).toBeUndefined();
    const { page, close } = await openPage(browser);
    await eventually(
      async () => {
        await page.goto(`${origin()}/credentials/${id}`);
        return page.locator('.verdict strong').textContent();
      },
      (verdict) => verdict === 'REVOKED',
    );
    const first = page.locator('main > *').first();
    expect(await first.getAttribute('class')).toContain('verdict-REVOKED');
    expect(await first.innerText()).toContain('Plagiarised project');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'credential-revoked-desktop');
    await close();
  });
});
