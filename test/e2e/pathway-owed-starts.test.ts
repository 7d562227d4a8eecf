import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pathwayStartedEvent } from '../../lib/events/contracts/pathway-started.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import { pathwayProgress } from '../../subgraphs/achievements/db/pathway-tables.js';
import { eventually } from '../helpers/eventually.js';
import { readLog } from '../helpers/events.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Progress recorded before PathwayStarted existed had no start in the metrics, so an old pathway's completion rate
// stayed null. The achievements subgraph's pathway jobs announce each such row once, with nothing for anyone to run.

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub?.dispose());

const METRICS = `query ($id: ID!) { pathway(id: $id) {
  metrics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { pathwayCompletion { started completed rate { numerator denominator rate } } }
} }`;

describe('PathwayStarted owed to old progress', () => {
  test('a progress row without a start gets exactly one PathwayStarted, and the completion rate is no longer null', async () => {
    const created = await hub.gql(`mutation { createIssuer(input: { name: "Northwind", url: "https://issuer.example" }) { issuer { id } } }`);
    const issuerId = created.data.createIssuer.issuer.id as string;
    const key = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId })).data
      .createApiKey.secret as string;
    const achievement = async (name: string) => {
      const made = await hub.gql(
        `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
        { input: { issuerId, name, description: `${name}.`, criteria: { narrative: 'Completed.' }, achievementType: 'Course' } },
        key,
      );
      const id = made.data.createAchievement.achievement.id as string;
      expect((await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }`, { id }, key)).errors).toBeUndefined();
      return id;
    };
    const [sql, award] = [await achievement('SQL'), await achievement('Analyst')];
    const pathway = await hub.gql(
      `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
      { input: { issuerId, name: 'Old track', description: 'One course.', requirement: { kind: 'ACHIEVEMENT', achievement: sql }, award: { achievementId: award } } },
      key,
    );
    const pathwayId = pathway.data.createPathway.pathway.id as string;
    expect((await hub.gql(`mutation ($id: ID!) { publishPathway(input: { id: $id }) { pathway { status } } }`, { id: pathwayId }, key)).errors).toBeUndefined();

    // A row as the projection wrote it before PathwayStarted existed: progress, no event (what migration 0028 leaves unannounced).
    const recipientId = newId();
    await hub.deps.database.db.insert(pathwayProgress).values({
      recipientId,
      pathwayId,
      version: 1,
      percent: 0,
      satisfied: false,
      completedAt: null,
      startedAt: new Date('2026-01-03T00:00:00Z'),
      step: null,
      detail: { root: { nodeId: 'r', satisfied: false, fraction: 0, credentialIds: [], lapsed: [], children: [], currentStep: null } } as never,
      startAnnounced: false,
    });

    const response = await eventually(
      () => hub.gql(METRICS, { id: pathwayId }, key),
      ({ data }) => data?.pathway?.metrics?.pathwayCompletion.started === 1,
      30_000,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.pathway.metrics.pathwayCompletion).toEqual({ started: 1, completed: 0, rate: { numerator: 0, denominator: 1, rate: 0 } });
    const starts = (await readLog(hub.deps.database.db, { after: 0, limit: 10_000, types: [EventType.PATHWAY_STARTED] })).map((event) => pathwayStartedEvent.parse(event.payload));
    expect(starts.filter((start) => start.recipientId === recipientId)).toEqual([{ pathwayId, version: 1, issuerId, recipientId, startedAt: '2026-01-03T00:00:00.000Z' }]);
  }, 120_000);
});
