import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { startHub, type RunningHub } from '../../scripts/hub.js';
import { createTestDeps } from './deps.js';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

export interface TestHub extends RunningHub {
  deps: Awaited<ReturnType<typeof createTestDeps>>;
  /** Every SQL statement run so far (for batching proofs); clear it with `statements.length = 0`. */
  statements: string[];
  adminKey: string;
  /** POSTs an operation to the gateway, with `key` as the bearer token when given. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GraphQLResponse<T>>;
  /** A graphql-ws client connected to the gateway; closed with the hub. */
  wsClient(key?: string | null): Client;
  dispose(): Promise<void>;
}

/** The whole hub in this process on a fresh database, on ephemeral ports, with an operator key; `env` adds settings (e.g. CAIRN_SMTP_URL). */
export async function startTestHub(env: NodeJS.ProcessEnv = {}, options: { pollIntervalMs?: number } = {}): Promise<TestHub> {
  const statements: string[] = [];
  const deps = await createTestDeps(env, { ...options, onQuery: (statement) => statements.push(statement) });
  const hub = await startHub(deps, { ephemeralPorts: true });
  const adminKey = (await createApiKey(deps.database.db, { name: 'test operator', grant: { principal: 'ADMIN' } })).secret;
  const clients: Client[] = [];

  return {
    ...hub,
    deps,
    statements,
    adminKey,
    async gql(query, variables = {}, key = adminKey) {
      const response = await fetch(hub.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    wsClient(key = adminKey) {
      const client = createClient({
        url: hub.gateway.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: key ? { Authorization: `Bearer ${key}` } : {},
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    },
    async dispose() {
      await Promise.all(clients.map((client) => client.dispose()));
      await hub.close();
      await deps.dispose();
    },
  };
}
