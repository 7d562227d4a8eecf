import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Pathway starts reach the program metrics: four recipients who never follow the pathway hold its member credentials
// (issued with chosen dates), three complete it. Pathway.metrics and Pathway.stats give the same hand-computed figures.

let hub: TestHub;
let issuerKey: string;
let pathwayId: string;
let sql: string;
let python: string;

async function achievement(issuerId: string, name: string): Promise<string> {
  const made = await hub.gql(
    `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
    { input: { issuerId, name, description: `${name}.`, criteria: { narrative: 'Completed.' }, achievementType: 'Course' } },
    issuerKey,
  );
  const id = made.data.createAchievement.achievement.id as string;
  expect((await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }`, { id }, issuerKey)).errors).toBeUndefined();
  return id;
}

async function issue(achievementId: string, email: string, validFrom: string): Promise<void> {
  const issued = await hub.gql(
    `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`,
    { input: { achievementId, recipient: { email }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }], validFrom, idempotencyKey: `${email}-${achievementId}` } },
    issuerKey,
  );
  expect(issued.errors).toBeUndefined();
}

beforeAll(async () => {
  hub = await startTestHub();
  const created = await hub.gql(`mutation { createIssuer(input: { name: "Northwind", url: "https://issuer.example" }) { issuer { id } } }`);
  const issuerId = created.data.createIssuer.issuer.id as string;
  issuerKey = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId })).data.createApiKey
    .secret as string;
  [sql, python] = [await achievement(issuerId, 'SQL'), await achievement(issuerId, 'Python')];
  const award = await achievement(issuerId, 'Analyst');
  const pathway = await hub.gql(
    `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
    {
      input: {
        issuerId,
        name: 'Analyst track',
        description: 'Two courses.',
        requirement: { kind: 'ALL_OF', children: [{ kind: 'ACHIEVEMENT', achievement: sql }, { kind: 'ACHIEVEMENT', achievement: python }] },
        award: { achievementId: award },
      },
    },
    issuerKey,
  );
  expect(pathway.errors).toBeUndefined();
  pathwayId = pathway.data.createPathway.pathway.id;
  expect((await hub.gql(`mutation ($id: ID!) { publishPathway(input: { id: $id }) { pathway { status } } }`, { id: pathwayId }, issuerKey)).errors).toBeUndefined();
}, 120_000);
afterAll(() => hub?.dispose());

const FIGURES = `query ($id: ID!) { pathway(id: $id) {
  stats { started following completed completionRate medianDaysToComplete }
  metrics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { pathwayCompletion { started completed rate { numerator denominator rate } medianDaysToComplete unavailableReason } }
} }`;

describe('pathway starts in the metrics', () => {
  test('everyone holding a member credential started, followers or not: the completion rate and median agree with Pathway.stats', async () => {
    // ada: 4 days from her first credential to completion; ben: 10; cy: started, not done; dee: 2 (her first credential came second).
    await issue(sql, 'ada@example.org', '2026-01-01T00:00:00Z');
    await issue(python, 'ada@example.org', '2026-01-05T00:00:00Z');
    await issue(sql, 'ben@example.org', '2026-01-02T00:00:00Z');
    await issue(python, 'ben@example.org', '2026-01-12T00:00:00Z');
    await issue(python, 'cy@example.org', '2026-01-03T00:00:00Z');
    await issue(python, 'dee@example.org', '2026-01-10T00:00:00Z');
    await issue(sql, 'dee@example.org', '2026-01-12T00:00:00Z');
    const response = await eventually(
      async () => hub.gql(FIGURES, { id: pathwayId }, issuerKey),
      ({ data }) => data?.pathway?.stats.completed === 3 && data.pathway.metrics?.pathwayCompletion.completed === 3 && data.pathway.metrics.pathwayCompletion.started === 4,
    );
    expect(response.errors).toBeUndefined();
    const figures = response.data.pathway;
    // Medians of {2, 4, 10}: 4 days.
    expect(figures.stats).toEqual({ started: 4, following: 0, completed: 3, completionRate: 0.75, medianDaysToComplete: 4 });
    expect(figures.metrics.pathwayCompletion).toEqual({ started: 4, completed: 3, rate: { numerator: 3, denominator: 4, rate: 0.75 }, medianDaysToComplete: 4, unavailableReason: null });
  }, 60_000);
});
