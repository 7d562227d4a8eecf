import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signViewer, VIEWER_HEADER } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import { issuedCredentials } from '../../subgraphs/issuers/db/tables.js';
import { publishAchievementEvent } from '../helpers/achievements.js';
import { createTestDeps } from '../helpers/deps.js';
import { freePort, spawnService, type ServiceProcess } from '../helpers/process.js';

/**
 * The real thing: an issuers process working through a bulk job is killed with SIGKILL mid-way, a new process
 * takes over, and the job ends with exactly one credential per row.
 */
describe.skipIf(!process.env.DATABASE_URL)('a bulk job survives its worker being killed', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let service: ServiceProcess | null = null;
  let port: number;
  // Chunks of 20, so the plug is pulled with most of the 300 rows still to issue.
  const env = () => ({ DATABASE_URL: deps.testDb.url!, ISSUERS_PORT: String(port), CAIRN_BULK_CLAIM_SECONDS: '2', CAIRN_BULK_CHUNK_SIZE: '20' });

  beforeAll(async () => {
    deps = await createTestDeps();
    port = await freePort();
    service = await spawnService('subgraphs/issuers/main.ts', port, env());
  });
  afterAll(async () => {
    await service?.stop();
    await deps?.dispose();
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${service!.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [VIEWER_HEADER]: signViewer({ kind: 'ADMIN', apiKeyId: newId() }, deps.config.viewerSecret) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };
  const jobState = async (id: string) => (await gql(`query ($id: ID!) { issuanceJob(id: $id) { status issued failed total } }`, { id })).data.issuanceJob;

  test('killed after some rows, restarted, exactly one credential per row', async () => {
    const issuerId = (await gql(`mutation { createIssuer(input: { name: "Crash Test College", url: "https://crash.example" }) { issuer { id } } }`)).data.createIssuer.issuer.id;
    const achievementId = await publishAchievementEvent(deps.database.db, { issuerId, publicBaseUrl: deps.config.publicBaseUrl });

    const rows = 300;
    const csv = ['email,evidence_kind,evidence_url', ...Array.from({ length: rows }, (_, n) => `crash${n}@example.com,assessment,https://lms.example/${n}`)].join('\n');
    const queued = await gql(`mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id } errors { row reason } } }`, { input: { achievementId, csv } });
    const jobId = queued.data.issueCredentials.job.id;

    // Let it get part of the way, then pull the plug.
    for (let state = await jobState(jobId); state.issued < 60; state = await jobState(jobId)) await new Promise((resolve) => setTimeout(resolve, 50));
    service!.process.kill('SIGKILL');
    await new Promise((resolve) => service!.process.once('exit', resolve));
    const [atCrash] = await deps.database.db.select({ value: count() }).from(issuedCredentials);
    expect(atCrash!.value).toBeGreaterThanOrEqual(60);
    expect(atCrash!.value).toBeLessThan(rows);

    service = await spawnService('subgraphs/issuers/main.ts', port, env());
    const deadline = Date.now() + 120_000;
    let state = await jobState(jobId);
    while (state.status !== 'COMPLETED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = await jobState(jobId);
    }
    expect(state).toEqual({ status: 'COMPLETED', issued: rows, failed: 0, total: rows });
    const [total] = await deps.database.db.select({ value: count() }).from(issuedCredentials);
    expect(total!.value).toBe(rows);
  }, 240_000);
});
