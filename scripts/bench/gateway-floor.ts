import { fork, type ChildProcess } from 'node:child_process';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { postJson, quantile, timedLoad, warmUp } from './http-load.js';
import { childCpuMs } from './process-cpu.js';

/**
 * The floor of the gateway's overhead on this machine with nothing of Cairn's in it (`tsx
 * scripts/bench/gateway-floor.ts`; `npm run bench` runs it after gateway-overhead.ts): the same gateway runtime and
 * HTTP transport as gateway/gateway.ts, with no plugin, in front of a bare Apollo subgraph answering
 * `{ issuers(first: 10) { id name } }` from memory, each in its own process as in production (NODE_ENV=production).
 * The client sends the query through the gateway and straight to the subgraph, rounds alternating as in
 * gateway-overhead.ts, and reads each process's CPU from /proc. What the gateway process spends per request here is
 * what the library stack costs before any auth, limit or database work: the part of the hub's gateway overhead no
 * change of ours can remove. BENCH_CONCURRENCY (default "1,32"), BENCH_SECONDS (default 3), BENCH_ROUNDS (default 2),
 * BENCH_WARM_UP_SECONDS (default 1). Prints; asserts nothing.
 */

const TYPE_DEFS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { issuers(first: Int!): [Issuer!]! }
  type Issuer @key(fields: "id") { id: ID! name: String! }
`);
const QUERY = '{ issuers(first: 10) { id name } }';

async function serveSubgraph(): Promise<string> {
  const rows = Array.from({ length: 12 }, (_, n) => ({ id: `issuer-${n}`, name: `Bench College ${n}` }));
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: TYPE_DEFS, resolvers: { Query: { issuers: (_: unknown, args: { first: number }) => rows.slice(0, args.first) } } }),
    // As lib/server/start-subgraph.ts: no trace is asked for, so none is prepared.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return url;
}

async function serveGateway(subgraphUrl: string): Promise<string> {
  const composed = composeServices([{ name: 'issuers', url: subgraphUrl, typeDefs: TYPE_DEFS }]);
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${JSON.stringify(composed.errors)}`);
  const gateway = createGatewayRuntime({
    supergraph: composed.supergraphSdl,
    logging: 'error',
    landingPage: false,
    graphiql: false,
    transports: { http: httpTransport },
    // As gateway/gateway.ts sets it.
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
  });
  await gateway.getSchema();
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** Runs one role in a child process of its own and resolves with the URL it serves. */
function startRole(role: 'subgraph' | 'gateway', ...args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [role, ...args], { execArgv: ['--import', 'tsx'], env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    child.once('message', (url) => resolve({ child, url: String(url) }));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before serving`)));
  });
}

const [role, roleArg] = process.argv.slice(2);
if (role === 'subgraph') process.send!(await serveSubgraph());
else if (role === 'gateway') process.send!(await serveGateway(roleArg!));
else await measureFloor();

async function measureFloor(): Promise<void> {
  const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,32').split(',').map(Number);
  const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
  const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 1);
  const load = () => os.loadavg()[0]!.toFixed(2);
  const subgraph = await startRole('subgraph');
  const gateway = await startRole('gateway', subgraph.url);
  const body = JSON.stringify({ query: QUERY });
  const targets = { gateway: new URL(gateway.url), direct: new URL(subgraph.url) };
  const cpu = () => ({ client: process.cpuUsage(), gateway: childCpuMs(gateway.child.pid!), subgraph: childCpuMs(subgraph.child.pid!) });

  async function post(agent: Agent, url: URL): Promise<void> {
    const { status, text } = await postJson(agent, url, body);
    if (status !== 200 || !text.includes('Bench College 9') || text.includes('"errors"')) throw new Error(`${status}: ${text.slice(0, 300)}`);
  }

  async function measure(path: keyof typeof targets, connections: number) {
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    await warmUp(connections, WARM_UP_SECONDS, () => post(agent, targets[path]));
    const before = cpu();
    const { latencies, elapsedSeconds } = await timedLoad(connections, SECONDS, () => post(agent, targets[path]));
    const after = cpu();
    agent.destroy();
    const clientUsage = process.cpuUsage(before.client);
    const perRequest = (ms: number) => ms / latencies.length;
    return {
      p50: quantile(latencies, 0.5),
      rps: latencies.length / elapsedSeconds,
      gatewayCpu: perRequest(after.gateway - before.gateway),
      subgraphCpu: perRequest(after.subgraph - before.subgraph),
      clientCpu: perRequest((clientUsage.user + clientUsage.system) / 1000),
    };
  }

  console.log(`gateway floor: ${QUERY}, bare Apollo subgraph from memory, gateway runtime with no plugin, one process each, ${SECONDS} s per round, load ${load()}`);
  try {
    for (const connections of CONCURRENCY) {
      for (let round = 1; round <= ROUNDS; round++) {
        const through = await measure('gateway', connections);
        const direct = await measure('direct', connections);
        console.log(
          `c=${connections} round ${round}: gateway p50 ${through.p50.toFixed(2)} ms, ${Math.round(through.rps)} rps, cpu/request gateway ${through.gatewayCpu.toFixed(2)} + subgraph ${through.subgraphCpu.toFixed(2)} + client ${through.clientCpu.toFixed(2)} ms` +
            ` | direct p50 ${direct.p50.toFixed(2)} ms, ${Math.round(direct.rps)} rps, cpu/request subgraph ${direct.subgraphCpu.toFixed(2)} + client ${direct.clientCpu.toFixed(2)} ms` +
            ` | ratio p50 ${(through.p50 / direct.p50).toFixed(2)}×, rps ${(direct.rps / through.rps).toFixed(2)}×, gateway cpu ÷ subgraph cpu ${(through.gatewayCpu / through.subgraphCpu).toFixed(2)} (load ${load()})`,
        );
      }
    }
  } finally {
    // SIGKILL: they hold nothing, and the gateway runtime's own SIGTERM handler keeps the process (and this one's IPC
    // channel to it) alive.
    gateway.child.kill('SIGKILL');
    subgraph.child.kill('SIGKILL');
  }
}
