import type { IncomingMessage } from 'node:http';
import { signViewer, VIEWER_HEADER } from '../../lib/auth/viewer.js';
import type { SubgraphName } from '../../lib/config/env.js';
import { viewerForAuthorization, type ApiKeyLookup } from '../auth.js';
import type { ClientAddressOf } from '../client-address.js';

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number; reason?: string; expiredAt?: string } }[];
}

/** The gateway refused the visitor's request for its rate (TOO_MANY_REQUESTS): the page says so, not "no such". */
export class VisitorRateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`);
  }
}

/** What the pages read the hub through: the same GraphQL and REST endpoints, as the visitor, never around them. */
export interface HubClient {
  /** Runs an operation through the gateway's own pipeline (auth, limits, federation) with the visitor's credentials. */
  graphql<T>(req: IncomingMessage, query: string, variables?: Record<string, unknown>, options?: { pageView?: boolean; authorization?: string }): Promise<GraphQLAnswer<T>>;
  /** GETs a standards endpoint of a subgraph as JSON, signed as the visitor (the same rules as the forwarded route). */
  restJson(req: IncomingMessage, subgraph: SubgraphName, path: string): Promise<{ status: number; body: unknown }>;
}

interface InProcessGateway {
  graphqlEndpoint: string;
  fetch(input: string, init: RequestInit, serverContext: PageServerContext): Promise<Response> | Response;
}

/**
 * The server context of a page's own operation: the visitor's request, and the mark that the operation is one of the
 * hub's page queries (set here only, never from anything a client sends), which the rate limit prices flat.
 */
export interface PageServerContext {
  req: IncomingMessage;
  pageOperation: true;
  /**
   * The operation reads for a person looking at a credential's or a share's page: what the verifier checks for it is
   * a page view, not recorded as a verification. False for the drop-in verifier, where the visitor verifies what they
   * bring.
   */
  pageView: boolean;
}

export function createHubClient(options: {
  gateway: InProcessGateway;
  subgraphOrigins: Record<SubgraphName, string>;
  lookup: ApiKeyLookup;
  viewerSecret: string;
  clientAddressOf: ClientAddressOf;
}): HubClient {
  return {
    async graphql(req, query, variables = {}, { pageView = false, authorization = req.headers.authorization } = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
      // The dashboard passes the key its session cookie holds; every other page, the visitor's own header.
      if (authorization) headers.authorization = authorization;
      // The visitor's own request goes along as the server context: the gateway reads the client address from it.
      const response = await options.gateway.fetch(`http://hub${options.gateway.graphqlEndpoint}`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) }, { req, pageOperation: true, pageView });
      const answer = (await response.json()) as GraphQLAnswer<never>;
      const limited = answer.errors?.find((error) => error.extensions?.code === 'TOO_MANY_REQUESTS');
      if (limited && !answer.data) throw new VisitorRateLimited(limited.extensions?.retryAfterSeconds ?? 1);
      return answer;
    },
    async restJson(req, subgraph, path) {
      const viewer = await viewerForAuthorization(options.lookup, req.headers.authorization);
      const signed = signViewer(viewer, options.viewerSecret, { clientAddress: options.clientAddressOf(req) });
      const response = await fetch(`${options.subgraphOrigins[subgraph]}${path}`, { headers: { accept: 'application/json', [VIEWER_HEADER]: signed } });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // A non-JSON answer (a proxy's error page) is reported by its status alone.
      }
      return { status: response.status, body };
    },
  };
}
