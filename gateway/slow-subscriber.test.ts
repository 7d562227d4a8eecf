import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { envelop, useEngine, useSchema, type Plugin } from '@envelop/core';
import { buildSchema, execute, parse, subscribe, validate, type ExecutionArgs } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SUBSCRIBER_TOO_SLOW_CLOSE_CODE, useSharedSubscriptions } from './shared-subscriptions.js';

/*
 * The plugin on real sockets: graphql-ws over `ws`, as gateway/websocket.ts serves it (the socket in the context),
 * with a schema whose `ticks` subscription is fed by the test. A client whose socket stops reading fills the kernel's
 * buffers, then graphql-ws stops taking results, then the plugin's queue for it reaches its bound.
 */
const schema = buildSchema(`type Query { ok: Boolean } type Subscription { ticks(after: Int): String }`);
const BOUND = 20;
/** Big results fill the sockets' buffers in a few hundred of them. */
const TICK = 'x'.repeat(64 * 1024);

const listeners = new Set<(tick: string) => void>();
function ticks(): AsyncIterableIterator<{ ticks: string }> {
  const queued: string[] = [];
  let waiting: ((result: IteratorResult<{ ticks: string }>) => void) | null = null;
  const push = (tick: string) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value: { ticks: tick }, done: false });
    } else queued.push(tick);
  };
  listeners.add(push);
  return {
    next: () => (queued.length > 0 ? Promise.resolve({ value: { ticks: queued.shift()! }, done: false }) : new Promise((resolve) => (waiting = resolve))),
    return: async () => {
      listeners.delete(push);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
const emit = (tick: string) => listeners.forEach((push) => push(tick));

let server: Server;
let url: string;
const serverSockets: WebSocket[] = [];

beforeAll(async () => {
  server = createServer();
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  wsServer.on('connection', (socket) => serverSockets.push(socket));
  const getEnveloped = envelop({ plugins: [useEngine({ parse, validate, execute, subscribe }), useSchema(schema), useSharedSubscriptions({ maxQueuedPerClient: BOUND }) as Plugin] });
  type Enveloped = ReturnType<typeof getEnveloped>;
  useServer(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args as ExecutionArgs),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args as ExecutionArgs),
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = getEnveloped({ socket: (ctx.extra as { socket: WebSocket }).socket });
        return {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document: enveloped.parse(payload.query),
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { ...enveloped, ticks },
        };
      },
    },
    wsServer,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  serverSockets.forEach((socket) => socket.terminate());
  await new Promise((resolve) => server.close(resolve));
});

/** A graphql-ws client that reads everything, counting what it got. */
function readingClient(query: string): { client: Client; received: string[]; ended: Promise<void> } {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
  const received: string[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    client.subscribe<{ ticks: string }>({ query }, { next: (result) => received.push(result.data!.ticks), error: reject, complete: resolve });
  });
  return { client, received, ended };
}

/** A raw graphql-transport-ws socket that subscribes, reads its first result, then stops reading its socket. */
async function stallingSocket(query: string): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        // The subscription is set up once the server has it: the first result proves it.
        setTimeout(() => emit('first'), 50);
      }
      if (message.type === 'next') resolve();
    });
  });
  socket.removeAllListeners('message');
  (socket as unknown as { _socket: { pause(): void } })._socket.pause();
  return { socket, closed };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe.each([
  ['a shared subscription', 'subscription { ticks }'],
  ['a resumed one (not shared)', 'subscription { ticks(after: 1) }'],
])('%s', (_label, query) => {
  test(`a client that stops reading is closed with ${SUBSCRIBER_TOO_SLOW_CLOSE_CODE} while another keeps receiving`, async () => {
    const first = serverSockets.length;
    const stalled = await stallingSocket(query);
    const serverSide = serverSockets[first]!;
    const quick = readingClient(query);
    for (let probe = 0; !quick.received.includes('probe'); probe += 1) {
      emit('probe');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    let sent = 0;
    // Paced by the reading client: every tick reaches it before the next is sent.
    while (serverSide.readyState === WebSocket.OPEN && sent < 5_000) {
      emit(TICK);
      sent += 1;
      await until(() => quick.received.filter((tick) => tick === TICK).length === sent);
    }
    expect(serverSide.readyState).not.toBe(WebSocket.OPEN);
    (stalled.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    stalled.socket.on('message', () => {});
    expect(await stalled.closed).toEqual({ code: SUBSCRIBER_TOO_SLOW_CLOSE_CODE, reason: expect.stringMatching(/too slow.*after/) });
    emit('after the drop');
    await until(() => quick.received.includes('after the drop'));
    await quick.client.dispose();
    listeners.clear();
  }, 60_000);
});
