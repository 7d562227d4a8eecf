import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The hub's end-to-end scenarios, each in a process of its own (so one's pools and caches do not flatter the next),
 * first on PGlite, then on PostgreSQL when BENCH_POSTGRES_URL or DATABASE_URL names a server. `npm run bench` runs
 * this after the signing and verification benchmarks. Each waits for the machine to settle first (`settle`). Prints;
 * asserts nothing. BENCHMARKS.md explains each figure.
 */

const SCENARIOS: Array<{ file: string; title: string; once?: boolean }> = [
  { file: 'scripts/bench/event-appends.ts', title: 'event-writing transactions per second' },
  { file: 'scripts/bench/bulk-issuance.ts', title: 'bulk issuance, submission to COMPLETED' },
  { file: 'scripts/bench/subscriptions.ts', title: 'graphql-ws fan-out through the gateway' },
  { file: 'scripts/bench/gateway-overhead.ts', title: 'gateway overhead on a single-subgraph query' },
  // No database in it: run once, with the first database's scenarios.
  { file: 'scripts/bench/gateway-floor.ts', title: "the gateway library's own floor, nothing of Cairn's in it", once: true },
  { file: 'scripts/bench/candidate-query.ts', title: 'the employer candidate query, warm verdicts' },
  { file: 'scripts/bench/credential-page.ts', title: "a warm credential page (HTML, the verifier's kept verdict)" },
  { file: 'scripts/bench/pathway-progress.ts', title: 'incremental pathway progress, cost per event' },
  { file: 'scripts/bench/pathway-publish.ts', title: "publishing a pathway many already hold: the answer, then the holders' back-fill" },
  { file: 'scripts/bench/metrics.ts', title: 'program metrics: projection catch-up and a year of queries' },
  { file: 'scripts/bench/metrics-catch-up.ts', title: 'program metrics: projection catch-up from cursor 0 over 1,000,000 events' },
];

const postgresUrl = process.env.BENCH_POSTGRES_URL ?? process.env.DATABASE_URL;
const databases: Array<{ label: string; url: string | undefined }> = [{ label: 'PGlite', url: undefined }];
if (postgresUrl) databases.push({ label: 'PostgreSQL', url: postgresUrl });
else console.log('(PostgreSQL skipped: set BENCH_POSTGRES_URL or DATABASE_URL to include it)');

/**
 * @default 60 // seconds a scenario waits at most for the machine to settle: one scenario's aftermath (the appends'
 * 32 writers, a dropped database's checkpoint) must not be measured as the next one's cost
 */
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 60);

/** Waits until the 1-minute load average is below the number of cores, or SETTLE_SECONDS have passed. */
async function settle(): Promise<void> {
  const until = Date.now() + SETTLE_SECONDS * 1000;
  while (loadavg()[0]! >= availableParallelism() && Date.now() < until) await sleep(1_000);
}

let failed = false;
for (const database of databases) {
  for (const scenario of SCENARIOS) {
    if (scenario.once && database !== databases[0]) continue;
    await settle();
    console.log(`\n== ${scenario.title} on ${database.label} (load ${loadavg()[0]!.toFixed(2)}) ==`);
    const env = { ...process.env };
    delete env.DATABASE_URL;
    if (database.url) env.DATABASE_URL = database.url;
    const run = spawnSync(process.execPath, ['--import', 'tsx', scenario.file], { stdio: 'inherit', env });
    if (run.status !== 0) {
      failed = true;
      console.log(`${scenario.file} exited with ${run.status ?? run.signal}`);
    }
  }
}
process.exitCode = failed ? 1 : 0;
