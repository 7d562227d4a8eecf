import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { launchBrowser, openPage, screenshot, seriousViolations } from '../helpers/browser.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { createIssuer, issueCredential, originOf, publishAchievement } from '../helpers/pages.js';

// The issuer dashboard in a real browser: sign-in, live figures and feed over the session's graphql-ws connection,
// one issuer's data only, and the CSP that lets only this page run (the hub's own) script.

vi.setConfig({ testTimeout: 180_000 });

let hub: TestHub;
let browser: Browser;
const origin = () => originOf(hub);
let northwind: { issuerId: string; key: string; achievementId: string };
let harbor: { issuerId: string; key: string; achievementId: string };
let issued = 0;

const ESCO_SQL = { framework: 'ESCO', code: 'http://data.europa.eu/esco/skill/sql', name: 'SQL', url: 'http://data.europa.eu/esco/skill/sql' };

async function issuerWith(name: string, achievementName: string) {
  const { issuerId, key } = await createIssuer(hub, { name });
  return { issuerId, key, achievementId: await publishAchievement(hub, key, { issuerId, name: achievementName, skills: [ESCO_SQL] }) };
}

async function issue(to: { key: string; achievementId: string }, person: string) {
  issued += 1;
  return issueCredential(hub, to.key, { achievementId: to.achievementId, recipient: { email: `${person}@example.com`, name: person }, idempotencyKey: `${person}-${issued}` });
}

beforeAll(async () => {
  [hub, browser] = await Promise.all([startTestHub(), launchBrowser()]);
  northwind = await issuerWith('Northwind Academy', 'Database Fundamentals');
  harbor = await issuerWith('Harbor Institute', 'Harbor Secret Pipelines');
  await issue(northwind, 'Ada');
  await issue(northwind, 'Grace');
  await issue(harbor, 'Edsger');
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

async function signIn(page: Page, key: string) {
  await page.goto(`${origin()}/dashboard`);
  await page.getByLabel('Your issuer API key').fill(key);
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  return response!;
}

const issuedFigure = (page: Page) => page.locator('#kpi-issued').getAttribute('data-issued');

describe('the issuer dashboard', () => {
  test('only /dashboard may run script, and only the hub’s own; every other page keeps script-src none', async () => {
    const dashboard = await fetch(`${origin()}/dashboard`);
    const csp = dashboard.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    for (const path of ['/', '/verify', `/issuers/${northwind.issuerId}`, `/achievements/${northwind.achievementId}/versions/1`]) {
      const page = await fetch(`${origin()}${path}`, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-security-policy'), path).toContain("script-src 'none'");
    }
    for (const [path, type] of [['/assets/dashboard.js', 'text/javascript'], ['/assets/uplot.js', 'text/javascript'], ['/assets/graphql-ws.js', 'text/javascript'], ['/assets/uplot.css', 'text/css']]) {
      const asset = await fetch(`${origin()}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
    }
  });

  test('a wrong key is refused and leaves no session', async () => {
    const { page, close } = await openPage(browser);
    const response = await signIn(page, 'cairn_not-a-real-key');
    expect(response.status()).toBe(401);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('not accepted');
    expect(await page.context().cookies()).toEqual([]);
    await close();
    // A sign-in form posted from anywhere else, or without this hub's token, is not taken.
    const forged = await fetch(`${origin()}/dashboard/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: new URLSearchParams({ key: northwind.key, token: 'x' }) });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  test('signed in with an issuer key: the five figures, charts, tables, and a credential issued now in the feed and the figures; no other issuer’s data', async () => {
    const { page, consoleErrors, foreignRequests, close } = await openPage(browser);
    const response = await signIn(page, northwind.key);
    expect(response.status()).toBe(200);
    expect(page.url()).toBe(`${origin()}/dashboard`);
    await page.getByText('Live', { exact: true }).waitFor();
    await expect.poll(() => issuedFigure(page), { timeout: 30_000 }).toBe('2');
    await page.locator('#achievements tbody th', { hasText: 'Database Fundamentals' }).waitFor();

    // The key is in an HttpOnly, SameSite=Strict cookie, sealed: not in the URL, the page or anything script reads.
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(northwind.key);
    expect(await page.content()).not.toContain(northwind.key);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    // Another issuer's credential first, then ours: if the feed carried Harbor's event it would show before ours.
    await issue(harbor, 'Barbara');
    await issue(northwind, 'Katherine');
    await page.locator('#feed li', { hasText: 'Database Fundamentals' }).first().waitFor({ timeout: 30_000 });
    await expect.poll(() => issuedFigure(page), { timeout: 30_000 }).toBe('3');
    await expect.poll(() => page.locator('#chart-issued').getAttribute('data-total'), { timeout: 30_000 }).toBe('3');
    const feed = await page.locator('#feed').innerText();
    expect(feed).toContain('Issued');
    expect(feed).toContain('Katherine');
    // A delivery names only the credential's id: the feed names it as its issuance did.
    await page.locator('#feed li', { hasText: 'Delivered to a wallet' }).filter({ hasText: 'Database Fundamentals · Katherine' }).first().waitFor({ timeout: 30_000 });
    expect(feed).not.toContain('Harbor');
    expect(await page.locator('main').innerText()).not.toContain('Harbor Secret Pipelines');
    // The figures have a text form: the chart's caption and its table.
    expect(await page.locator('#chart-issued-caption').innerText()).toContain('3 credentials issued');

    // The page's own connection is this key's: asking it for another issuer's metrics is refused by the hub.
    const refused = await page.evaluate(async (otherIssuer) => {
      const client = (globalThis as any).graphqlWs.createClient({ url: `ws://${location.host}/graphql`, retryAttempts: 0 });
      const answer = await new Promise<any>((resolve) => {
        let last: unknown;
        client.subscribe({ query: `query ($id: ID!) { metrics(scope: { issuerId: $id }) { issuance { issued } } }`, variables: { id: otherIssuer } }, { next: (r: unknown) => (last = r), error: resolve, complete: () => resolve(last) });
      });
      client.dispose();
      return answer;
    }, harbor.issuerId);
    expect(refused.data?.metrics ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    // A member's ?issuer= is no way into another issuer's dashboard.
    await page.goto(`${origin()}/dashboard?issuer=${harbor.issuerId}`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Northwind Academy');

    await page.goto(`${origin()}/dashboard`);
    await expect.poll(() => issuedFigure(page), { timeout: 30_000 }).toBe('3');
    await page.locator('#achievements tbody th', { hasText: 'Database Fundamentals' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard');
    expect({ consoleErrors, foreignRequests }).toEqual({ consoleErrors: [], foreignRequests: [] });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Your issuer API key').waitFor();
    expect(await page.context().cookies()).toEqual([]);
    await close();
  });

  test('the session cookie opens graphql-ws only for this hub’s own pages (no cross-site websocket hijacking)', async () => {
    const { page, close } = await openPage(browser);
    await signIn(page, northwind.key);
    const [cookie] = await page.context().cookies();
    await close();
    const viewerKind = (originHeader: string) => {
      const client = createClient({
        url: `${origin().replace(/^http/, 'ws')}/graphql`,
        retryAttempts: 0,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: { cookie: `${cookie!.name}=${cookie!.value}`, origin: originHeader } });
          }
        },
      });
      return new Promise<string>((resolve, reject) => {
        client.subscribe<{ me: { kind: string } }>({ query: '{ me { kind } }' }, { next: (result) => resolve(result.data!.me.kind), error: reject, complete: () => client.dispose() });
      });
    };
    expect(await viewerKind(origin())).toBe('ISSUER');
    expect(await viewerKind('https://evil.example')).toBe('ANONYMOUS');
  });

  test('an operator signs in and chooses the issuer', async () => {
    const { page, close } = await openPage(browser);
    await signIn(page, hub.adminKey);
    await page.getByRole('link', { name: 'Harbor Institute' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Harbor Institute');
    await expect.poll(() => issuedFigure(page), { timeout: 30_000 }).toBe('2');
    await close();
  });

  test('after a dropped connection the feed resumes from the last event it showed: nothing issued meanwhile is missed', async () => {
    const { page, close } = await openPage(browser);
    // Keep hold of the page's sockets, and let the test hold the reconnection off while it issues.
    await page.addInitScript(() => {
      const scope = globalThis as any;
      const Native = scope.WebSocket;
      scope.sockets = [];
      scope.offline = false;
      scope.WebSocket = class extends Native {
        constructor(url: string, protocols?: string | string[]) {
          super(scope.offline ? 'ws://127.0.0.1:9/' : url, protocols);
          scope.sockets.push(this);
        }
      };
    });
    await signIn(page, northwind.key);
    await page.getByText('Live', { exact: true }).waitFor();
    await issue(northwind, 'Hedy');
    await page.locator('#feed li', { hasText: 'Hedy' }).first().waitFor({ timeout: 30_000 });

    await page.evaluate(() => {
      const scope = globalThis as any;
      scope.offline = true;
      for (const socket of scope.sockets) socket.close();
    });
    await page.getByText('Reconnecting…').waitFor();
    await issue(northwind, 'Radia'); // committed while the page has no connection
    await page.evaluate(() => ((globalThis as any).offline = false));
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 60_000 });
    await page.locator('#feed li', { hasText: 'Radia' }).first().waitFor({ timeout: 30_000 });
    // Resumed after the last cursor: nothing repeated either.
    expect(await page.locator('#feed li.feed-credential_issued', { hasText: 'Hedy' }).count()).toBe(1);
    await close();
  });
});
