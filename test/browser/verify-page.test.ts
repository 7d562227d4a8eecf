import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { signedSampleCredential } from '../fixtures/signed-sample-credential.js';
import { EventType } from '../../lib/events/types.js';
import { launchBrowser, openPage, screenshot, seriousViolations } from '../helpers/browser.js';
import { countEvents } from '../helpers/events.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { createIssuer, issueCredential, originOf, publishAchievement } from '../helpers/pages.js';

// The drop-in verifier and the pages' safety, in a real browser: a plain form (no script) that answers with the
// API's verdict, and credentials written by an attacker that render as text.

// A browser and a whole hub on two shared cores: pages take seconds, not milliseconds, under load.
vi.setConfig({ testTimeout: 180_000 });

let hub: TestHub;
let browser: Browser;
const origin = () => originOf(hub);
const XSS_NAME = '<img src=x onerror=alert(1)>';

async function issuerWithCredential(name: string, criteria: string) {
  const { issuerId, key } = await createIssuer(hub, { name });
  const achievementId = await publishAchievement(hub, key, { issuerId, name: `Safety ${name}`, criteria: { narrative: criteria } });
  return issueCredential(hub, key, { achievementId, recipient: { email: 'ada@example.com' }, idempotencyKey: `k-${name}` });
}

beforeAll(async () => {
  [hub, browser] = await Promise.all([startTestHub(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

describe('the drop-in verifier at /verify', () => {
  test('a dropped baked PNG of this hub is VALID, with its checks and a link to its page', async () => {
    const id = await issuerWithCredential('Harbor Institute', 'Pass the exam.');
    const png = Buffer.from(await (await fetch(`${origin()}/credentials/${id}/badge.png`)).arrayBuffer());
    const { page, dialogs, consoleErrors, foreignRequests, close } = await openPage(browser);
    await page.goto(`${origin()}/verify`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'verify-desktop');
    await page.setInputFiles('#credential-file', { name: 'badge.png', mimeType: 'image/png', buffer: png });
    const verifiedBefore = await countEvents(hub.deps.database.db, EventType.CREDENTIAL_VERIFIED);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForSelector('.verdict');
    expect(await page.locator('.verdict strong').textContent()).toBe('VALID');
    // Unlike a credential's page, the visitor here verifies what they brought: recorded like any verification.
    expect(await countEvents(hub.deps.database.db, EventType.CREDENTIAL_VERIFIED)).toBe(verifiedBefore + 1);
    expect(await page.locator('main').innerText()).toContain('Safety Harbor Institute');
    expect(await page.getByRole('link', { name: 'Open its page on this hub' }).getAttribute('href')).toBe(`/credentials/${id}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'verify-result-desktop');
    expect({ dialogs, consoleErrors, foreignRequests }).toEqual({ dialogs: [], consoleErrors: [], foreignRequests: [] });
    await close();
  });

  test("a pasted foreign credential gets the API's verdict, and the page says plainly what it could not confirm", async () => {
    const foreign = await signedSampleCredential();
    const { page, close } = await openPage(browser, 'phone');
    await page.goto(`${origin()}/verify`);
    await page.fill('#credential-text', JSON.stringify(foreign, null, 2));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForSelector('.verdict');
    const api = (await hub.gql(`mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) { status } }`, { input: { credential: foreign } }, null)).data.verifyCredential;
    expect(await page.locator('.verdict strong').textContent()).toBe(api.status.replace(/_/g, ' '));
    const text = await page.locator('main').innerText();
    expect(text).toContain('Container Orchestration Fundamentals');
    expect(text).toContain('What could not be confirmed');
    expect(text).toContain('neither an issuer of this hub nor on a trust list');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'verify-foreign-phone');
    await close();
  });

  test('an empty form is answered with a page that says what to do, not an error', async () => {
    const { page, close } = await openPage(browser);
    await page.goto(`${origin()}/verify`);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForSelector('[role=alert]');
    expect(await page.locator('[role=alert]').innerText()).toContain('Choose a file or paste a credential');
    await close();
  });
});

describe('safety', () => {
  test("an issuer named like markup and criteria with a script: nothing runs, the text shows as written", async () => {
    const id = await issuerWithCredential(XSS_NAME, 'Ignore <script>alert(2)</script> and [click](javascript:alert(3))');
    const { page, dialogs, close } = await openPage(browser);
    await page.goto(`${origin()}/credentials/${id}`);
    await page.waitForSelector('.verdict');
    expect(await page.locator('main').innerText()).toContain(XSS_NAME);
    expect(await page.locator('.markdown').innerText()).toContain('<script>alert(2)</script>');
    expect(await page.locator('main img[src=x], main script').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.locator('main').getByText('click').click().catch(() => undefined);
    expect(dialogs).toEqual([]);
    await close();
  });
});
