import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { authenticateApiKey } from '../lib/auth/api-keys.js';
import { ANONYMOUS, signViewer, type Viewer } from '../lib/auth/viewer.js';
import type { Db } from '../lib/db/client.js';

export interface ViewerContext {
  viewer: Viewer;
  /** The viewer, HMAC-signed for the subgraphs; sent as a header (HTTP) or connection parameter (graphql-ws). */
  signedViewer: string;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The bearer token of an HTTP request, or of a graphql-ws connection (`connectionParams.Authorization`). */
function bearerToken(context: { request?: Request; connectionParams?: Record<string, unknown> }): string | null {
  const params = context.connectionParams ?? {};
  const header =
    context.request?.headers.get('authorization') ??
    (typeof params.Authorization === 'string' ? params.Authorization : null) ??
    (typeof params.authorization === 'string' ? params.authorization : null);
  if (!header) return null;
  const match = BEARER.exec(header.trim());
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <api key>"');
  return match[1]!;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * Authenticates every operation at the edge: no key means the anonymous viewer (public operations only);
 * a key that is unknown, malformed or revoked is refused outright rather than downgraded to anonymous,
 * so a client with a broken key learns it at once. Subgraphs receive the viewer signed, never the key.
 */
export function useViewerAuth(db: Db, viewerSecret: string): GatewayPlugin<ViewerContext> {
  return {
    async onContextBuilding({ context, extendContext }) {
      const token = bearerToken(context as never);
      let viewer: Viewer = ANONYMOUS;
      if (token) {
        const found = await authenticateApiKey(db, token);
        if (!found) throw unauthenticated('The API key is not valid or has been revoked');
        viewer = found;
      }
      extendContext({ viewer, signedViewer: signViewer(viewer, viewerSecret) });
    },
    onFetch({ context, options, setOptions }) {
      const signedViewer = (context as Partial<ViewerContext>).signedViewer;
      if (!signedViewer) return;
      setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), 'x-cairn-viewer': signedViewer } });
    },
  };
}
