import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { launchBrowser, openPage, screenshot, seriousViolations } from '../helpers/browser.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { createIssuer, originOf, publishAchievement } from '../helpers/pages.js';

// A pathway's public page in a real browser: what it earns and how to earn each part, at both widths, with no serious
// accessibility finding and nothing refused by the CSP.

vi.setConfig({ testTimeout: 180_000 });

let hub: TestHub;
let browser: Browser;
let pathwayId: string;

beforeAll(async () => {
  [hub, browser] = await Promise.all([startTestHub(), launchBrowser()]);
  const { issuerId, key } = await createIssuer(hub, { name: 'Northwind Academy' });
  const course = (name: string) => publishAchievement(hub, key, { issuerId, name, description: `${name}.`, criteria: { narrative: 'Complete it.' }, achievementType: 'Course' });
  const [sql, pipelines, modelling, award] = [await course('SQL'), await course('Pipelines'), await course('Modelling'), await course('Data Engineer')];
  const created = await hub.gql(
    `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
    {
      input: {
        issuerId,
        name: 'Data engineering track',
        description: 'Three courses, two of them in order, and one skill.',
        requirement: {
          kind: 'ALL_OF',
          children: [
            { kind: 'SEQUENCE', children: [{ kind: 'ACHIEVEMENT', achievement: sql }, { kind: 'ACHIEVEMENT', achievement: pipelines, minResult: 70 }] },
            { kind: 'N_OF', n: 1, children: [{ kind: 'ACHIEVEMENT', achievement: modelling }, { kind: 'SKILL', skill: { framework: 'ESCO', code: 'S5.6' }, label: 'Data modelling skill' }] },
          ],
        },
        award: { achievementId: award },
        windowMonths: 24,
      },
    },
    key,
  );
  expect(created.errors).toBeUndefined();
  pathwayId = created.data.createPathway.pathway.id;
  expect((await hub.gql(`mutation ($id: ID!) { publishPathway(input: { id: $id }) { pathway { id } } }`, { id: pathwayId }, key)).errors).toBeUndefined();
});
afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

describe('the pathway page', () => {
  test('shows the award and each part, in order, at both widths, accessibly', async () => {
    for (const width of ['desktop', 'phone'] as const) {
      const { page, consoleErrors, foreignRequests, close } = await openPage(browser, width);
      const response = await page.goto(`${originOf(hub)}/pathways/${pathwayId}`);
      expect(response!.status()).toBe(200);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `pathway-${width}`);
      expect({ consoleErrors, foreignRequests }).toEqual({ consoleErrors: [], foreignRequests: [] });
      const text = await page.locator('main').innerText();
      await close();
      expect(text).toContain('Data Engineer');
      expect(text).toContain('everything within 24 months');
      expect(text).toMatch(/SQL[\s\S]*Pipelines[\s\S]*with a result of at least 70/);
      expect(text).toContain('Any 1 of these 2');
      expect(text).toContain('Data modelling skill');
    }
  });
});
