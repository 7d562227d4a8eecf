import type { IncomingMessage, ServerResponse } from 'node:http';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError } from 'graphql';

/**
 * Refuses operations nested deeper than `maxDepth` with a coded error. Fragments are flattened,
 * so hiding depth inside fragments does not get past it; introspection is exempt (GraphiQL needs it).
 */
export function useDepthLimit(maxDepth: number) {
  return maxDepthPlugin({
    n: maxDepth,
    flattenFragments: true,
    ignoreIntrospection: true,
    propagateOnRejection: false,
    onReject: [
      (context, error) =>
        context?.reportError(
          new GraphQLError(`Query is too deep: ${error.message.replace(/^Syntax Error: /, '')}`, {
            extensions: { code: 'QUERY_TOO_DEEP', maxDepth },
          }),
        ),
    ],
  });
}

/**
 * Checks a request body's declared size before the gateway reads it. Returns false (and answers)
 * when the request is refused: too large (413), or a POST without a Content-Length (411), since an
 * unbounded chunked body could only be limited after buffering it.
 */
export function admitRequestBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  if (req.method !== 'POST') return true;
  const declared = req.headers['content-length'];
  if (declared === undefined) {
    refuse(res, 411, 'LENGTH_REQUIRED', 'POST requests must declare a Content-Length');
    return false;
  }
  if (Number(declared) > maxBytes) {
    refuse(res, 413, 'PAYLOAD_TOO_LARGE', `Request body is ${declared} bytes; the limit is ${maxBytes}`, { maxBytes });
    return false;
  }
  return true;
}

function refuse(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] }));
}
