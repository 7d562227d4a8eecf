import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, GraphQLError, Kind, print, valueFromASTUntyped, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Viewer } from '../lib/auth/viewer.js';

/**
 * Root subscription fields whose stream a client may join late and get what a subscription of its own would give:
 * `credentialEvents` without `after` starts "from now", and a stream already running delivers every event after its
 * last one, so a joiner misses nothing a new subscription would have had (it may get an event committed a moment
 * before it asked, as a new one may). Resumes (`after`) and streams that open with a current state
 * (`issuanceJobProgress`) are never shared.
 */
const JOINABLE: Readonly<Record<string, (args: Record<string, unknown>) => boolean>> = {
  credentialEvents: (args) => args.after == null,
};

/** @default 10_000 // results queued for one slow client before it is dropped (it resumes with `after`) */
const MAX_QUEUED_PER_CLIENT = 10_000;

/**
 * The WebSocket close code of a client dropped for falling behind (README, "Subscriptions"): in the 4000–4999 range
 * graphql-ws leaves to applications, and none of its own `CloseCode`s (4004, 4005, 4400, 4401, 4403, 4406, 4408, 4409,
 * 4429, 4500, 4504). 413 as in HTTP's "content too large": what the hub holds for the client grew past its bound.
 */
export const SUBSCRIBER_TOO_SLOW_CLOSE_CODE = 4413;
const SUBSCRIBER_TOO_SLOW_REASON = 'Subscriber too slow: reconnect and resume with `after`';

/** The graphql-ws socket of a subscription (gateway/websocket.ts puts it in the context), when it has one. */
interface ClosableSocket {
  close(code: number, reason: string): void;
}
function socketOf(context: unknown): ClosableSocket | null {
  const socket = (context as { socket?: unknown } | undefined)?.socket;
  return socket && typeof (socket as ClosableSocket).close === 'function' ? (socket as ClosableSocket) : null;
}

/**
 * Who a shared stream is computed for: the viewer without its key's id. Every authorisation rule of the hub reads
 * the principal (operator, issuer member with role, employer, recipient), never which of its keys asked, so two keys
 * of one principal see the same answers; two principals never share.
 */
function scopeOf(viewer: Viewer | undefined): string {
  if (!viewer) return 'ANONYMOUS';
  const { apiKeyId: _key, ...scope } = viewer as Viewer & { apiKeyId?: string };
  return JSON.stringify(scope, Object.keys(scope).sort());
}

/** Printed once per document: the gateway's parser cache hands the same DocumentNode to the same query text. */
const printed = new WeakMap<DocumentNode, string>();
function textOf(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

/** Whether a subscription asks for one joinable root field, and nothing else, with arguments that allow joining. */
function isJoinable(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'subscription' || operation.selectionSet.selections.length !== 1) return false;
  const [field] = operation.selectionSet.selections;
  if (field?.kind !== Kind.FIELD || !JOINABLE[field.name.value]) return false;
  const args = Object.fromEntries((field.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables)]));
  return JOINABLE[field.name.value]!(args);
}

interface Listener {
  push(result: ExecutionResult): void;
  end(error?: unknown): void;
}

/** One running upstream stream and the clients reading it; `onIdle` runs once it ends or its last client leaves. */
export class SharedStream {
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly source: AsyncIterator<ExecutionResult>,
    private readonly onIdle: () => void,
    private readonly maxQueuedPerClient = MAX_QUEUED_PER_CLIENT,
  ) {
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const next = await this.source.next();
        if (next.done) break;
        for (const listener of this.listeners) listener.push(next.value);
      }
      this.close();
    } catch (error) {
      this.close(error);
    }
  }

  private close(error?: unknown): void {
    this.onIdle();
    for (const listener of this.listeners) listener.end(error);
    this.listeners.clear();
  }

  leave(listener: Listener): void {
    this.listeners.delete(listener);
    if (this.listeners.size > 0) return;
    this.onIdle();
    void this.source.return?.();
  }

  /**
   * A client's own iterator over the shared stream, with its own bounded queue. A client whose queue passes the bound
   * is left behind: `onTooSlow` drops it (the gateway closes its socket with SUBSCRIBER_TOO_SLOW_CLOSE_CODE, and its
   * iterator ends); without one, its iterator fails with a SUBSCRIBER_TOO_SLOW error.
   */
  join(onTooSlow?: () => void): AsyncIterableIterator<ExecutionResult> {
    const queue: ExecutionResult[] = [];
    let waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
    let failWaiting: ((error: unknown) => void) | null = null;
    let ended = false;
    let failure: unknown = null;
    const stream = this;
    const listener: Listener = {
      push(result) {
        if (ended) return;
        if (waiting) {
          const resolve = waiting;
          waiting = failWaiting = null;
          resolve({ value: result, done: false });
        } else if (queue.length >= stream.maxQueuedPerClient) {
          // What it has not read is dropped with it: the bound is on memory, and it resumes with `after` anyway.
          queue.length = 0;
          if (onTooSlow) listener.end();
          else {
            listener.end(new GraphQLError('This client fell too far behind the event stream; subscribe again with `after` set to the last cursor it saw', {
              extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
            }));
          }
          stream.leave(listener);
          onTooSlow?.();
        } else {
          queue.push(result);
        }
      },
      end(error) {
        if (ended) return;
        ended = true;
        failure = error ?? null;
        if (failure && failWaiting) failWaiting(failure);
        else waiting?.({ value: undefined, done: true });
        waiting = failWaiting = null;
      },
    };
    this.listeners.add(listener);
    const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
      if (!ended) {
        listener.end();
        stream.leave(listener);
      }
      queue.length = 0;
      return { value: undefined, done: true };
    };
    return {
      next() {
        const value = queue.shift();
        if (value) return Promise.resolve({ value, done: false });
        if (ended) return failure ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          waiting = resolve;
          failWaiting = reject;
        });
      },
      return: finish,
      throw: async (error) => {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

/**
 * Serves identical live subscriptions (same document, variables and principal) from one execution: the first
 * client's subscription runs through the gateway and its subgraph as before, and every event it yields is handed to
 * each client in memory. With a thousand dashboards following one issuer's events, the subgraph executes and sends
 * each event once, and the gateway resolves it once, instead of a thousand times each. Every client's own
 * subscription still goes through authentication, limits and error mapping on its own (those hooks run before and
 * after this one), and only joinable fields are shared (`JOINABLE`). The last client to leave stops the stream.
 *
 * Every subscription, shared or not (a resume with `after`, `issuanceJobProgress`), is read through a bounded queue:
 * a client that stops reading is closed with SUBSCRIBER_TOO_SLOW_CLOSE_CODE once `maxQueuedPerClient` results wait
 * for it, instead of the gateway buffering its upstream without end.
 */
export function useSharedSubscriptions(options: { maxQueuedPerClient?: number } = {}): GatewayPlugin {
  const { maxQueuedPerClient = MAX_QUEUED_PER_CLIENT } = options;
  const streams = new Map<string, SharedStream>();
  /** Streams being set up: clients arriving meanwhile wait for them instead of setting up a second upstream. */
  const starting = new Map<string, Promise<SharedStream | null>>();
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const socket = socketOf(args.contextValue);
      const dropTooSlow = socket ? () => socket.close(SUBSCRIBER_TOO_SLOW_CLOSE_CODE, SUBSCRIBER_TOO_SLOW_REASON) : undefined;
      const variables = args.variableValues ?? undefined;
      if (!isJoinable(args.document, args.operationName, variables)) {
        setSubscribeFn(async (subscribeArgs) => {
          const result = await subscribeFn(subscribeArgs);
          if (!(Symbol.asyncIterator in result)) return result;
          // A stream of its own, with the same bound as a shared one's clients.
          return new SharedStream(result[Symbol.asyncIterator](), () => {}, maxQueuedPerClient).join(dropTooSlow);
        });
        return;
      }
      const scope = scopeOf((args.contextValue as { viewer?: Viewer }).viewer);
      const key = JSON.stringify([scope, textOf(args.document), args.operationName ?? null, variables ?? null]);
      setSubscribeFn(async (subscribeArgs) => {
        const running = streams.get(key);
        if (running) return running.join(dropTooSlow);
        const setUp = starting.get(key);
        if (setUp) {
          const stream = await setUp;
          // The first client was refused (a single result): this one asks on its own.
          return stream ? stream.join(dropTooSlow) : subscribeFn(subscribeArgs);
        }
        let started!: (stream: SharedStream | null) => void;
        starting.set(key, new Promise((resolve) => (started = resolve)));
        try {
          const result = await subscribeFn(subscribeArgs);
          // A refusal (a single result, not a stream) is this client's alone.
          if (!(Symbol.asyncIterator in result)) {
            started(null);
            return result;
          }
          const stream: SharedStream = new SharedStream(
            result[Symbol.asyncIterator](),
            () => {
              if (streams.get(key) === stream) streams.delete(key);
            },
            maxQueuedPerClient,
          );
          streams.set(key, stream);
          // Joined before anyone waiting can join and leave: a stream is never left with no client at its start.
          const own = stream.join(dropTooSlow);
          started(stream);
          return own;
        } catch (error) {
          started(null);
          throw error;
        } finally {
          starting.delete(key);
        }
      });
    },
  };
}
