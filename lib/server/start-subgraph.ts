import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { VIEWER_HEADER, verifySignedCaller, type SignedCaller } from '../auth/viewer.js';
import { createFormatError } from '../graphql/format-error.js';
import { answerHealth } from './health.js';
import { problemHandler, sendProblem } from './problem.js';
import type { RequestContext, ServiceDeps, SubgraphModule } from './types.js';

export interface RunningService {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  close(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Serves one subgraph: GraphQL over HTTP and graphql-ws on the same port, `/healthz` and `/readyz`.
 * Every operation must carry a viewer signed by the gateway; unsigned or forged ones are refused,
 * so a subgraph exposed by mistake never trusts a caller that skipped the gateway.
 */
export async function startSubgraph(
  module: SubgraphModule,
  deps: ServiceDeps,
  listen: { port: number; host: string },
): Promise<RunningService> {
  const log = deps.log.child({ service: module.name });
  const subgraph = await module.create({ ...deps, log });
  const production = deps.config.env === 'production';
  const callerFrom = (header: unknown): SignedCaller => verifySignedCaller(typeof header === 'string' ? header : null, deps.config.viewerSecret);
  const formatError = createFormatError(log, production);
  // graphql-ws does not run Apollo's formatError, so websocket results get the same treatment here.
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));

  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  // The gateway's HTTP client keeps idle connections for 5 s, exactly Node's default keepAliveTimeout here: a request
  // sent on a connection the subgraph was closing at that moment failed with ECONNRESET (seen under load in the
  // README test's demo seed and the gateway bench). The subgraph now waits longer than its client ever keeps one idle.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const wsCleanup = useServer(
    {
      schema: subgraph.schema,
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatAll(result.errors) } : result),
      onConnect: (ctx) => {
        try {
          callerFrom(ctx.connectionParams?.[VIEWER_HEADER]);
          return true;
        } catch (error) {
          log.warn({ reason: (error as Error).message }, 'refused websocket without a valid signed viewer');
          return false;
        }
      },
      context: (ctx): RequestContext => {
        const requestId = String(ctx.connectionParams?.[REQUEST_ID_HEADER] ?? randomUUID());
        return subgraph.createContext({
          ...callerFrom(ctx.connectionParams?.[VIEWER_HEADER]),
          requestId,
          log: log.child({ requestId }),
        });
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema: subgraph.schema,
    formatError,
    // Answers go to the gateway, not to people: Apollo's default indents them, which made a 50-credential candidate's
    // parts a third larger to write and to parse again at the gateway.
    stringifyResult: (result) => JSON.stringify(result),
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
    ],
  });
  await apollo.start();

  app.use((req, res, next) => {
    answerHealth(req, res, deps.database).then((answered) => answered || next(), next);
  });
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: deps.config.limits.maxRequestBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = req.get(REQUEST_ID_HEADER) ?? randomUUID();
        let caller: SignedCaller;
        try {
          caller = callerFrom(req.get(VIEWER_HEADER));
        } catch (error) {
          throw new GraphQLError(`Refused: ${(error as Error).message}. Send requests through the Cairn gateway.`, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
        return subgraph.createContext({ ...caller, requestId, log: log.child({ requestId }) });
      },
    }),
  );

  // After /graphql, so GraphQL requests keep their GraphQL-shaped refusals.
  if (subgraph.routes) {
    app.use((req, res, next) => {
      try {
        const caller = callerFrom(req.get(VIEWER_HEADER));
        res.locals.viewer = caller.viewer;
        res.locals.clientAddress = caller.clientAddress;
        next();
      } catch (error) {
        sendProblem(res, 401, 'UNAUTHENTICATED', `Refused: ${(error as Error).message}. Send requests through the Cairn gateway.`);
      }
    });
    app.use(subgraph.routes);
    app.use(problemHandler(log, production));
  }
  await new Promise<void>((resolve) => httpServer.listen(listen.port, listen.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}${GRAPHQL_PATH}`;
  log.info({ url }, 'subgraph listening');
  return {
    name: module.name,
    url,
    async close() {
      await apollo.stop();
      await subgraph.close();
    },
  };
}
