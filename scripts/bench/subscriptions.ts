import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TestHub } from '../../test/helpers/hub.js';
import { startBenchHub } from './bench-hub.js';
import type { ClientsReport, ClientsRequest } from './subscription-clients.js';

/**
 * Subscription fan-out through the gateway (`tsx scripts/bench/subscriptions.ts`; `npm run bench` runs it):
 * BENCH_SUBSCRIBERS graphql-ws clients (default 1,000) on `credentialEvents`, BENCH_ISSUANCES issuances (default 50)
 * one after another. The clients, and the client that issues, run in a process of their own
 * (scripts/bench/subscription-clients.ts), as dashboards and an issuer portal on other machines would: the hub's
 * process serves them and does nothing of theirs. For each issuance: its mutation's latency, and for every client the
 * time from the mutation's response to the event's arrival, both on the clients' clock. Also the log reads per event
 * and, with everybody listening and nobody writing, the statements the hub runs per second. Issuance latency with
 * nobody listening is the baseline of the same run. Memory per subscriber: the hub process's heap and RSS growth
 * (after a full GC) from before the clients connect to all of them listening, divided by their number. And whether
 * any client missed an event: every client must have received the timed issuances' cursors, all the same ones, in
 * order, once each.
 * PostgreSQL when DATABASE_URL is set (a fresh database), else PGlite. Prints; asserts nothing.
 */

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000);
const ISSUANCES = Number(process.env.BENCH_ISSUANCES ?? 50);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);

const ms = (value: number) => `${value.toFixed(1)} ms`;
const load = () => os.loadavg()[0]!.toFixed(2);

const hub = await startBenchHub();
let clients: ReturnType<typeof startClients> | null = null;
try {
  clients = startClients(await publishedAchievement(hub));
  console.log(`subscription fan-out: ${SUBSCRIBERS} subscribers, ${ISSUANCES} issuances, ${hub.deps.database.kind}, clients in their own process, load ${load()}`);
  const quiet = (await clients.ask({ step: 'issue', count: ISSUANCES, label: 'quiet' })).issuance!;
  console.log(`issuance with nobody listening: p50 ${ms(quiet.p50)}, p99 ${ms(quiet.p99)}`);

  const memoryBefore = settledMemory();
  await clients.ask({ step: 'listen', subscribers: SUBSCRIBERS });
  const memoryListening = settledMemory();
  const perSubscriber = (key: 'heapUsed' | 'rss') => `${((memoryListening[key] - memoryBefore[key]) / SUBSCRIBERS / 1024).toFixed(1)} KiB`;
  console.log(`memory per subscriber (the hub's process): heap ${perSubscriber('heapUsed')}, RSS ${perSubscriber('rss')}`);

  const readsBefore = logReads(hub);
  const timed = await clients.ask({ step: 'issue', count: ISSUANCES, label: 'listened' });
  const readsPerEvent = (logReads(hub) - readsBefore) / ISSUANCES;
  console.log(timed.delivery!.complete);
  console.log(`issuance with ${SUBSCRIBERS} listening: p50 ${ms(timed.issuance!.p50)}, p99 ${ms(timed.issuance!.p99)}`);
  const { receipts } = timed.delivery!;
  console.log(`receipt after the mutation's response (${receipts.count} deliveries): p50 ${ms(receipts.p50)}, p99 ${ms(receipts.p99)}, max ${ms(receipts.max)}`);
  console.log(`log reads per issuance (every process of the hub, all event types): ${readsPerEvent.toFixed(2)}`);

  const idleBefore = hub.statements.length;
  const idleReadsBefore = logReads(hub);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const idleStatements = (hub.statements.length - idleBefore) / IDLE_SECONDS;
  const idleReads = (logReads(hub) - idleReadsBefore) / IDLE_SECONDS;
  console.log(`idle with ${SUBSCRIBERS} listening: ${idleStatements.toFixed(1)} statements/s, ${idleReads.toFixed(1)} log reads/s; load ${load()}`);
} finally {
  await clients?.stop();
  await hub.dispose();
}

/** The clients' process, issuing `achievementId` through the gateway with the operator's key, asked one step at a time. */
function startClients(achievementId: string) {
  const args = [hub.gateway.url, hub.adminKey, achievementId];
  const child: ChildProcess = fork(fileURLToPath(new URL('./subscription-clients.ts', import.meta.url)), args, { execArgv: ['--import', 'tsx'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the clients' process exited with ${code}`))));
  exited.catch(() => {});
  return {
    ask(request: ClientsRequest): Promise<ClientsReport> {
      const answered = new Promise<ClientsReport>((resolve, reject) =>
        child.once('message', (report: ClientsReport | { error: string }) => ('error' in report ? reject(new Error(report.error)) : resolve(report))),
      );
      child.send(request);
      return Promise.race([answered, exited]);
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      child.send({ step: 'stop' });
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** The process's memory after a full collection (the flag is set at run time, so no node option is needed). */
function settledMemory(): NodeJS.MemoryUsage {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage();
}

function logReads(hub: TestHub): number {
  return hub.statements.filter((statement) => /^select .* from "events"\."events"/i.test(statement)).length;
}

async function publishedAchievement(hub: TestHub): Promise<string> {
  const issuerId = (await hub.gql(`mutation { createIssuer(input: { name: "Bench Academy", url: "https://bench.example" }) { issuer { id } } }`)).data.createIssuer.issuer.id;
  const created = await hub.gql(`mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`, {
    input: {
      issuerId,
      name: 'Event Streaming',
      description: 'Builds a live dashboard on an event log.',
      criteria: { narrative: 'A reviewed project.' },
      achievementType: 'Competency',
      evidenceRules: [{ kind: 'PROJECT', minCount: 1 }],
    },
  });
  const achievementId = created.data.createAchievement.achievement.id;
  await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId });
  return achievementId;
}
