import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Viewer } from '../../lib/auth/viewer.js';
import type { Logger } from '../../lib/log.js';
import { problemHandler } from '../../lib/server/problem.js';
import type { SubgraphInstance } from '../../lib/server/types.js';

/**
 * A subgraph's REST routes on an ephemeral port, without the gateway: each request is made as the viewer given, as
 * the gateway would forward it, and errors become problem documents as in production.
 */
export async function serveSubgraphRoutes(subgraph: SubgraphInstance, log: Logger) {
  let viewerOfNextRequest: Viewer = { kind: 'ANONYMOUS' };
  const app = express();
  app.use((_req, res, next) => {
    res.locals.viewer = viewerOfNextRequest;
    next();
  });
  app.use(subgraph.routes!);
  app.use(problemHandler(log, false));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    async get(viewer: Viewer, path: string): Promise<Response> {
      viewerOfNextRequest = viewer;
      const { port } = server.address() as AddressInfo;
      return fetch(`http://127.0.0.1:${port}${path}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
