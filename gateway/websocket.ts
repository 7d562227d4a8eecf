import type { IncomingMessage, Server } from 'node:http';
import { getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { TakeResult } from '../lib/rate-limit/token-buckets.js';
import { problemDocument } from '../lib/server/problem.js';
import type { AddressedRequest } from './client-address.js';

export interface WebSocketOptions {
  path: string;
  maxPayload: number;
  /** Decides whether a connection may open (the per-IP connection rate); refused handshakes get 429. */
  admitConnection?: (req: AddressedRequest) => Promise<TakeResult>;
  /**
   * The Authorization an upgrade request carries by other means than `connectionParams` (the dashboard's session
   * cookie, gateway/pages/dashboard-session.ts), or null. A client's own `connectionParams` key always wins.
   */
  sessionAuthorization?: (req: IncomingMessage) => string | null;
}

/**
 * Serves graphql-ws on the gateway's HTTP server. A connection over its IP's opening rate is refused at the
 * handshake, before any WebSocket exists: HTTP 429 with Retry-After and a problem document, the same answer as a REST
 * route's. Not a 4429 close after accepting it: graphql-ws already uses 4429 for "too many initialisation requests",
 * and refusing the upgrade costs a flood less than accepting every socket to close it. Browsers see a failed
 * connection; graphql-ws clients retry it with their back-off.
 */
export function serveGraphQLOverWebSocket(httpServer: Server, gateway: GatewayRuntime, options: WebSocketOptions) {
  const { admitConnection } = options;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: options.path,
    maxPayload: options.maxPayload,
    verifyClient: admitConnection
      ? (info, done) => {
          void admitConnection(info.req).then(
            (taken) => {
              if (taken.allowed) return done(true);
              const seconds = taken.retryAfterSeconds;
              const problem = problemDocument(429, 'TOO_MANY_REQUESTS', `Too many connections; retry after ${seconds} s`, { retryAfterSeconds: seconds });
              done(false, 429, JSON.stringify(problem), { 'Content-Type': 'application/problem+json', 'Retry-After': String(seconds) });
            },
            // Fail open, as the shared stores do themselves: a handshake left without an answer would hang the client.
            () => done(true),
          );
        }
      : undefined,
  });
  return useServer(
    getGraphQLWSOptions(gateway, (ctx) => {
      const extra = ctx.extra as { request?: IncomingMessage; socket?: unknown } | undefined;
      const params = ctx.connectionParams ?? {};
      const ownKey = typeof params.Authorization === 'string' || typeof params.authorization === 'string';
      const session = !ownKey && extra?.request ? options.sessionAuthorization?.(extra.request) : null;
      // Read by useViewerAuth as if the client had sent it, so the key is checked (and a revoked one refused) per operation.
      const connectionParams = session ? { ...params, Authorization: session } : params;
      return { req: extra?.request, socket: extra?.socket, connectionParams };
    }),
    wsServer,
  );
}
