import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { appendSequenced } from '../../test/helpers/events.js';
import { executeAs } from '../../test/helpers/execute.js';
import { achievementThrough, drainPathwayProgress, earnedEvents, PATHWAY_TEST_BASE_URL } from '../../test/helpers/pathway-progress.js';
import { achievements } from './index.js';

// Drop-off per group, nested groups too, with hand-computed figures.

const issuer = newId();
const member: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: issuer, role: 'ISSUER' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps({ PUBLIC_BASE_URL: PATHWAY_TEST_BASE_URL });
  subgraph = await achievements.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

test('drop-off is counted in every group where those not done stopped: the element of a SEQUENCE they are on, the children of a group they have done', async () => {
  const [a, b, c, d, e, award] = await Promise.all(['A', 'B', 'C', 'D', 'E', 'Award'].map((name) => achievementThrough(subgraph, member, issuer, `Step ${name}`)));
  const leaf = (achievement: string) => ({ kind: 'ACHIEVEMENT', achievement });
  // r = SEQUENCE [ A (r.0), ALL_OF (r.1) [ B (r.1.0), C (r.1.1), SEQUENCE (r.1.2) [ D, E ] ] ]
  const requirement = { kind: 'SEQUENCE', children: [leaf(a!), { kind: 'ALL_OF', children: [leaf(b!), leaf(c!), { kind: 'SEQUENCE', children: [leaf(d!), leaf(e!)] }] }] };
  const created = await executeAs(subgraph, member, `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`, {
    input: { issuerId: issuer, name: 'Nested', description: 'x', requirement, award: { achievementId: award } },
  });
  const id = (created.data as any).createPathway.pathway.id as string;
  expect((await executeAs(subgraph, member, `mutation ($input: PathwayIdInput!) { publishPathway(input: $input) { pathway { id } } }`, { input: { id } })).errors).toBeUndefined();

  const holdings: Record<string, string[]> = {
    p1: [a!], // on r.1 with nothing of it: stopped after A, at the top only
    p2: [a!, b!], // in r.1 with one child done
    p3: [a!, b!, d!], // in r.1 with one child done, and in r.1.2 on its second element
    p4: [a!, b!, c!, d!, e!], // done: counted nowhere
    p5: [b!], // on A at the top; r.1 is not the element they are on
  };
  for (const achievements of Object.values(holdings)) {
    const recipient = newId();
    await appendSequenced(deps.database.db, achievements.flatMap((achievement, day) => earnedEvents(newId(), achievement, recipient, `2026-02-0${day + 1}T00:00:00Z`, issuer)));
  }
  await drainPathwayProgress(deps.database.db);

  const stats = await executeAs(subgraph, member, `query ($id: ID!) { pathway(id: $id) { stats { started completed dropOff { step recipients } dropOffByGroup { nodeId step recipients } } } }`, { id });
  expect(stats.errors).toBeUndefined();
  expect((stats.data as any).pathway.stats).toEqual({
    started: 5,
    completed: 1,
    dropOff: [
      { step: 0, recipients: 1 },
      { step: 1, recipients: 3 },
    ],
    dropOffByGroup: [
      { nodeId: 'r', step: 0, recipients: 1 },
      { nodeId: 'r', step: 1, recipients: 3 },
      { nodeId: 'r.1', step: 1, recipients: 2 },
      { nodeId: 'r.1.2', step: 1, recipients: 1 },
    ],
  });
});
