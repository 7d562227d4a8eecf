import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { ANONYMOUS, signViewer, VIEWER_HEADER, type Viewer } from '../lib/auth/viewer.js';
import type { SubgraphName } from '../lib/config/env.js';
import type { Logger } from '../lib/log.js';
import type { RateLimitStore } from '../lib/rate-limit/token-buckets.js';
import { sendProblem } from '../lib/server/problem.js';
import { viewerForAuthorization, type ApiKeyLookup } from './auth.js';
import { peerAddress, type ClientAddressOf } from './client-address.js';
import { takeRequest, type RateLimits } from './rate-limit.js';

export interface RestRoute {
  prefix: string;
  /** When set, the path must also match it (a route under another subgraph's prefix, e.g. an issuer's metrics CSV). */
  pattern?: RegExp;
  subgraph: SubgraphName;
  /**
   * The service authenticates its callers itself (the OB 3.0 API: OAuth 2.0 access tokens, and client credentials
   * at the token endpoint), so the gateway passes Authorization through and signs an anonymous viewer instead of
   * reading the header as a Cairn API key.
   */
  ownAuthorization?: boolean;
}

/**
 * The standards endpoints (credential documents, issuer profiles, DID documents, status lists, W3C VC-API,
 * 1EdTech OB 3.0 API) live in the subgraph that owns the data; the gateway is the one public origin, so it
 * forwards them. The first matching prefix wins: longest first.
 */
export const REST_ROUTES: ReadonlyArray<RestRoute> = [
  { prefix: '/ims/ob/v3p0/', subgraph: 'recipients', ownAuthorization: true },
  { prefix: '/credentials/verify', subgraph: 'verification' },
  { prefix: '/presentations/verify', subgraph: 'verification' },
  { prefix: '/issuers/', pattern: /^\/issuers\/[^/]+\/metrics\.csv$/, subgraph: 'verification' },
  { prefix: '/issuers/', subgraph: 'issuers' },
  { prefix: '/credentials/', subgraph: 'issuers' },
  { prefix: '/status-lists/', subgraph: 'issuers' },
  { prefix: '/shares/', subgraph: 'recipients' },
  { prefix: '/achievements/', subgraph: 'achievements' },
  { prefix: '/pathways/', subgraph: 'achievements' },
];

/** Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the gateway sets itself. */
const DROPPED_REQUEST_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'authorization', VIEWER_HEADER]);
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length']);

export function restTarget(url: string | undefined): RestRoute | null {
  const path = (url ?? '').split('?')[0]!;
  return REST_ROUTES.find((route) => path.startsWith(route.prefix) && (!route.pattern || route.pattern.test(path))) ?? null;
}

/**
 * Forwards one REST request to a subgraph, with the caller authenticated and the viewer signed as for GraphQL, once
 * the caller's request bucket (the one its GraphQL operations use: its Cairn key's, else its IP's) holds a token;
 * otherwise 429 with Retry-After and a problem document, and the subgraph is not asked. An OB API request counts on
 * its IP: its OAuth token is checked by the subgraph, and a made-up token must not buy a fresh bucket.
 */
export async function forwardRest(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    origin: string;
    route: RestRoute;
    lookup: ApiKeyLookup;
    viewerSecret: string;
    log: Logger;
    rateLimit: { buckets: RateLimitStore; limits: Pick<RateLimits, 'keyPerSecond' | 'anonymousPerSecond' | 'burstSeconds'> };
    clientAddressOf?: ClientAddressOf;
  },
): Promise<void> {
  let viewer: Viewer;
  try {
    viewer = options.route.ownAuthorization ? ANONYMOUS : await viewerForAuthorization(options.lookup, req.headers.authorization);
  } catch (error) {
    return sendProblem(res, 401, 'UNAUTHENTICATED', (error as Error).message);
  }
  const clientAddress = (options.clientAddressOf ?? peerAddress)(req);
  const taken = await takeRequest(options.rateLimit.buckets, options.rateLimit.limits, viewer, clientAddress);
  if (!taken.allowed) {
    res.setHeader('retry-after', String(taken.retryAfterSeconds));
    return sendProblem(res, 429, 'TOO_MANY_REQUESTS', `Too many requests; retry after ${taken.retryAfterSeconds} s`, { retryAfterSeconds: taken.retryAfterSeconds });
  }
  const signedViewer = signViewer(viewer, options.viewerSecret, { clientAddress });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  if (options.route.ownAuthorization && req.headers.authorization) headers.set('authorization', req.headers.authorization);
  // The host the caller asked (the services serve a did:web document under the hub address it names); a proxy's wins.
  if (!headers.has('x-forwarded-host') && req.headers.host) headers.set('x-forwarded-host', req.headers.host);
  headers.set(VIEWER_HEADER, signedViewer);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  try {
    const upstream = await fetch(`${options.origin}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      redirect: 'manual',
      // Required by undici for a streamed request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
    const responseHeaders: Record<string, string | string[]> = {};
    upstream.headers.forEach((value, name) => {
      // CORS is decided at the gateway (cors.ts); a service's own headers (oidc-provider's) would contradict it.
      if (!DROPPED_RESPONSE_HEADERS.has(name) && !name.startsWith('access-control-')) responseHeaders[name] = value;
    });
    const vary = [res.getHeader('vary'), responseHeaders.vary].filter(Boolean).join(', ');
    if (vary) responseHeaders.vary = vary;
    // Headers joins several Set-Cookie values with commas, which breaks them (cookie dates contain commas).
    const cookies = upstream.headers.getSetCookie();
    if (cookies.length > 0) responseHeaders['set-cookie'] = cookies;
    res.writeHead(upstream.status, responseHeaders);
    if (upstream.body) for await (const chunk of Readable.fromWeb(upstream.body as never)) res.write(chunk);
    res.end();
  } catch (error) {
    options.log.error({ err: error, url: req.url }, 'REST forward failed');
    if (!res.headersSent) sendProblem(res, 502, 'BAD_GATEWAY', 'The service behind this endpoint did not answer');
    else res.destroy();
  }
}
