import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { createApiKeyCache } from '../lib/auth/api-key-cache.js';
import { VIEWER_HEADER } from '../lib/auth/viewer.js';
import { SUBGRAPH_NAMES, type HubConfig, type SubgraphName } from '../lib/config/env.js';
import type { Database } from '../lib/db/client.js';
import type { Logger } from '../lib/log.js';
import { createRateLimitStore } from '../lib/rate-limit/store.js';
import { answerHealth } from '../lib/server/health.js';
import type { RunningService } from '../lib/server/start-subgraph.js';
import { useViewerAuth } from './auth.js';
import { useCostLimit } from './cost.js';
import { applyCors } from './cors.js';
import { useClosedErrorCodes } from './error-codes.js';
import { admitRequestBody, useDepthLimit, useExecutionTimeout, useStructuralLimits, useVariablesDepthLimit } from './limits.js';
import { clientAddressResolver } from './client-address.js';
import { admitConnections, useRateLimit } from './rate-limit.js';
import { sessionAuthorizationFor } from './pages/dashboard-session.js';
import { createHubClient } from './pages/hub-client.js';
import { createPages } from './pages/pages.js';
import { forwardRest, restTarget } from './rest.js';
import { composeSupergraph, fetchSubgraphSdl } from './supergraph.js';
import { useSharedSubscriptions } from './shared-subscriptions.js';
import { serveGraphQLOverWebSocket } from './websocket.js';

/**
 * Deeper than any credential or input a client has reason to send (an OB 3.0 credential nests about 8 levels), in
 * variables or written inline in the query text; far below what overflows a recursive parser or visitor.
 */
const MAX_NESTING = 128;

export interface GatewayOptions {
  config: HubConfig;
  database: Database;
  log: Logger;
  /** Where each subgraph listens; defaults to the configured URLs. */
  subgraphUrls?: Record<SubgraphName, string>;
  port?: number;
}

/**
 * The one public entry point: Hive Gateway runtime in-process, serving GraphQL over HTTP and graphql-ws on one
 * port, with API-key auth, depth, cost and body-size limits, GraphiQL, and `/healthz` + `/readyz`.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningService & { supergraphSdl: string }> {
  const { config, database, log } = options;
  const { limits } = config;
  const urls = options.subgraphUrls ?? config.subgraphUrls;
  const subgraphs = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => ({
      name,
      url: urls[name],
      sdl: await fetchSubgraphSdl(name, urls[name], config.viewerSecret, log),
    })),
  );
  const supergraphSdl = composeSupergraph(subgraphs);
  // Keys are answered from memory while this replica's lease holds; a revocation still applies on the next request.
  const apiKeys = await createApiKeyCache(database, { log });
  const lookupApiKey = apiKeys.authenticate;
  const clientAddressOf = clientAddressResolver(config.trustedProxyHops);
  // One store for GraphQL, REST and graphql-ws: a caller has one budget whichever way it asks.
  const rateLimitStore = await createRateLimitStore(config.rateLimitStore, database, log);
  const rateLimit = useRateLimit(limits.rateLimit, rateLimitStore, clientAddressOf);

  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: log.isLevelEnabled('debug') ? 'debug' : log.isLevelEnabled('warn') ? 'warn' : 'error',
    graphiql: config.graphiql ? { title: 'Cairn', defaultQuery: '{ me { kind } }' } : false,
    // GraphiQL's scripts and styles inlined from the installed package: it works without a CDN (air-gapped hubs too).
    renderGraphiQL,
    landingPage: false,
    // CORS is the gateway's own policy for every path (gateway/cors.ts): the runtime's default echoes any origin
    // and allows credentials.
    cors: false,
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries: {
      '*.http': {
        options: {
          // The HTTP executor would otherwise key every upstream query by its URL, body and headers (JSON of them)
          // to share identical ones in flight, and deep-copy (structuredClone) every answer for that, shared or
          // not: the copy of each subgraph's answer was the largest single cost of a wide query. Identical
          // queries in flight are the same viewer's (the signed viewer is among the headers), which clients rarely send.
          deduplicateInflightRequests: false,
          subscriptions: {
            kind: 'ws',
            location: '/graphql',
            // Interpolated per operation from the gateway context built by useViewerAuth.
            options: { connectionParams: { [VIEWER_HEADER]: '{context.signedViewer}' } },
          },
        },
      },
    },
    plugins: () => [
      useClosedErrorCodes(),
      useStructuralLimits(
        {
          maxTokens: limits.maxQueryTokens,
          maxNesting: MAX_NESTING,
          maxAliases: limits.maxQueryAliases,
          maxDirectives: limits.maxQueryDirectives,
          maxFields: limits.maxQueryFields,
        },
        rateLimit.refused,
      ),
      useVariablesDepthLimit(MAX_NESTING),
      useViewerAuth(lookupApiKey, config.viewerSecret, clientAddressOf),
      useDepthLimit(limits.maxQueryDepth),
      useCostLimit({ maxCost: limits.maxQueryCost, maxAnonymousCost: limits.maxAnonymousQueryCost }, rateLimit.refused),
      // After the cost limit: it charges each operation's estimated cost to its caller.
      rateLimit,
      useExecutionTimeout(limits.queryTimeoutMs),
      // Last: every client's own subscription has been authenticated, costed and rate-limited before it joins one.
      useSharedSubscriptions(),
    ],
  });
  // The schema loads lazily; a first operation arriving over graphql-ws would otherwise find none.
  await gateway.getSchema();

  const servePage = createPages({
    client: createHubClient({
      gateway,
      subgraphOrigins: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, new URL(urls[name]).origin])) as Record<SubgraphName, string>,
      lookup: lookupApiKey,
      viewerSecret: config.viewerSecret,
      clientAddressOf,
    }),
    site: { hubName: 'Cairn', graphiql: config.graphiql },
    publicBaseUrl: config.publicBaseUrl,
    // Its own purpose is written into every form token, so this secret signs nothing a viewer header could be.
    formSecret: config.viewerSecret,
    log,
  });

  let ready = true;
  const corsAllowedOrigins = new Set(config.corsAllowedOrigins);
  const httpServer: Server = createServer(async (req, res) => {
    if (await answerHealth(req, res, database, () => ready)) return;
    if (applyCors(req, res, corsAllowedOrigins)) return;
    if (!admitRequestBody(req, res, config.limits.maxRequestBytes)) return;
    // A browser asking for a public URL gets its page; JSON, JWT and every other route go on as before.
    if (await servePage(req, res)) return;
    const restRoute = restTarget(req.url);
    if (restRoute) {
      return forwardRest(req, res, {
        origin: new URL(urls[restRoute.subgraph]).origin,
        route: restRoute,
        lookup: lookupApiKey,
        viewerSecret: config.viewerSecret,
        log,
        rateLimit: { buckets: rateLimitStore, limits: limits.rateLimit },
        clientAddressOf,
      });
    }
    return gateway(req, res);
  });
  const wsCleanup = serveGraphQLOverWebSocket(httpServer, gateway, {
    path: gateway.graphqlEndpoint,
    maxPayload: config.limits.maxRequestBytes,
    admitConnection: admitConnections(rateLimitStore, limits.rateLimit.wsConnectionsPerMinute, clientAddressOf),
    // The dashboard's own connection: its key is in the HttpOnly session cookie, taken only from this hub's pages.
    sessionAuthorization: (req) => sessionAuthorizationFor(req, config.viewerSecret, config.publicBaseUrl),
  });

  const port = options.port ?? config.ports.gateway;
  await new Promise<void>((resolve) => httpServer.listen(port, config.host, resolve));
  const address = httpServer.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}${gateway.graphqlEndpoint}`;
  log.info({ url }, 'gateway listening');
  return {
    name: 'gateway',
    url,
    supergraphSdl,
    async close() {
      ready = false;
      await wsCleanup.dispose();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await gateway.dispose();
      await rateLimitStore.close();
      await apiKeys.close();
    },
  };
}
