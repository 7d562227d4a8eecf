import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import type { Db } from '../../lib/db/client.js';
import { readEvents } from '../../lib/events/outbox.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { subscribeAs, take } from '../../test/helpers/subscribe.js';
import type { IssuersContext } from './context.js';
import { issuanceJobs } from './db/tables.js';
import { issuers } from './index.js';
import { BulkWorker } from './workers/bulk-worker.js';

// Issue 10, item 3: a job's counters and status committed without their IssuanceJobProgressed event, which followed
// in a second transaction; a worker dying in between left a COMPLETED job whose log still said QUEUED, and a progress
// subscription that never moved. Each state change now commits with its event, and subscriptions re-read the job.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let achievementId: string;

const ISSUE_MANY = `mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id } } }`;
const PROGRESS = `subscription ($id: ID!) { issuanceJobProgress(id: $id) { status issued failed total } }`;
const csvOf = (count: number) =>
  ['email,evidence_kind,evidence_narrative', ...Array.from({ length: count }, (_, i) => `${newId()}@example.com,instructor_evaluation,Passed.`)].join('\n');
const context = () => subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;

async function newJob(rows: number): Promise<string> {
  const created = await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csvOf(rows) } });
  expect(created.errors).toBeUndefined();
  return created.data!.issueCredentials.job.id;
}

/** The database as a worker process sees it until it dies: its `transactions`-th transaction and every later one never start. */
function dyingAt(db: Db, transaction: number): Db {
  let started = 0;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return (...args: Parameters<Db['transaction']>) => {
          started += 1;
          if (started >= transaction) return Promise.reject(new Error('the worker process died'));
          return target.transaction(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function lastProgressOf(jobId: string) {
  const progressed = (await readEvents(deps.database.db, { after: 0, limit: 10_000, types: [EventType.ISSUANCE_JOB_PROGRESSED] })).filter(
    (event) => event.payload.jobId === jobId,
  );
  const { status, issued, failed } = progressed.at(-1)!.payload as { status: string; issued: number; failed: number };
  return { status, issued, failed };
}

beforeAll(async () => {
  deps = await createTestDeps({ CAIRN_BULK_WORKER: 'false' });
  subgraph = await issuers.create(deps);
  const issuerId = (await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Harbor City", url: "https://harbor.example" }) { issuer { id } } }`)).data!
    .createIssuer.issuer.id;
  const definition = achievementDefinition({ name: 'Forklift Safety Practice', evidenceRules: [{ kind: 'INSTRUCTOR_EVALUATION', minCount: 1 }] });
  achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition, publicBaseUrl: deps.config.publicBaseUrl });
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

describe('bulk progress', () => {
  test('a worker dying before any of its transactions leaves the job exactly as its last progress event says', async () => {
    for (let crashAt = 1; crashAt <= 4; crashAt += 1) {
      const jobId = await newJob(3);
      const ctx = context();
      const worker = new BulkWorker({ ...ctx.issuance, db: dyingAt(deps.database.db, crashAt) }, ctx.jobs, deps.feed, deps.log, { batchSize: 3 });
      await worker.runOnce().catch(() => undefined);
      const [job] = await ctx.jobs.findJobs([jobId]);
      expect({ crashAt, ...(await lastProgressOf(jobId)) }).toEqual({ crashAt, status: job!.status, issued: job!.issued, failed: job!.failed });
    }
    // With no crash at all the same job reaches COMPLETED 3/3, and the log says so.
    const jobId = await newJob(3);
    const ctx = context();
    await new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { batchSize: 3 }).runOnce();
    expect(await lastProgressOf(jobId)).toEqual({ status: 'COMPLETED', issued: 3, failed: 0 });
  });

  test('a progress subscription notices a change no event announced, by re-reading the job', async () => {
    const jobId = await newJob(2);
    const progress = await subscribeAs(subgraph, admin, PROGRESS, { id: jobId });
    if (!(Symbol.asyncIterator in progress)) throw new Error('refused');
    expect((await take(progress, 1))[0]!.data!.issuanceJobProgress).toMatchObject({ status: 'QUEUED', issued: 0 });
    // What an older release could leave behind: the job finished, its event never written.
    await deps.database.db.update(issuanceJobs).set({ status: 'COMPLETED', issued: 2 }).where(eq(issuanceJobs.id, jobId));
    expect((await take(progress, 1, 8_000))[0]!.data!.issuanceJobProgress).toMatchObject({ status: 'COMPLETED', issued: 2, total: 2 });
    await progress.return!(undefined);
  });
});
