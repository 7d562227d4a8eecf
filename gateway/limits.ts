import type { IncomingMessage, ServerResponse } from 'node:http';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError } from 'graphql';
import { nestsDeeperThan } from '../lib/json-depth.js';

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
 * Refuses variables nested deeper than `maxDepth` with BAD_USER_INPUT before anything walks them: JSON.parse copes
 * with any depth, but value coercion and JSON.stringify (forwarding to a subgraph) recurse and would overflow the
 * stack on, say, a 50,000-level credential handed to verifyCredential.
 */
export function useVariablesDepthLimit(maxDepth: number) {
  return {
    onParams({ params, setResult }: { params: { variables?: unknown }; setResult: (result: { errors: GraphQLError[] }) => void }) {
      if (params.variables && nestsDeeperThan(params.variables, maxDepth)) {
        setResult({
          errors: [new GraphQLError(`Variables nest deeper than ${maxDepth} levels`, { extensions: { code: 'BAD_USER_INPUT', maxDepth } })],
        });
      }
    },
  };
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
