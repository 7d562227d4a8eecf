import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TestHub } from '../../test/helpers/hub.js';
import { startBenchHub } from './bench-hub.js';

/**
 * Subscription fan-out through the gateway (`tsx scripts/bench/subscriptions.ts`; `npm run bench` runs it):
 * BENCH_SUBSCRIBERS graphql-ws clients (default 1,000) on `credentialEvents`, BENCH_ISSUANCES issuances (default 50)
 * one after another. For each issuance: its mutation's latency, and for every client the time from the mutation's
 * response to the event's arrival. Also the log reads per event and, with everybody listening and nobody writing,
 * the statements the hub runs per second. Issuance latency with nobody listening is the baseline of the same run.
 * Memory per subscriber: the process's heap and RSS growth (after a full GC) from before the clients connect to all
 * of them listening, divided by their number; the hub and the clients share this process, so it counts both ends of
 * each connection. And whether any client missed an event: every client must have received the timed issuances'
 * cursors, all the same ones, in order, once each.
 * PostgreSQL when DATABASE_URL is set (a fresh database), else PGlite. Prints; asserts nothing.
 */

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000);
const ISSUANCES = Number(process.env.BENCH_ISSUANCES ?? 50);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const load = () => os.loadavg()[0]!.toFixed(2);

const hub = await startBenchHub();
try {
  console.log(`subscription fan-out: ${SUBSCRIBERS} subscribers, ${ISSUANCES} issuances, ${hub.deps.database.kind}, load ${load()}`);
  const issue = await issuerWithAchievement(hub);

  const quiet = await timedIssuances(hub, issue, ISSUANCES, 'quiet');
  console.log(`issuance with nobody listening: p50 ${ms(quantile(quiet, 0.5))}, p99 ${ms(quantile(quiet, 0.99))}`);

  const memoryBefore = settledMemory();
  const clients = Array.from({ length: SUBSCRIBERS }, () => hub.wsClient());
  const arrivals: number[][] = clients.map(() => []);
  const cursors: string[][] = clients.map(() => []);
  const failures: unknown[] = [];
  let wake: (() => void) | null = null;
  const unsubscribes = clients.map((client, index) =>
    client.subscribe(
      { query: `subscription { credentialEvents(types: [CREDENTIAL_ISSUED]) { cursor type } }` },
      {
        next: (result) => {
          arrivals[index]!.push(performance.now());
          cursors[index]!.push((result.data as { credentialEvents: { cursor: string } }).credentialEvents.cursor);
          wake?.();
        },
        error: (error) => failures.push(error),
        complete: () => {},
      },
    ),
  );
  /** Resolves once every client has received `count` events after its warm-up (`warm`, 0 until set). */
  let warm: number[] = arrivals.map(() => 0);
  const everyClientHas = async (count: number) => {
    const deadline = Date.now() + 120_000;
    while (arrivals.some((times, index) => times.length < warm[index]! + count)) {
      if (failures.length > 0) throw new Error(`a subscription failed: ${JSON.stringify(failures[0])}`);
      if (Date.now() > deadline) throw new Error(`timed out: ${arrivals.filter((times, index) => times.length >= warm[index]! + count).length} of ${SUBSCRIBERS} clients have ${count}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  };
  // Every client attached: warm-up issuances until each has received one (identical subscriptions of one key share
  // one upstream stream, so the feed's subscriber count does not tell how many clients listen).
  for (let warmUp = 0; arrivals.some((times) => times.length === 0); warmUp++) {
    if (failures.length > 0) throw new Error(`a subscription failed: ${JSON.stringify(failures[0])}`);
    if (warmUp === 100) throw new Error(`after 100 warm-up issuances ${arrivals.filter((times) => times.length === 0).length} clients have nothing`);
    await issue(`warm-up-${warmUp}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Settled: no warm-up event still on its way (each client joined at its own moment, so counts differ).
  let counts = '';
  while (counts !== (counts = arrivals.map((times) => times.length).join())) await new Promise((resolve) => setTimeout(resolve, 1_000));
  warm = arrivals.map((times) => times.length);
  const memoryListening = settledMemory();
  const perSubscriber = (key: 'heapUsed' | 'rss') => `${((memoryListening[key] - memoryBefore[key]) / SUBSCRIBERS / 1024).toFixed(1)} KiB`;
  console.log(`memory per subscriber (hub and client in one process): heap ${perSubscriber('heapUsed')}, RSS ${perSubscriber('rss')}`);

  const receipts: number[] = [];
  const listened: number[] = [];
  const readsBefore = logReads(hub);
  for (let i = 0; i < ISSUANCES; i++) {
    const started = performance.now();
    await issue(`listened-${i}`);
    const answered = performance.now();
    listened.push(answered - started);
    await everyClientHas(i + 1);
    arrivals.forEach((times, index) => receipts.push(Math.max(0, times[warm[index]! + i]! - answered)));
  }
  const readsPerEvent = (logReads(hub) - readsBefore) / ISSUANCES;
  // Settled again, so a duplicate still on its way would be counted.
  while (counts !== (counts = arrivals.map((times) => times.length).join())) await new Promise((resolve) => setTimeout(resolve, 1_000));
  const timed = cursors.map((received, index) => received.slice(warm[index]!).join());
  const expected = timed[0]!.split(',');
  const inOrderOnce = expected.length === ISSUANCES && new Set(expected).size === ISSUANCES && expected.every((cursor, i) => i === 0 || BigInt(cursor) > BigInt(expected[i - 1]!));
  const missing = timed.filter((received) => received !== timed[0]).length;
  console.log(
    inOrderOnce && missing === 0
      ? `no client missing an event: all ${SUBSCRIBERS} clients received the same ${ISSUANCES} events, in order, once each`
      : `CLIENTS MISSING EVENTS: ${missing} of ${SUBSCRIBERS} clients differ from the first; the first's ${expected.length} cursors ${inOrderOnce ? 'are' : 'are not'} the ${ISSUANCES} events in order once each`,
  );
  console.log(`issuance with ${SUBSCRIBERS} listening: p50 ${ms(quantile(listened, 0.5))}, p99 ${ms(quantile(listened, 0.99))}`);
  console.log(`receipt after the mutation's response (${receipts.length} deliveries): p50 ${ms(quantile(receipts, 0.5))}, p99 ${ms(quantile(receipts, 0.99))}, max ${ms(Math.max(...receipts))}`);
  console.log(`log reads per issuance (every process of the hub, all event types): ${readsPerEvent.toFixed(2)}`);

  const idleBefore = hub.statements.length;
  const idleReadsBefore = logReads(hub);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const idleStatements = (hub.statements.length - idleBefore) / IDLE_SECONDS;
  const idleReads = (logReads(hub) - idleReadsBefore) / IDLE_SECONDS;
  console.log(`idle with ${SUBSCRIBERS} listening: ${idleStatements.toFixed(1)} statements/s, ${idleReads.toFixed(1)} log reads/s; load ${load()}`);
  for (const unsubscribe of unsubscribes) unsubscribe();
} finally {
  await hub.dispose();
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

async function timedIssuances(hub: TestHub, issue: (key: string) => Promise<void>, count: number, label: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await issue(`${label}-${i}`);
    times.push(performance.now() - started);
  }
  return times;
}

async function issuerWithAchievement(hub: TestHub): Promise<(key: string) => Promise<void>> {
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
  return async (key) => {
    const issued = await hub.gql(`mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`, {
      input: {
        achievementId,
        recipient: { email: `${key}@bench.example`, name: 'Bench Recipient' },
        evidence: [{ kind: 'PROJECT', url: 'https://git.example/bench', narrative: 'Reviewed.' }],
        idempotencyKey: key,
      },
    });
    if (issued.errors) throw new Error(`issuance failed: ${JSON.stringify(issued.errors)}`);
  };
}
