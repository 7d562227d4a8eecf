import { createApiKey } from '../../lib/auth/api-keys.js';
import type { Db } from '../../lib/db/client.js';
import { createTestDatabase } from '../../lib/db/test-db.js';
import { childCpuMs } from './process-cpu.js';
import { startHubProcesses, type HubProcesses } from '../../test/helpers/process.js';
import { startBenchHub } from './bench-hub.js';

/** A hub for a bench, in one of the two shapes it runs in, with what a bench needs to drive and weigh it. */
export interface BenchLayout {
  layout: 'one-process' | 'processes';
  databaseKind: string;
  db: Db;
  viewerSecret: string;
  gatewayUrl: string;
  issuersUrl: string;
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** CPU milliseconds used so far, per process (`process` alone in the one-process layout). */
  cpuMs(): Record<string, number>;
  dispose(): Promise<void>;
}

const RATE_LIMITS_LIFTED = {
  RATE_LIMIT_KEY_PER_SECOND: '1000000',
  RATE_LIMIT_KEY_COST_PER_SECOND: '100000000',
  RATE_LIMIT_ANONYMOUS_PER_SECOND: '1000000',
  RATE_LIMIT_ANONYMOUS_COST_PER_SECOND: '100000000',
  RATE_LIMIT_WS_CONNECTIONS_PER_MINUTE: '1000000',
};

/** @default 180_000 // five processes compiling from source at once on a loaded 2-core machine take minutes, not one */
const START_WITHIN_MS = 180_000;

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * BENCH_LAYOUT=processes: production's shape (docker-compose.yml): each subgraph and the gateway its own Node
 * process with NODE_ENV=production, on a fresh PostgreSQL database (DATABASE_URL required), rate-limit buckets in
 * PostgreSQL as compose sets them (limits lifted). Otherwise the whole hub in the bench's process (bench-hub.ts).
 */
export async function startBenchLayout(): Promise<BenchLayout> {
  if (process.env.BENCH_LAYOUT === 'processes') return startProcesses();
  const hub = await startBenchHub();
  return {
    layout: 'one-process',
    databaseKind: hub.deps.database.kind,
    db: hub.deps.database.db,
    viewerSecret: hub.deps.config.viewerSecret,
    gatewayUrl: hub.gateway.url,
    issuersUrl: hub.subgraphs.issuers.url,
    gql: (query, variables) => hub.gql(query, variables),
    cpuMs: () => ({ process: ownCpuMs() }),
    dispose: () => hub.dispose(),
  };
}

async function startProcesses(): Promise<BenchLayout> {
  if (!process.env.DATABASE_URL) throw new Error('BENCH_LAYOUT=processes needs DATABASE_URL (PostgreSQL)');
  const testDb = await createTestDatabase();
  let hub: HubProcesses;
  try {
    hub = await startHubProcesses(testDb.url!, RATE_LIMITS_LIFTED, { readyWithinMs: START_WITHIN_MS });
  } catch (error) {
    await testDb.dispose();
    throw error;
  }
  const { issuers, achievements, recipients, verification, gateway } = hub.services;
  const adminKey = (await createApiKey(testDb.database.db, { name: 'bench operator', grant: { principal: 'ADMIN' } })).secret;
  const gatewayUrl = hub.gatewayUrl;
  return {
    layout: 'processes',
    databaseKind: 'postgres',
    db: testDb.database.db,
    viewerSecret: hub.env.CAIRN_VIEWER_SECRET!,
    gatewayUrl,
    issuersUrl: hub.env.ISSUERS_URL!,
    async gql(query, variables = {}) {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    cpuMs: () => ({
      client: ownCpuMs(),
      gateway: childCpuMs(gateway.process.pid!),
      issuers: childCpuMs(issuers.process.pid!),
      others: [achievements, recipients, verification].reduce((sum, service) => sum + childCpuMs(service.process.pid!), 0),
    }),
    async dispose() {
      await hub.stop();
      await testDb.dispose();
    },
  };
}
