import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { authenticateApiKey } from '../lib/auth/api-keys.js';
import { ANONYMOUS, signViewer, VIEWER_HEADER, type Viewer } from '../lib/auth/viewer.js';
import type { Db } from '../lib/db/client.js';

export interface ViewerContext {
  viewer: Viewer;
  /** The viewer, HMAC-signed for the subgraphs; sent as a header (HTTP) or connection parameter (graphql-ws). */
  signedViewer: string;
}

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
export async function viewerForAuthorization(db: Db, authorization: string | null | undefined): Promise<Viewer> {
  if (!authorization) return ANONYMOUS;
  const match = BEARER.exec(authorization.trim());
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <api key>"');
  const viewer = await authenticateApiKey(db, match[1]!);
  if (!viewer) throw unauthenticated('The API key or token is not valid, has expired or has been revoked');
  return viewer;
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Authenticates every GraphQL operation at the edge. Subgraphs receive the viewer signed, never the key. */
export function useViewerAuth(db: Db, viewerSecret: string): GatewayPlugin<ViewerContext> {
  return {
    async onContextBuilding({ context, extendContext }) {
      const viewer = await viewerForAuthorization(db, authorizationOf(context as never));
      extendContext({ viewer, signedViewer: signViewer(viewer, viewerSecret) });
    },
    onFetch({ context, options, setOptions }) {
      const signedViewer = (context as Partial<ViewerContext>).signedViewer;
      if (!signedViewer) return;
      setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), [VIEWER_HEADER]: signedViewer } });
    },
  };
}
