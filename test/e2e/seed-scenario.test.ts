import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import type { ScenarioPlan } from '../../scripts/scenario/plan.js';
import { ScenarioAlreadySeeded, seedScenario, type ScenarioKeys } from '../../scripts/scenario/seed.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// `npm run seed:scenario` at a reduced size (SCENARIO_RECIPIENTS in the command; here the same function with 60
// learners): through the gateway, and the metrics it produces are there, spread over the year, and plausible.

vi.setConfig({ testTimeout: 600_000 });

const LEARNERS = 60;
let hub: TestHub;
let keys: ScenarioKeys;
let plan: ScenarioPlan;

beforeAll(async () => {
  hub = await startTestHub();
  ({ keys, plan } = await seedScenario(hub.deps.database.db, hub.gateway.url, { learners: LEARNERS, log: silentLogger() }));
}, 600_000);
afterAll(() => hub?.dispose());

const METRICS = `query ($id: ID!) { issuer(id: $id) { metrics(interval: MONTH) {
  issuance { issued delivered }
  sharing { rate { numerator denominator rate } shares }
  verification { rate { numerator denominator rate } verifications byRelyingParty { relyingParty count } }
  series { periodStart issued }
  careerImpact(windowMonths: 6) { afterEarning { numerator denominator } withoutCredential { denominator } }
} } }`;

describe('the scenario seed', () => {
  test('issues the planned credentials, dated over the year, with shares, employer verifications and career records', async () => {
    const riverside = keys.issuers.find((issuer) => issuer.name === 'Riverside Polytechnic')!;
    const academy = keys.issuers.find((issuer) => issuer.name === 'Northwind Logistics Academy')!;
    const planned = (issuer: string) => plan.awards.filter((award) => award.issuer === issuer).length;
    const read = (issuerId: string, key: string) => hub.gql(METRICS, { id: issuerId }, key);
    // Pathway certificates come on top of the planned awards, issued by the hub when a learner completes the steps.
    const river = await eventually(() => read(riverside.issuerId, riverside.key), (answer) => answer.data?.issuer.metrics.issuance.delivered >= planned('riverside'), 120_000);
    expect(river.errors).toBeUndefined();
    const metrics = river.data.issuer.metrics;
    expect(metrics.issuance.issued).toBeGreaterThanOrEqual(planned('riverside'));
    // A year shows as a year: credentials in most months, not all on the day of the seed.
    const monthsWithIssuance = metrics.series.filter((period: { issued: number }) => period.issued > 0).length;
    expect(monthsWithIssuance).toBeGreaterThanOrEqual(6);
    expect(Math.max(...metrics.series.map((period: { issued: number }) => period.issued))).toBeLessThan(metrics.issuance.issued);
    // Some holders shared, some credentials were checked by employers; rates are proportions of real cohorts.
    expect(metrics.sharing.shares).toBeGreaterThan(0);
    expect(metrics.sharing.rate.rate).toBeGreaterThan(0.1);
    expect(metrics.sharing.rate.rate).toBeLessThan(0.9);
    expect(metrics.verification.byRelyingParty.some((entry: { relyingParty: string }) => entry.relyingParty === 'EMPLOYER')).toBe(true);
    expect(metrics.verification.rate.rate).toBeGreaterThan(0);
    expect(metrics.verification.rate.rate).toBeLessThan(1);

    const academyMetrics = (await read(academy.issuerId, academy.key)).data.issuer.metrics;
    expect(academyMetrics.careerImpact.afterEarning.denominator).toBeGreaterThan(0);
    expect(academyMetrics.careerImpact.withoutCredential.denominator).toBeGreaterThan(0);

    const recipients = await hub.gql('{ recipients(first: 1) { totalCount } }');
    expect(recipients.data.recipients.totalCount).toBe(LEARNERS + plan.comparisonGroup.length);
  });

  test('a second run on the same hub refuses, saying why, and writes nothing', async () => {
    const before = (await hub.gql('{ issuers(first: 1) { totalCount } }')).data.issuers.totalCount;
    await expect(seedScenario(hub.deps.database.db, hub.gateway.url, { learners: LEARNERS, log: silentLogger() })).rejects.toBeInstanceOf(ScenarioAlreadySeeded);
    expect((await hub.gql('{ issuers(first: 1) { totalCount } }')).data.issuers.totalCount).toBe(before);
  });
});
