import 'reflect-metadata';
import { Agent } from 'node:http';
import os from 'node:os';
import { authenticateApiKey, createApiKey } from '../../lib/auth/api-keys.js';
import { signViewer, VIEWER_HEADER } from '../../lib/auth/viewer.js';
import { startBenchLayout } from './bench-layout.js';
import { postJson, quantile, timedLoad, warmUp } from './http-load.js';

/**
 * What the gateway adds to a single-subgraph query (`tsx scripts/bench/gateway-overhead.ts`; `npm run bench` runs it):
 * `{ issuers(first: 10) { edges { node { id name } } } }` through the gateway, and straight to the issuers subgraph
 * with a viewer header signed here as the gateway would sign it, so both paths run as the same principal. Each
 * connection has its own API key (the gateway's per-key limits are lifted anyway). BENCH_CONCURRENCY (default "1,32")
 * connections, BENCH_SECONDS (default 3) per round after BENCH_WARM_UP_SECONDS (default 1) unmeasured, BENCH_ROUNDS
 * (default 2) rounds alternating the two paths, on one
 * keep-alive node:http client for both. PostgreSQL when DATABASE_URL is set (a fresh database), else PGlite.
 * BENCH_GATEWAY_ONLY=1 skips the direct rounds (for `node --cpu-prof`). BENCH_LAYOUT=processes runs each service in
 * its own process as production does (needs DATABASE_URL; see bench-layout.ts). Prints p50/p99 latency, requests/s,
 * the ratio gateway/direct, and the CPU each request cost (per process in the processes layout: CPU is what a loaded
 * machine cannot hide, unlike wall-clock); asserts nothing.
 */

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,32').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 1);
const QUERY = '{ issuers(first: 10) { edges { node { id name } } } }';

const load = () => os.loadavg()[0]!.toFixed(2);

const hub = await startBenchLayout();
try {
  const { db } = hub;
  for (let n = 0; n < 12; n++) {
    const created = await hub.gql(`mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }`, {
      input: { name: `Bench College ${n}`, url: `https://bench-${n}.example` },
    });
    if (created.errors) throw new Error(JSON.stringify(created.errors));
  }
  const maxConnections = Math.max(...CONCURRENCY);
  const keys = await Promise.all(
    Array.from({ length: maxConnections }, async (_, n) => {
      const { secret } = await createApiKey(db, { name: `bench ${n}`, grant: { principal: 'ADMIN' } });
      const viewer = (await authenticateApiKey(db, secret))!;
      // Valid for the whole run; the subgraph still checks its signature on every request.
      const signed = signViewer(viewer, hub.viewerSecret, { clientAddress: '127.0.0.1', ttlSeconds: 3_600 });
      return { authorization: `Bearer ${secret}`, signed };
    }),
  );
  const body = JSON.stringify({ query: QUERY });
  interface Target {
    url: URL;
    headers(n: number): Record<string, string>;
  }
  const targets: Record<'gateway' | 'direct', Target> = {
    gateway: { url: new URL(hub.gatewayUrl), headers: (n: number) => ({ authorization: keys[n]!.authorization }) },
    direct: { url: new URL(hub.issuersUrl), headers: (n: number) => ({ [VIEWER_HEADER]: keys[n]!.signed }) },
  };

  async function post(agent: Agent, target: Target, n: number): Promise<void> {
    const { status, text } = await postJson(agent, target.url, body, target.headers(n));
    if (status !== 200 || !text.includes('"edges"') || text.includes('"errors"')) throw new Error(`${status}: ${text.slice(0, 300)}`);
  }

  async function measure(path: keyof typeof targets, connections: number) {
    const target = targets[path];
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    // Warm the connections, the path's caches and the JIT (each process's code is cold after start-up).
    await warmUp(connections, WARM_UP_SECONDS, (n) => post(agent, target, n));
    const cpuBefore = hub.cpuMs();
    const { latencies, elapsedSeconds } = await timedLoad(connections, SECONDS, (n) => post(agent, target, n));
    const cpuAfter = hub.cpuMs();
    agent.destroy();
    const cpuPerRequest = Object.fromEntries(Object.entries(cpuAfter).map(([part, ms]) => [part, (ms - cpuBefore[part]!) / latencies.length]));
    return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), rps: latencies.length / elapsedSeconds, cpuPerRequest };
  }
  const cpuLine = (cpu: Record<string, number>) =>
    `cpu/request ${Object.entries(cpu).map(([part, ms]) => `${part} ${ms.toFixed(2)}`).join(' + ')} = ${Object.values(cpu).reduce((a, b) => a + b, 0).toFixed(2)} ms`;

  console.log(`gateway overhead: ${QUERY} on ${hub.databaseKind}, ${hub.layout} layout, ${SECONDS} s per round, ${ROUNDS} rounds, load ${load()}`);
  for (const connections of CONCURRENCY) {
    for (let round = 1; round <= ROUNDS; round++) {
      const gateway = await measure('gateway', connections);
      if (process.env.BENCH_GATEWAY_ONLY) {
        // For profiling the gateway alone: the direct rounds would dilute its samples.
        console.log(`c=${connections} round ${round}: gateway p50 ${gateway.p50.toFixed(2)} ms, ${Math.round(gateway.rps)} rps, ${cpuLine(gateway.cpuPerRequest)}`);
        continue;
      }
      const direct = await measure('direct', connections);
      const line = (label: string, r: Awaited<ReturnType<typeof measure>>) =>
        `${label} p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${Math.round(r.rps)} rps, ${cpuLine(r.cpuPerRequest)}`;
      console.log(
        `c=${connections} round ${round}: ${line('gateway', gateway)} | ${line('direct', direct)} | ` +
          `ratio p50 ${(gateway.p50 / direct.p50).toFixed(2)}×, rps ${(direct.rps / gateway.rps).toFixed(2)}× (load ${load()})`,
      );
    }
  }
} finally {
  await hub.dispose();
}
