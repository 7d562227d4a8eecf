import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { validateAchievementCredential } from '../../lib/crypto/schema.js';
import { createSigningPool } from '../../lib/crypto/signing-pool.js';
import type { Db } from '../../lib/db/client.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { subscribeAs, take } from '../../test/helpers/subscribe.js';
import type { IssuersContext } from './context.js';
import { createJobStore } from './db/job-store.js';
import { issuanceJobRows, issuanceJobs, issuedCredentials } from './db/tables.js';
import { issuers } from './index.js';
import { BulkWorker, poolBatchSigner } from './workers/bulk-worker.js';
import { readLog } from '../../test/helpers/events.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let achievementId: string;
let issuerId: string;

const definition = achievementDefinition({ name: 'Forklift Safety Practice', evidenceRules: [{ kind: 'INSTRUCTOR_EVALUATION', minCount: 1 }] });

const ISSUE_MANY = `mutation ($input: IssueCredentialsInput!) {
  issueCredentials(input: $input) { job { id status total } errors { row field reason } alreadyIssued { row credentialId } }
}`;
const csvOf = (count: number, from = 0) =>
  ['email,name,evidence_kind,evidence_narrative', ...Array.from({ length: count }, (_, index) => `person${from + index}@example.com,Person ${from + index},instructor_evaluation,Passed the practical.`)].join('\n');

const context = () => subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;
const credentialsOf = async (jobId: string) => (await context().jobs.rowsOf(jobId)).map((row) => row.credentialId);

async function waitForJob(jobId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [job] = await context().jobs.findJobs([jobId]);
    if (job!.status === 'COMPLETED' || job!.status === 'FAILED' || Date.now() > deadline) return job!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Bulk workers this test drives itself (the subgraph's own background worker is switched off). */
const worker = () => {
  const ctx = context();
  return new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { chunkSize: 5 });
};

beforeAll(async () => {
  deps = await createTestDeps({ CAIRN_BULK_WORKER: 'false' });
  subgraph = await issuers.create(deps);
  issuerId = (await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Harbor City", url: "https://harbor.example" }) { issuer { id } } }`)).data!.createIssuer.issuer.id;
  achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition, publicBaseUrl: deps.config.publicBaseUrl });
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

describe('bulk issuance', () => {
  test('bad rows are all reported with row, field and reason, and nothing is queued', async () => {
    const before = (await readLog(deps.database.db, { after: 0, limit: 10_000 })).length;
    const csv =
      'email,evidence_kind,evidence_narrative,valid_until\nok@example.com,instructor_evaluation,Fine.,\nnot-an-email,instructor_evaluation,Fine.,\nb@example.com,attendance,Was there.,\nc@example.com,instructor_evaluation,Fine.,soon\n' +
      'also-not-an-email,attendance,,\n';
    const result = await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv } });
    expect(result.errors).toBeUndefined();
    const { job, errors } = result.data!.issueCredentials;
    expect(job).toBeNull();
    expect(errors.map((error: { row: number; field: string }) => [error.row, error.field])).toEqual([
      [2, 'recipient.email'],
      [3, 'evidence'],
      [4, 'valid_until'],
      // Every problem of a row, not only its first.
      [5, 'recipient.email'],
      [5, 'evidence'],
      [5, 'evidence[0]'],
    ]);
    expect((await readLog(deps.database.db, { after: 0, limit: 10_000 })).length).toBe(before);
  });

  test('an unknown achievement and another issuer’s member are refused', async () => {
    expect((await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId: newId(), csv: csvOf(1) } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const outsider: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: newId(), role: 'OWNER' };
    expect((await executeAs(subgraph, outsider, ISSUE_MANY, { input: { achievementId, csv: csvOf(1) } })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  test('a job issues every row once, reporting progress until it completes', async () => {
    const result = await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csvOf(12) } });
    const job = result.data!.issueCredentials.job;
    expect(job).toMatchObject({ total: 12 });
    const progress = await subscribeAs(subgraph, admin, `subscription ($id: ID!) { issuanceJobProgress(id: $id) { status issued total } }`, { id: job.id });
    if (!(Symbol.asyncIterator in progress)) throw new Error(JSON.stringify(progress.errors));
    const running = worker();
    running.start();
    const states: { status: string; issued: number }[] = [];
    for await (const state of progress) {
      states.push(state.data!.issuanceJobProgress);
      if (state.data!.issuanceJobProgress.status === 'COMPLETED') break;
    }
    await running.stop();
    expect(states[0]!.issued).toBeLessThan(12);
    expect(states.length).toBeGreaterThan(2);
    expect(states.at(-1)).toEqual({ status: 'COMPLETED', issued: 12, total: 12 });
    const ids = await credentialsOf(job.id);
    expect(new Set(ids).size).toBe(12);
    expect(ids.every(Boolean)).toBe(true);
  });

  test('rows held by a worker that died are issued after its claim expires, each exactly once', async () => {
    const job = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csvOf(20, 100) } })).data!.issueCredentials.job;
    // A "crashed" worker: claims 8 rows for a minute and never comes back.
    const abandoned = await context().jobs.claimRows(8, 60);
    expect(abandoned).toHaveLength(8);
    // Two live workers share the rest at the same time.
    await Promise.all([worker().drain(), worker().drain()]);
    // The abandoned rows wait for their claim to expire.
    const midway = (await context().jobs.findJobs([job.id]))[0]!;
    expect(midway.status).toBe('RUNNING');
    // Exactly the 12 unclaimed rows: no row of a live worker waits for a claim to expire.
    expect(midway.issued).toBe(12);
    // Time passes: the dead worker's claims run out.
    await deps.database.db
      .update(issuanceJobRows)
      .set({ claimedUntil: sql`now() - interval '1 second'` })
      .where(and(eq(issuanceJobRows.jobId, job.id), eq(issuanceJobRows.status, 'PENDING')));
    await Promise.all([worker().drain(), worker().drain()]);
    const finished = await waitForJob(job.id);
    expect(finished).toMatchObject({ status: 'COMPLETED', issued: 20, failed: 0 });
    const ids = await credentialsOf(job.id);
    expect(new Set(ids).size).toBe(20);
    const [ledger] = await deps.database.db
      .select({ value: count() })
      .from(issuedCredentials)
      .where(and(eq(issuedCredentials.issuerId, issuerId), inArray(issuedCredentials.id, ids as string[])));
    expect(ledger!.value).toBe(20);
  });

  test('with the worker_threads signing pool, rows are signed off the main thread into valid credentials', async () => {
    const pool = createSigningPool({ size: 1 });
    try {
      const job = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csvOf(6, 700) } })).data!.issueCredentials.job;
      const ctx = context();
      await new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { sign: poolBatchSigner(() => pool, ctx.keyRing) }).drain();
      expect((await ctx.jobs.findJobs([job.id]))[0]).toMatchObject({ status: 'COMPLETED', issued: 6 });
      const [first] = await ctx.jobs.rowsOf(job.id);
      const credential = await ctx.issuance.store.findCredential(first!.credentialId!);
      expect(validateAchievementCredential(credential!.document)).toMatchObject({ valid: true });
    } finally {
      await pool.close();
    }
  });

  test('a job’s status purpose is kept with the job: a worker that resumes it gives every row a suspension entry', async () => {
    const result = await executeAs(subgraph, admin, `mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id statusPurpose } } }`, {
      input: { achievementId, csv: csvOf(3, 900), statusPurpose: 'SUSPENSION' },
    });
    const job = result.data!.issueCredentials.job;
    expect(job.statusPurpose).toBe('SUSPENSION');
    // A fresh worker knows nothing of the request: it reads the purpose from the job.
    await worker().drain();
    const credentials = await Promise.all((await credentialsOf(job.id)).map((id) => context().issuance.store.findCredential(id!)));
    expect(credentials.map((credential) => credential!.statusPurpose)).toEqual(['suspension', 'suspension', 'suspension']);
    expect(credentials.map((credential) => (credential!.document.credentialStatus as { statusPurpose: string }).statusPurpose)).toEqual(['suspension', 'suspension', 'suspension']);
    expect(validateAchievementCredential(credentials[0]!.document)).toMatchObject({ valid: true });
    const plain = (await executeAs(subgraph, admin, `mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { statusPurpose } } }`, { input: { achievementId, csv: csvOf(1, 950) } })).data!
      .issueCredentials.job;
    expect(plain.statusPurpose).toBe('REVOCATION');
    await worker().drain();
  });

  test('running the same CSV again issues nothing twice and reports the rows it skipped; allowReissue issues anyway', async () => {
    const csv = csvOf(3, 300);
    const first = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv } })).data!.issueCredentials;
    expect(first).toMatchObject({ job: { total: 3 }, errors: [], alreadyIssued: [] });
    await worker().drain();
    const issued = await credentialsOf(first.job.id);

    // The same file, and a longer one holding it: only the new row is queued, the others come back as issued.
    const again = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv } })).data!.issueCredentials;
    expect(again).toEqual({ job: null, errors: [], alreadyIssued: issued.map((credentialId, index) => ({ row: index + 1, credentialId })) });
    const longer = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csvOf(4, 300) } })).data!.issueCredentials;
    expect(longer.job).toMatchObject({ total: 1 });
    expect(longer.alreadyIssued.map((row: { row: number }) => row.row)).toEqual([1, 2, 3]);
    await worker().drain();
    expect((await context().jobs.rowsOf(longer.job.id)).map((row) => row.rowNumber)).toEqual([4]);

    // Other evidence is another award; a row's own key decides instead of the hash.
    const otherEvidence = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csv.replaceAll('Passed the practical.', 'Passed the retake.') } })).data!.issueCredentials;
    expect(otherEvidence).toMatchObject({ job: { total: 3 }, alreadyIssued: [] });
    await worker().drain();
    const keyed = 'email,evidence_kind,evidence_narrative,idempotency_key\nkeyed@example.com,instructor_evaluation,Passed.,cohort-7/keyed\n';
    expect((await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: keyed } })).data!.issueCredentials.job).toMatchObject({ total: 1 });
    await worker().drain();
    expect((await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: keyed } })).data!.issueCredentials).toMatchObject({ job: null, alreadyIssued: [{ row: 1 }] });
    const reused = keyed.replace('keyed@example.com', 'someone-else@example.com');
    expect((await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: reused } })).data!.issueCredentials.errors).toEqual([
      { row: 1, field: 'idempotencyKey', reason: expect.stringMatching(/already used for a different credential/) },
    ]);

    // A row repeating another of the same file is refused rather than issued twice.
    const repeated = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: `${csvOf(1, 390)}\n${csvOf(1, 390).split('\n')[1]}` } })).data!.issueCredentials;
    expect(repeated).toMatchObject({ job: null, errors: [{ row: 2, field: 'idempotencyKey' }] });

    // Asked for explicitly, the same rows are issued again.
    const reissued = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv, allowReissue: true } })).data!.issueCredentials;
    expect(reissued).toMatchObject({ job: { total: 3 }, alreadyIssued: [] });
    await worker().drain();
    const second = await credentialsOf(reissued.job.id);
    expect(second.filter((id) => issued.includes(id))).toEqual([]);
  });

  test('the issuanceJob query is for the issuer’s members', async () => {
    const job = (await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csvOf(1, 500) } })).data!.issueCredentials.job;
    const member: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'VIEWER' };
    expect((await executeAs(subgraph, member, `query ($id: ID!) { issuanceJob(id: $id) { total } }`, { id: job.id })).data).toEqual({ issuanceJob: { total: 1 } });
    const outsider: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: newId(), role: 'OWNER' };
    expect((await executeAs(subgraph, outsider, `query ($id: ID!) { issuanceJob(id: $id) { total } }`, { id: job.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    await worker().drain();
    // A finished job's subscription gives its final state and ends.
    const [final] = await take((await subscribeAs(subgraph, admin, `subscription ($id: ID!) { issuanceJobProgress(id: $id) { status } }`, { id: job.id })) as never, 1);
    expect((final as any).data.issuanceJobProgress.status).toBe('COMPLETED');
  });
});

// Issue 10, item 3: a job's counters and status committed without their IssuanceJobProgressed event, which followed
// in a second transaction; a worker dying in between left a COMPLETED job whose log still said QUEUED, and a progress
// subscription that never moved. Each state change now commits with its event, and subscriptions re-read the job.
// (Last in this file: the dying workers leave their claimed rows to expire.)
const PROGRESS = `subscription ($id: ID!) { issuanceJobProgress(id: $id) { status issued failed total } }`;

/** The same people again on purpose: these tests are about progress, not about skipping what was issued. */
async function newJob(rows: number): Promise<string> {
  const created = await executeAs(subgraph, admin, ISSUE_MANY, { input: { achievementId, csv: csvOf(rows), allowReissue: true } });
  expect(created.errors).toBeUndefined();
  return created.data!.issueCredentials.job.id;
}

/**
 * The database as a worker process sees it until it dies: its `transaction`-th transaction never starts, and nothing
 * after it reaches the database either (a dead process gives back no claims).
 */
function dyingAt(db: Db, transaction: number): Db {
  let started = 0;
  const died = () => new Error('the worker process died');
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return (...args: Parameters<Db['transaction']>) => {
          started += 1;
          if (started >= transaction) return Promise.reject(died());
          return target.transaction(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (started >= transaction) throw died();
        return value.apply(target, args);
      };
    },
  });
}

async function lastProgressOf(jobId: string) {
  const progressed = (await readLog(deps.database.db, { after: 0, limit: 10_000, types: [EventType.ISSUANCE_JOB_PROGRESSED] })).filter(
    (event) => event.payload.jobId === jobId,
  );
  const { status, issued, failed } = progressed.at(-1)!.payload as { status: string; issued: number; failed: number };
  return { status, issued, failed };
}

describe('bulk progress', () => {
  test('a worker dying before any of its transactions leaves the job exactly as its last progress event says', async () => {
    // The issuer's status list exists already: opening one is a transaction of its own, before any chunk's.
    await newJob(1);
    await worker().drain();
    for (let crashAt = 1; crashAt <= 4; crashAt += 1) {
      const jobId = await newJob(3);
      const ctx = context();
      const dying = dyingAt(deps.database.db, crashAt);
      const worker = new BulkWorker({ ...ctx.issuance, db: dying }, createJobStore(dying), deps.feed, deps.log, { chunkSize: 3 });
      await worker.runOnce().catch(() => undefined);
      const [job] = await ctx.jobs.findJobs([jobId]);
      expect({ crashAt, ...(await lastProgressOf(jobId)) }).toEqual({ crashAt, status: job!.status, issued: job!.issued, failed: job!.failed });
    }
    // With no crash at all the same job reaches COMPLETED 3/3, and the log says so.
    const jobId = await newJob(3);
    const ctx = context();
    await new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { chunkSize: 3 }).runOnce();
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
