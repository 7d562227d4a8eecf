import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { createIssuer, publishAchievement } from '../helpers/pages.js';

// Pathway.metrics is contributed by the verification subgraph to the achievements subgraph's Pathway: the gateway
// must offer it (it was missing from the composed schema while no field of the verification subgraph named Pathway).

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub?.dispose());

test('Pathway.metrics is in the gateway’s schema; a pathway no event has named yet is not known to the metrics', async () => {
  const { issuerId, key } = await createIssuer(hub, { name: 'Pathway Academy' });
  const [step, award] = [await publishAchievement(hub, key, { issuerId, name: 'Step' }), await publishAchievement(hub, key, { issuerId, name: 'Award' })];
  const created = await hub.gql(
    `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
    { input: { issuerId, name: 'Track', description: 'One step.', requirement: { kind: 'ALL_OF', children: [{ kind: 'ACHIEVEMENT', achievement: step }] }, award: { achievementId: award } } },
    key,
  );
  expect(created.errors).toBeUndefined();
  const answer = await hub.gql(`query ($id: ID!) { pathway(id: $id) { name metrics { pathwayCompletion { completed started } } } }`, { id: created.data.createPathway.pathway.id }, key);
  // Before the fix: GRAPHQL_VALIDATION_FAILED, "Cannot query field metrics on type Pathway", and no data at all.
  expect(answer.errors?.map((error) => [(error as { path?: string[] }).path, error.extensions?.code])).toEqual([[['pathway', 'metrics'], 'NOT_FOUND']]);
  expect(answer.data.pathway).toEqual({ name: 'Track', metrics: null });
});
