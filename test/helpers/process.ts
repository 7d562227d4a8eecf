import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A port nobody is listening on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  process: ChildProcess;
  baseUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Runs one Cairn entry point (e.g. `subgraphs/issuers/main.ts`) as its own Node process, from source,
 * and waits until its `/readyz` answers (a minute, unless `readyWithinMs` says otherwise).
 */
export async function spawnService(entry: string, port: number, env: Record<string, string>, options: { readyWithinMs?: number } = {}): Promise<ServiceProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyWithinMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    process: child,
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

const SUBGRAPH_NAMES = ['issuers', 'achievements', 'recipients', 'verification'] as const;
type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface HubProcesses {
  services: Record<SubgraphName | 'gateway', ServiceProcess>;
  /** The environment every process got: ports, subgraph URLs and the production settings. */
  env: Record<string, string>;
  gatewayUrl: string;
  stop(): Promise<void>;
}

/**
 * Production's shape (docker-compose.yml): each subgraph and the gateway its own process with NODE_ENV=production on
 * one PostgreSQL database, rate-limit buckets shared in PostgreSQL as compose sets them. `env` adds to (or overrides)
 * those settings. If a process does not become ready, the ones already started are stopped before the error is thrown.
 */
export async function startHubProcesses(databaseUrl: string, env: Record<string, string> = {}, options: { readyWithinMs?: number } = {}): Promise<HubProcesses> {
  const ports = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await freePort()] as const))) as Record<SubgraphName, number>;
  const shared: Record<string, string> = {
    NODE_ENV: 'production',
    CAIRN_VIEWER_SECRET: 'a-production-secret-for-this-run-only-0123456789',
    CAIRN_MASTER_KEY: 'a-production-master-key-for-this-run-only-0123456789',
    // Required in production; nothing here sends mail.
    CAIRN_SMTP_URL: 'smtp://127.0.0.1:2525',
    // Required in production, and every process must name the same one (the hub records it at first start).
    PUBLIC_BASE_URL: 'https://badges.example',
    DATABASE_URL: databaseUrl,
    RATE_LIMIT_STORE: 'postgres',
    ...env,
  };
  for (const name of SUBGRAPH_NAMES) {
    shared[`${name.toUpperCase()}_PORT`] = String(ports[name]);
    shared[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${ports[name]}/graphql`;
  }
  const started: ServiceProcess[] = [];
  const stopAll = () => Promise.all(started.map((service) => service.stop())).then(() => undefined);
  const start = async (entry: string, port: number, extra: Record<string, string> = {}) => {
    const service = await spawnService(entry, port, { ...shared, ...extra }, options);
    started.push(service);
    return service;
  };
  try {
    const subgraphs = await Promise.all(SUBGRAPH_NAMES.map((name) => start(`subgraphs/${name}/main.ts`, ports[name])));
    const gatewayPort = await freePort();
    const gateway = await start('gateway/main.ts', gatewayPort, { GATEWAY_PORT: String(gatewayPort) });
    const [issuers, achievements, recipients, verification] = subgraphs as [ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess];
    return { services: { issuers, achievements, recipients, verification, gateway }, env: shared, gatewayUrl: `${gateway.baseUrl}/graphql`, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
