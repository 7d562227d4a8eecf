import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, signViewer, VIEWER_HEADER, type Viewer } from '../lib/auth/viewer.js';
import { isTransientDatabaseError } from '../lib/db/errors.js';
import { DatabaseUnavailableError } from '../lib/errors.js';
import { peerAddress, type AddressedRequest, type ClientAddressOf } from './client-address.js';

export interface ViewerContext {
  viewer: Viewer;
  /** The viewer, HMAC-signed for the subgraphs; sent as a header (HTTP) or connection parameter (graphql-ws). */
  signedViewer: string;
}

/** Finds the viewer an API key or token stands for; null when it is unknown, expired or revoked. */
export type ApiKeyLookup = (token: string) => Promise<Viewer | null>;

const BEARER = /^Bearer\s+(\S+)$/i;

/** The Authorization value of an HTTP request, or of a graphql-ws connection (`connectionParams.Authorization`). */
function authorizationOf(context: { request?: Request; connectionParams?: Record<string, unknown> }): string | null {
  const params = context.connectionParams ?? {};
  return (
    context.request?.headers.get('authorization') ??
    (typeof params.Authorization === 'string' ? params.Authorization : null) ??
    (typeof params.authorization === 'string' ? params.authorization : null)
  );
}

/**
 * The viewer behind an Authorization value: anonymous without one; a key that is unknown, malformed or revoked
 * is refused outright rather than downgraded to anonymous, so a client with a broken key learns it at once.
 */
export async function viewerForAuthorization(lookup: ApiKeyLookup, authorization: string | null | undefined): Promise<Viewer> {
  if (!authorization) return ANONYMOUS;
  const match = BEARER.exec(authorization.trim());
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <api key>"');
  const viewer = await lookup(match[1]!).catch((error: unknown) => {
    // A key check that lost its database connection is worth retrying, unlike a key that does not check out.
    if (isTransientDatabaseError(error)) throw databaseUnavailable();
    throw error;
  });
  if (!viewer) throw unauthenticated('The API key or token is not valid, has expired or has been revoked');
  return viewer;
}

/** The key could not be checked because the database was briefly out of reach: the client may retry (lib/errors.ts). */
function databaseUnavailable(): GraphQLError {
  const { message, code, details } = new DatabaseUnavailableError();
  return new GraphQLError(message, { extensions: { ...details, code, http: { status: 503, headers: { 'retry-after': String(details.retryAfterSeconds) } } } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** @default 60_000 // ms a signed viewer is reused; it is valid for 300 s, so a reused one has at least 240 s left */
const SIGNED_VIEWER_REUSE_MS = 60_000;
/** @default 10_000 // signed viewers remembered; the oldest goes first */
const MAX_SIGNED_VIEWERS = 10_000;

/**
 * Signs viewers, reusing a signature made in the last minute for the same viewer (every field of it) and the same
 * client address: the HMAC, JSON and base64 were per request. What a subgraph receives is unchanged in kind: a
 * header that names exactly this caller and address and expires within the signing TTL.
 */
function signedViewers(viewerSecret: string): (viewer: Viewer, clientAddress: string, pageView: boolean) => string {
  const recent = new Map<string, { signed: string; until: number }>();
  return (viewer, clientAddress, pageView) => {
    const key = `${clientAddress}\n${pageView}\n${JSON.stringify(viewer)}`;
    const now = Date.now();
    const hit = recent.get(key);
    if (hit && hit.until > now) return hit.signed;
    const signed = signViewer(viewer, viewerSecret, { clientAddress, pageView, now });
    recent.delete(key);
    if (recent.size >= MAX_SIGNED_VIEWERS) recent.delete(recent.keys().next().value!);
    recent.set(key, { signed, until: now + SIGNED_VIEWER_REUSE_MS });
    return signed;
  };
}

/**
 * Authenticates every GraphQL operation at the edge. Subgraphs receive the viewer signed, never the key, and with it
 * the client address the gateway decided (`addressOf`), for their own per-IP limits, and whether the operation is
 * one of the hub's own page reads (a page view is not a verification).
 *
 * The signed viewer travels in the execution request's own headers (`extensions.headers`), not added later to the
 * outgoing fetch: the HTTP executor can merge identical upstream queries in flight (its default; gateway.ts turns it
 * off), keyed by URL, body and the headers it was given, so a header added after that point would let one viewer
 * receive another's answer.
 */
export function useViewerAuth(lookup: ApiKeyLookup, viewerSecret: string, addressOf: ClientAddressOf = peerAddress): GatewayPlugin<ViewerContext> {
  const sign = signedViewers(viewerSecret);
  return {
    async onContextBuilding({ context, extendContext }) {
      const viewer = await viewerForAuthorization(lookup, authorizationOf(context as never));
      const clientAddress = addressOf((context as { req?: AddressedRequest }).req);
      // Set only by the hub's own credential and share pages (gateway/pages/hub-client.ts), never from anything a client sends.
      const pageView = (context as { pageView?: boolean }).pageView === true;
      extendContext({ viewer, signedViewer: sign(viewer, clientAddress, pageView) });
    },
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      // Subscriptions carry the viewer as a graphql-ws connection parameter instead (see the gateway's transport entries).
      if (executionRequest.operationType === 'subscription') return;
      const signedViewer = (executionRequest.context as Partial<ViewerContext> | undefined)?.signedViewer;
      if (!signedViewer) return;
      const extensions = executionRequest.extensions ?? {};
      setExecutionRequest({
        ...executionRequest,
        extensions: { ...extensions, headers: { ...(extensions.headers as Record<string, string> | undefined), [VIEWER_HEADER]: signedViewer } },
      });
    },
  };
}
