import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { serveSubgraphRoutes } from '../../test/helpers/subgraph-routes.js';
import type { IssuersContext } from './context.js';
import { issuers } from './index.js';
import { BulkWorker } from './workers/bulk-worker.js';

// A hosted copy in no wallet yet was served to anyone: strangers read a credential meant to start PRIVATE until its
// delivery had been projected, and a holder's PUBLIC choice could look applied (200) while the delivery, projected
// later, hid it again. Here the issuers subgraph runs alone: nothing ever delivers, so what is served is what the
// issuance itself recorded.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const anonymous: Viewer = { kind: 'ANONYMOUS' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;
let achievementId: string;
let routes: Awaited<ReturnType<typeof serveSubgraphRoutes>>;

const statusAs = async (viewer: Viewer, path: string) => (await routes.get(viewer, path)).status;
const member = (): Viewer => ({ kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'VIEWER' });

beforeAll(async () => {
  deps = await createTestDeps({ CAIRN_BULK_WORKER: 'false' });
  subgraph = await issuers.create(deps);
  issuerId = (await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Harbor City", url: "https://harbor.example" }) { issuer { id } } }`)).data!.createIssuer.issuer.id;
  achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition: achievementDefinition(), publicBaseUrl: deps.config.publicBaseUrl });
  routes = await serveSubgraphRoutes(subgraph, deps.log);
});
afterAll(async () => {
  await routes?.close();
  await subgraph?.close();
  await deps?.dispose();
});

describe('a hosted copy before its holder has it', () => {
  test('an issued credential is hidden from strangers from the moment it is issued; its issuer and operators read it', async () => {
    const issued = await executeAs(subgraph, admin, `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`, {
      input: { achievementId, recipient: { email: 'fresh@example.com' }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }], idempotencyKey: newId() },
    });
    expect(issued.errors).toBeUndefined();
    const path = `/credentials/${issued.data!.issueCredential.credential.id}`;
    expect([await statusAs(anonymous, path), await statusAs(anonymous, `${path}?format=jwt`), await statusAs(anonymous, `${path}/badge.svg`)]).toEqual([404, 404, 404]);
    expect([await statusAs(member(), path), await statusAs(admin, path)]).toEqual([200, 200]);
  });

  test('so is every credential of a bulk job', async () => {
    const csv = ['email,evidence_kind,evidence_narrative', 'one@example.com,assessment,Passed.', 'two@example.com,assessment,Passed.'].join('\n');
    const queued = await executeAs(subgraph, admin, `mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id } } }`, { input: { achievementId, csv } });
    expect(queued.errors).toBeUndefined();
    const ctx = subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;
    await new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { chunkSize: 5 }).runOnce();
    const credentialIds = (await ctx.jobs.rowsOf(queued.data!.issueCredentials.job.id)).map((row) => row.credentialId);
    expect(credentialIds).toHaveLength(2);
    for (const id of credentialIds) {
      expect(await statusAs(anonymous, `/credentials/${id}`)).toBe(404);
      expect(await statusAs(member(), `/credentials/${id}`)).toBe(200);
    }
  });
});
