import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, useCustomFetch, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { execute, parse } from 'graphql';
import type { SubgraphName } from '../../lib/config/env.js';
import { composeSupergraph } from '../../gateway/supergraph.js';
import { serveGraphQLOverWebSocket, type WebSocketOptions } from '../../gateway/websocket.js';

/** The federation 2 preamble an inline subgraph's SDL starts with. */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])';

export interface InMemoryGatewayOptions {
  /** The subgraph's SDL (with FEDERATION_LINK) and resolvers; a resolver's context is `{ headers }` of the upstream request. */
  typeDefs: string;
  resolvers: Record<string, Record<string, (parent: any, args: any, context: { headers: Headers }) => unknown>>;
  /** Gateway plugins, or envelop/Yoga plugins such as graphql-armor's. */
  plugins: object[];
}

export interface InMemoryGateway {
  /** POSTs an operation to the gateway; `headers` adds request headers (e.g. authorization). */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  /** Serves the gateway on a port, with graphql-ws on /graphql as the hub's gateway does; closed with the gateway. */
  listen(admitConnection?: WebSocketOptions['admitConnection']): Promise<{ httpUrl: string; wsUrl: string }>;
  /** Every request the subgraph received, in order. */
  upstream: { headers: Headers; body: { query: string; variables?: Record<string, unknown> } }[];
  dispose(): Promise<void>;
}

/**
 * A Hive Gateway runtime in front of one inline subgraph, entirely in memory: the gateway's upstream fetch executes the
 * subgraph schema in-process (the way graphql-hive/gateway tests its own plugins), so a plugin is tested with no port and
 * no database, through the same runtime, planner and HTTP executor as in production.
 */
export async function createInMemoryGateway(options: InMemoryGatewayOptions): Promise<InMemoryGateway> {
  const schema = buildSubgraphSchema({ typeDefs: parse(options.typeDefs), resolvers: options.resolvers as never });
  const url = 'http://inline-subgraph.test/graphql';
  const supergraph = composeSupergraph([{ name: 'inline' as SubgraphName, url, sdl: options.typeDefs }]);
  const upstream: InMemoryGateway['upstream'] = [];
  const gateway = createGatewayRuntime({
    supergraph,
    logging: 'error',
    plugins: () => [
      useCustomFetch(async (_url, init) => {
        const headers = new Headers(init?.headers as HeadersInit);
        const body = JSON.parse(String(init?.body)) as InMemoryGateway['upstream'][number]['body'];
        upstream.push({ headers, body });
        const result = await execute({ schema, document: parse(body.query), variableValues: body.variables, contextValue: { headers } });
        return Response.json(result);
      }),
      ...(options.plugins as GatewayPlugin[]),
    ],
  });
  const closers: (() => Promise<void>)[] = [];
  return {
    upstream,
    async listen(admitConnection) {
      // The schema loads lazily; a first operation arriving over graphql-ws would otherwise find none.
      await gateway.getSchema();
      const httpServer = createServer(gateway);
      const wsCleanup = serveGraphQLOverWebSocket(httpServer, gateway, { path: '/graphql', maxPayload: 1_048_576, admitConnection });
      await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
      closers.push(async () => {
        await wsCleanup.dispose();
        httpServer.closeAllConnections();
        await new Promise((resolve) => httpServer.close(resolve));
      });
      const { port } = httpServer.address() as AddressInfo;
      return { httpUrl: `http://127.0.0.1:${port}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
    },
    async post(body, headers = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: text,
      });
      const raw = await response.text();
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // not JSON (a plain-text refusal): the test sees the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async dispose() {
      for (const close of closers) await close();
      await gateway.dispose();
    },
  };
}
