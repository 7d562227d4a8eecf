import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { createSigningPool } from '../../lib/crypto/signing-pool.js';
import type { Db } from '../../lib/db/client.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import type { IssuersContext } from './context.js';
import { createIssuanceStore } from './db/issuance-store.js';
import { createJobStore } from './db/job-store.js';
import { createKeyStore } from './db/key-store.js';
import { createIssuerStore } from './db/store.js';
import { issuedCredentials, statusLists } from './db/tables.js';
import { issuers } from './index.js';
import { createKeysService } from './services/keys.js';
import { createStatusListsService } from './services/status-lists.js';
import type { BatchSigner } from './services/bulk-issuance.js';
import { BulkWorker, poolBatchSigner } from './workers/bulk-worker.js';

// Bulk issuance as a pipeline: rows are claimed, given status indexes, signed and recorded a chunk at a time. What a
// chunk must still guarantee: no two rows share a status index (so none waits out its claim), few transactions per
// credential, and a row that fails fails alone.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

const definition = achievementDefinition({ name: 'Crane Signalling', evidenceRules: [{ kind: 'INSTRUCTOR_EVALUATION', minCount: 1 }] });
const csvOf = (count: number, nameOf = (n: number) => `Person ${n}`) =>
  ['email,name,evidence_kind,evidence_narrative', ...Array.from({ length: count }, (_, n) => `person${n}@example.com,${nameOf(n)},instructor_evaluation,Signalled the lift.`)].join('\n');
const context = () => subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;

beforeAll(async () => {
  deps = await createTestDeps({ CAIRN_BULK_WORKER: 'false' });
  subgraph = await issuers.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

/** A new issuer with a published achievement, so each test has status lists of its own. */
async function newIssuer(name: string): Promise<{ issuerId: string; achievementId: string }> {
  const created = await executeAs(subgraph, admin, `mutation ($name: String!) { createIssuer(input: { name: $name, url: "https://issuer.example" }) { issuer { id } } }`, { name });
  const issuerId = created.data!.createIssuer.issuer.id as string;
  return { issuerId, achievementId: await publishAchievementEvent(deps.database.db, { issuerId, definition, publicBaseUrl: deps.config.publicBaseUrl }) };
}

/** Tests here issue the same people again on purpose (to fill status lists), so every job allows reissuing. */
async function newJob(achievementId: string, csv: string): Promise<string> {
  const created = await executeAs(subgraph, admin, `mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id } errors { row reason } } }`, {
    input: { achievementId, csv, allowReissue: true },
  });
  expect(created.errors).toBeUndefined();
  expect(created.data!.issueCredentials.errors).toEqual([]);
  return created.data!.issueCredentials.job.id;
}

/**
 * `db` as PostgreSQL's `xact_commit` sees it: one transaction for each transaction block and one for each statement
 * run outside a block. drizzle runs every statement through its session's `prepareQuery` and every block through
 * its `transaction`; a block's own statements go through the block's session, which is not counted again.
 */
function countingTransactions(db: Db): { db: Db; transactions: () => number } {
  let transactions = 0;
  const session = (db as unknown as { session: object }).session;
  const countingSession = new Proxy(session, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== 'prepareQuery' && property !== 'transaction') return value.bind(target);
      return (...args: unknown[]) => {
        transactions += 1;
        return value.apply(target, args);
      };
    },
  });
  const counting = new Proxy(db, { get: (target, property, receiver) => (property === 'session' ? countingSession : Reflect.get(target, property, receiver)) });
  return { db: counting, transactions: () => transactions };
}

describe('bulk issuance in chunks', () => {
  test('rows whose random status indexes would collide all get their own, and none waits for a claim to expire', async () => {
    const { issuerId, achievementId } = await newIssuer('Short List Polytechnic');
    // The issuer's current revocation list has 256 entries (the hub opens 131,072-entry ones): a crowd small enough
    // that rows drawing random indexes collide in nearly every chunk, and the loser waited out its 60-second claim.
    const shortList = newId();
    await deps.database.db.insert(statusLists).values({ id: shortList, issuerId, purpose: 'revocation', length: 256, bits: Buffer.alloc(32) });
    const jobId = await newJob(achievementId, csvOf(300));

    const ctx = context();
    const started = Date.now();
    // Two workers at once, so chunks are in flight together too; the claim is the default minute.
    await Promise.all([0, 1].map(() => new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { chunkSize: 25 }).drain()));
    expect((await ctx.jobs.findJobs([jobId]))[0]).toMatchObject({ status: 'COMPLETED', issued: 300, failed: 0 });
    expect(Date.now() - started).toBeLessThan(60_000);

    const ledger = await deps.database.db
      .select({ listId: issuedCredentials.statusListId, index: issuedCredentials.statusListIndex, document: issuedCredentials.document, issuedAt: issuedCredentials.issuedAt })
      .from(issuedCredentials)
      .where(eq(issuedCredentials.issuerId, issuerId));
    const onShortList = ledger.filter((credential) => credential.listId === shortList);
    // The short list is filled exactly, every index once; the other 44 rows went on to the issuer's next list.
    expect(new Set(onShortList.map((credential) => credential.index)).size).toBe(256);
    const onNextList = ledger.filter((credential) => credential.listId !== shortList);
    expect(onNextList).toHaveLength(44);
    expect(new Set(onNextList.map((credential) => `${credential.listId}:${credential.index}`)).size).toBe(44);
    for (const credential of ledger) {
      expect((credential.document.credentialStatus as { statusListIndex: string }).statusListIndex).toBe(String(credential.index));
      // The ledger keeps the issuance time to the millisecond, the document to the second.
      expect(Math.floor(credential.issuedAt.getTime() / 1_000) * 1_000).toBe(Date.parse(credential.document.validFrom as string));
    }
  });

  test('a list an older release filled with random picks is filled around them', async () => {
    const { issuerId, achievementId } = await newIssuer('Older Release College');
    const olderList = newId();
    await deps.database.db.insert(statusLists).values({ id: olderList, issuerId, purpose: 'revocation', length: 256, bits: Buffer.alloc(32) });
    const ctx = context();
    const drain = () => new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { chunkSize: 50 }).drain();
    await newJob(achievementId, csvOf(100));
    await drain();
    // What the list looks like after an older release's 100 random picks: indexes taken that no counter accounts for
    // (these are exactly the ones counters 0…99 map to, the worst case).
    await deps.database.db.update(statusLists).set({ allocated: 0, holdsRandomPicks: true }).where(eq(statusLists.id, olderList));
    const jobId = await newJob(achievementId, csvOf(156));
    await drain();
    expect((await ctx.jobs.findJobs([jobId]))[0]).toMatchObject({ status: 'COMPLETED', issued: 156 });
    const onOlderList = await deps.database.db
      .select({ index: issuedCredentials.statusListIndex })
      .from(issuedCredentials)
      .where(eq(issuedCredentials.statusListId, olderList));
    expect(new Set(onOlderList.map((credential) => credential.index)).size).toBe(256);
  });

  test('a 500-row job costs the issuers at most one transaction per 10 credentials', async () => {
    const { achievementId } = await newIssuer('Counted Transactions Academy');
    const jobId = await newJob(achievementId, csvOf(500));
    // The worker's whole view of the database counted: its stores, key ring and status lists.
    const counted = countingTransactions(deps.database.db);
    const ctx = context();
    const issuerStore = createIssuerStore(counted.db);
    const issuanceStore = createIssuanceStore(counted.db);
    const keyRing = createKeysService({ db: counted.db, keys: createKeyStore(counted.db), issuers: issuerStore, masterKeySecret: deps.config.masterKey, publicBaseUrl: deps.config.publicBaseUrl });
    const statusListsService = createStatusListsService({ store: issuanceStore, issuers: issuerStore, keyRing, documentLoader: ctx.issuance.documentLoader, publicBaseUrl: deps.config.publicBaseUrl });
    const pool = createSigningPool({ size: 1 });
    try {
      const worker = new BulkWorker(
        { ...ctx.issuance, db: counted.db, store: issuanceStore, issuers: issuerStore, keyRing, statusLists: statusListsService },
        createJobStore(counted.db),
        deps.feed,
        deps.log,
        { sign: poolBatchSigner(() => pool, keyRing) },
      );
      await worker.drain();
    } finally {
      await pool.close();
    }
    expect((await ctx.jobs.findJobs([jobId]))[0]).toMatchObject({ status: 'COMPLETED', issued: 500 });
    // Per chunk of 200: the claim, the issuer, its key, one range of status indexes and the recording transaction
    // (a transaction per row, as before chunks, is far over the bound). The count sees at least the three recordings.
    expect(counted.transactions()).toBeGreaterThanOrEqual(3);
    expect(counted.transactions()).toBeLessThanOrEqual(50);
  });

  test('a row that cannot be signed fails alone; the rest of its chunk is issued', async () => {
    const { achievementId } = await newIssuer('Unsignable Row Institute');
    // Row 3's evidence marks it, so the signer can tell its credential wherever the chunk puts it.
    const jobId = await newJob(achievementId, csvOf(6).replace('person2@example.com,Person 2,instructor_evaluation,Signalled the lift.', 'person2@example.com,Person 2,instructor_evaluation,Unsignable.'));
    const ctx = context();
    const pool = createSigningPool({ size: 1 });
    const poolSigner = poolBatchSigner(() => pool, ctx.keyRing);
    // The pool's answer for row 3 is replaced by the failure a credential that kills its worker twice gets.
    const isRow3 = (credential: Record<string, unknown>) => JSON.stringify(credential.evidence).includes('Unsignable.');
    const refusingRow3: BatchSigner = async (credentials, issuer) =>
      (await poolSigner(credentials, issuer)).map((result, index) => (isRow3(credentials[index]!) ? { ok: false, error: 'signing worker died twice' } : result));
    try {
      await new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { chunkSize: 10, sign: refusingRow3 }).drain();
    } finally {
      await pool.close();
    }
    expect((await ctx.jobs.findJobs([jobId]))[0]).toMatchObject({ status: 'COMPLETED', issued: 5, failed: 1 });
    const rows = await ctx.jobs.rowsOf(jobId);
    expect(rows.map((row) => [row.rowNumber, row.status, row.error])).toEqual([
      [1, 'ISSUED', null],
      [2, 'ISSUED', null],
      [3, 'FAILED', 'the credential could not be signed'],
      [4, 'ISSUED', null],
      [5, 'ISSUED', null],
      [6, 'ISSUED', null],
    ]);
  });
});
