/**
 * Bulk issuance, end to end: the whole hub in this process, a CSV submitted through the gateway's GraphQL, timed
 * until the job is COMPLETED and every credential is in its recipient's wallet. Prints figures; asserts nothing.
 *
 *   tsx scripts/bench/bulk-issuance.ts                  (PGlite in memory)
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test tsx scripts/bench/bulk-issuance.ts
 *
 * BENCH_BULK_ROWS (default 5000) rows are issued after a warm-up job of BENCH_BULK_WARMUP (default 50) rows, which
 * starts the signing pool and fills the caches a running hub already has warm. On PostgreSQL the hub runs on a
 * database of its own, created for the run and dropped afterwards, so `pg_stat_database` counts only its work.
 * CAIRN_BULK_CHUNK_SIZE and CAIRN_SIGNING_WORKERS are passed on to the hub; nothing else of the environment is.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { loadConfig } from '../../lib/config/env.js';
import { createDatabase, type Database } from '../../lib/db/client.js';
import { migrate } from '../../lib/db/migrate.js';
import { rowsOf } from '../../lib/db/rows.js';
import { EventFeed } from '../../lib/events/feed.js';
import { createLogger } from '../../lib/log.js';
import { startHub } from '../hub.js';

const ROWS = Number(process.env.BENCH_BULK_ROWS ?? 5_000);
const WARMUP_ROWS = Number(process.env.BENCH_BULK_WARMUP ?? 50);
const POLL_MS = 200;

/** A fresh database for this run: its own on the PostgreSQL server of DATABASE_URL, else PGlite in memory. */
async function freshDatabase(onQuery: () => void): Promise<{ database: Database; name: string | null; admin: postgres.Sql | null; drop(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const database = await createDatabase({ kind: 'pglite', dataDir: null }, { onQuery });
    await migrate(database.db);
    return { database, name: null, admin: null, drop: async () => {} };
  }
  const name = `cairn_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const config = loadConfig({ DATABASE_URL: url.toString() });
  const database = await createDatabase(config.db, { onQuery });
  await migrate(database.db);
  return {
    database,
    name,
    admin,
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** CPU milliseconds (user + system) of a thread or process from its /proc stat file (Linux; USER_HZ is 100). */
function cpuMsOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU milliseconds of each thread of this process, by thread id; empty where there is no /proc. */
function threadCpuMs(): Map<string, number> {
  const threads = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) threads.set(tid, cpuMsOf(`/proc/self/task/${tid}/stat`));
  } catch {
    // Not Linux: the signing workers' share cannot be told apart.
  }
  return threads;
}

/** CPU milliseconds of each PostgreSQL backend serving the bench's database, when the server runs on this machine. */
async function backendCpuMs(admin: postgres.Sql, database: string): Promise<Map<number, number>> {
  const backends = new Map<number, number>();
  for (const { pid } of await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database}`) {
    try {
      backends.set(pid, cpuMsOf(`/proc/${pid}/stat`));
    } catch {
      // Another machine's server, or a backend that just ended.
    }
  }
  return backends;
}

async function main() {
  let statements = 0;
  const fresh = await freshDatabase(() => void (statements += 1));
  const { database } = fresh;
  const { CAIRN_BULK_CHUNK_SIZE, CAIRN_SIGNING_WORKERS } = process.env;
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'error', LOG_FORMAT: 'json', CAIRN_SEED_DEMO: 'false', GRAPHIQL: 'false', CAIRN_BULK_CHUNK_SIZE, CAIRN_SIGNING_WORKERS });
  const log = createLogger(config.log, { service: 'bench' });
  const feed = new EventFeed(database);
  await feed.start();
  const hub = await startHub({ config, database, feed, log }, { ephemeralPorts: true });
  const adminKey = (await createApiKey(database.db, { name: 'bench operator', grant: { principal: 'ADMIN' } })).secret;

  const gql = async (query: string, variables: Record<string, unknown>, key = adminKey) => {
    const response = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
    return body.data;
  };

  const issuerId = (await gql(`mutation { createIssuer(input: { name: "Bench Polytechnic", url: "https://bench.example" }) { issuer { id } } }`, {})).createIssuer.issuer.id;
  const ownerKey = (
    await gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId })
  ).createApiKey.secret;
  const achievementId = (
    await gql(
      `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
      {
        input: {
          issuerId,
          name: 'Forklift Operation',
          description: 'Operates a counterbalance forklift safely.',
          criteria: { narrative: 'Passes the practical assessment.' },
          achievementType: 'Competency',
          evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }],
        },
      },
      ownerKey,
    )
  ).createAchievement.achievement.id;
  await gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, ownerKey);

  // The bench watches through the hub's own database handle, one statement per look, and leaves those out of the counts.
  let benchQueries = 0;
  const look = async <Row>(query: ReturnType<typeof sql>): Promise<Row> => {
    benchQueries += 1;
    return rowsOf<Row>(await database.db.execute(query))[0]!;
  };
  const delivered = async (): Promise<number> =>
    (await look<{ delivered: number }>(sql`select count(*)::int as delivered from recipients.credentials where issuer_id = ${issuerId}`)).delivered;
  const jobState = (jobId: string) => look<{ status: string; issued: number; failed: number }>(sql`select status, issued, failed from issuers.issuance_jobs where id = ${jobId}`);
  const xactCommit = async (): Promise<number | null> => {
    if (!fresh.admin) return null;
    const [row] = await fresh.admin`select xact_commit::bigint as commits from pg_stat_database where datname = ${fresh.name}`;
    return Number(row!.commits);
  };

  /** Submits `rows` rows and waits for COMPLETED, then for every delivery; times each step. */
  const runJob = async (rows: number, firstRow: number, deliveredBefore: number) => {
    const csv = ['email,name,evidence_kind,evidence_url', ...Array.from({ length: rows }, (_, n) => `learner${firstRow + n}@bench.example,Learner ${firstRow + n},assessment,https://lms.bench.example/${firstRow + n}`)].join('\n');
    const started = performance.now();
    const queued = await gql(`mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id } errors { row reason } } }`, { input: { achievementId, csv } }, ownerKey);
    if (!queued.issueCredentials.job) throw new Error(`job refused: ${JSON.stringify(queued.issueCredentials.errors.slice(0, 3))}`);
    const jobId = queued.issueCredentials.job.id;
    const accepted = performance.now();
    let job: { status: string; issued: number; failed: number };
    for (;;) {
      job = await jobState(jobId);
      if (job.status === 'COMPLETED' || job.status === 'FAILED') break;
      await sleep(POLL_MS);
    }
    const completed = performance.now();
    while ((await delivered()) < deliveredBefore + job.issued) await sleep(POLL_MS);
    return { job, acceptedMs: accepted - started, completedMs: completed - started, deliveredMs: performance.now() - started };
  };

  const threadsBefore = threadCpuMs();
  await runJob(WARMUP_ROWS, 0, 0);
  // Threads born during the warm-up job: the signing pool's workers (it starts at the first bulk batch).
  const signingThreads = [...threadCpuMs().keys()].filter((tid) => !threadsBefore.has(tid));
  await sleep(2_000);

  const backendsBefore = fresh.admin ? await backendCpuMs(fresh.admin, fresh.name!) : null;
  const commitsBefore = await xactCommit();
  const statementsBefore = statements;
  benchQueries = 0;
  const cpuBefore = process.cpuUsage();
  const signingBefore = threadCpuMs();
  const loadBefore = loadavg()[0]!;
  const result = await runJob(ROWS, WARMUP_ROWS, WARMUP_ROWS);
  const cpu = process.cpuUsage(cpuBefore);
  const signingAfter = threadCpuMs();
  const loadAfter = loadavg()[0]!;
  const backendsAfter = fresh.admin ? await backendCpuMs(fresh.admin, fresh.name!) : null;
  const hubStatements = statements - statementsBefore - benchQueries;
  const ownQueries = benchQueries;

  await hub.close();
  await feed.close();
  // Closing the pool ends its sessions, which flushes their statistics: the count read next is complete.
  await database.close();
  await sleep(500);
  const commitsAfter = await xactCommit();
  await fresh.drop();

  const issued = result.job.issued;
  const processCpuMs = (cpu.user + cpu.system) / 1_000;
  // A backend the pool opened during the run counts whole.
  const databaseCpuMs = backendsAfter && backendsAfter.size > 0 ? [...backendsAfter].reduce((sum, [pid, ms]) => sum + ms - (backendsBefore?.get(pid) ?? 0), 0) : null;
  const signingCpuMs = signingThreads.reduce((sum, tid) => sum + ((signingAfter.get(tid) ?? 0) - (signingBefore.get(tid) ?? 0)), 0);
  const perCredential = (value: number) => (value / issued).toFixed(2);
  const lines = [
    `bulk issuance: ${ROWS} rows on ${fresh.admin ? 'PostgreSQL' : 'PGlite'}, job ${result.job.status} (${issued} issued, ${result.job.failed} failed)`,
    `  accepted (CSV checked, job queued)   ${(result.acceptedMs / 1_000).toFixed(2)} s`,
    `  submission → COMPLETED              ${(result.completedMs / 1_000).toFixed(2)} s   ${((issued / result.completedMs) * 1_000).toFixed(0)} credentials/s`,
    `  submission → all in wallets         ${(result.deliveredMs / 1_000).toFixed(2)} s   ${((issued / result.deliveredMs) * 1_000).toFixed(0)} credentials/s`,
    `  process CPU (all threads)           ${perCredential(processCpuMs)} ms/credential`,
    signingThreads.length > 0
      ? `  of which signing workers (${signingThreads.length} threads) ${perCredential(signingCpuMs)} ms/credential → hub CPU outside signing ${perCredential(processCpuMs - signingCpuMs)} ms/credential`
      : '  signing workers’ CPU: not measurable here (needs /proc)',
    databaseCpuMs !== null
      ? `  PostgreSQL backends’ CPU            ${perCredential(databaseCpuMs)} ms/credential (the bench database's backends on this machine)`
      : '  PostgreSQL backends’ CPU: only with a PostgreSQL server on this machine',
    `  SQL statements by the hub           ${perCredential(hubStatements)} /credential (${hubStatements}; the bench's own ${ownQueries} polls left out)`,
    commitsBefore !== null && commitsAfter !== null
      ? `  transactions (pg_stat_database)     ${perCredential(commitsAfter - commitsBefore - ownQueries)} /credential (${commitsAfter - commitsBefore - ownQueries} commits; the bench's own ${ownQueries} polls left out)`
      : '  transactions: pg_stat_database only on PostgreSQL',
    `  load average (1 min)                ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
