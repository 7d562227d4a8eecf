import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import type { Viewer } from '../lib/auth/viewer.js';
import { TokenBuckets, type RateLimitStore, type TakeResult } from '../lib/rate-limit/token-buckets.js';
import { peerAddress, type AddressedRequest, type ClientAddressOf } from './client-address.js';
import { estimatedCostOf, PAGE_OPERATION_COST } from './cost.js';

/** Called by a limit that refused an operation outright, with the request's context (`request`, and `req` on Node). */
export type RefusalCharge = (context: { request?: Request; req?: AddressedRequest } | undefined) => void;

export interface RateLimits {
  /** Sustained operations per second for one API key or session. */
  keyPerSecond: number;
  /** Sustained operations per second for anonymous callers from one IP address. */
  anonymousPerSecond: number;
  /** Sustained estimated cost (gateway/cost.ts units) per second for one API key or session. */
  keyCostPerSecond: number;
  /** Sustained estimated cost per second for anonymous callers from one IP address. */
  anonymousCostPerSecond: number;
  /** How many seconds of the sustained rates a caller may spend at once (the buckets' size). */
  burstSeconds: number;
}

/** The bucket a request of `viewer` from `address` counts in: its key's when it has one, else its IP's. */
function requestBucket(viewer: Viewer | undefined, address: string, limits: Pick<RateLimits, 'keyPerSecond' | 'anonymousPerSecond'>) {
  return viewer && viewer.kind !== 'ANONYMOUS'
    ? { key: `key:${viewer.apiKeyId}`, ratePerSecond: limits.keyPerSecond }
    : { key: `ip:${address}`, ratePerSecond: limits.anonymousPerSecond };
}

/**
 * Takes one request from the caller's request bucket: the same bucket its GraphQL operations count in, so a caller
 * has one budget whether it speaks GraphQL or REST.
 */
export async function takeRequest(
  buckets: RateLimitStore,
  limits: Pick<RateLimits, 'keyPerSecond' | 'anonymousPerSecond' | 'burstSeconds'>,
  viewer: Viewer | undefined,
  address: string,
): Promise<TakeResult> {
  const bucket = requestBucket(viewer, address, limits);
  return buckets.take(bucket.key, bucket.ratePerSecond, bucket.ratePerSecond * limits.burstSeconds);
}

/**
 * Admits graphql-ws connections: each opening costs its client IP one token of `perMinute` (a minute's worth at
 * once). Keyed by IP even for keys: the handshake comes before the key is read (it travels in connection_init).
 */
export function admitConnections(buckets: RateLimitStore, perMinute: number, addressOf: ClientAddressOf) {
  return async (req: AddressedRequest): Promise<TakeResult> => buckets.take(`ws-open:ip:${addressOf(req)}`, perMinute / 60, perMinute);
}

function tooManyRequests(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests; retry after ${retryAfterSeconds} s`, {
    extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds, http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } } },
  });
}

/** Whom a gateway context's operations are charged to, and at which cost rate. */
function costCallerOf(context: { viewer?: Viewer; request?: unknown; req?: AddressedRequest }, limits: RateLimits, addressOf: ClientAddressOf) {
  const viewer = context.viewer;
  return viewer && viewer.kind !== 'ANONYMOUS'
    ? { key: `key:${viewer.apiKeyId}`, costPerSecond: limits.keyCostPerSecond, paidOnArrival: 0 }
    : // An anonymous HTTP request already paid one unit of its cost when it arrived (onRequest).
      { key: `ip:${addressOf(context.req)}`, costPerSecond: limits.anonymousCostPerSecond, paidOnArrival: context.request ? 1 : 0 };
}

/**
 * Rate-limits GraphQL operations at the gateway, answering 429 TOO_MANY_REQUESTS with Retry-After. Two buckets per
 * caller: one counts requests, the other the operations' estimated cost (`useCostLimit`, which must run first), so
 * a caller sending the most expensive operation it is allowed, again and again, runs dry long before one sending
 * cheap ones: cost, not count, is what takes the database's time from everyone else. An anonymous HTTP
 * request is charged to its client IP as it arrives, before its body is read or parsed, so a hostile anonymous client
 * costs little once refused; an authenticated one to its API key (or session) once `useViewerAuth` has found it; an
 * anonymous graphql-ws operation to its IP. The buckets live in `buckets`: this process's memory, or a store shared
 * by every gateway replica (RATE_LIMIT_STORE, lib/rate-limit/store.ts).
 */
export function useRateLimit(
  limits: RateLimits,
  buckets: RateLimitStore = new TokenBuckets(),
  addressOf: ClientAddressOf = peerAddress,
): GatewayPlugin & { refused: RefusalCharge } {
  const take = async (key: string, ratePerSecond: number, amount = 1): Promise<TakeResult> =>
    buckets.take(key, ratePerSecond, ratePerSecond * limits.burstSeconds, Date.now(), amount);
  return {
    refused(context) {
      // An anonymous operation refused as too big, too deep or too expensive did no work, but writing it was the
      // point of a hostile client: it costs its IP one second of the anonymous cost rate, so such a client soon runs
      // dry and is then refused on arrival. A key's refusals are its owner's to explain, and are not charged.
      if (!context || context.request?.headers.has('authorization')) return;
      const rate = limits.anonymousCostPerSecond;
      // Not awaited: the refusal is answered at once. A shared store fails open by itself (lib/rate-limit/store.ts).
      void Promise.resolve(buckets.charge(`cost:ip:${addressOf(context.req)}`, rate, rate * limits.burstSeconds, rate)).catch(() => undefined);
    },
    async onRequest({ request, serverContext, endResponse }) {
      if (request.headers.has('authorization')) return;
      const key = `ip:${addressOf((serverContext as { req?: AddressedRequest }).req)}`;
      // Every request costs at least one unit: a caller whose cost bucket is empty is refused before its body is read.
      let taken = await take(key, limits.anonymousPerSecond);
      if (taken.allowed) taken = await take(`cost:${key}`, limits.anonymousCostPerSecond);
      if (taken.allowed) return;
      const body = JSON.stringify({ errors: [{ message: `Too many requests; retry after ${taken.retryAfterSeconds} s`, extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: taken.retryAfterSeconds } }] });
      endResponse(new Response(body, { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(taken.retryAfterSeconds) } }));
    },
    async onContextBuilding({ context }) {
      const { viewer, request, req } = context as { viewer?: Viewer; request?: Request; req?: AddressedRequest };
      // Anonymous over HTTP was charged in onRequest; over graphql-ws (no HTTP request per operation) it is charged here.
      if ((!viewer || viewer.kind === 'ANONYMOUS') && request) return;
      const taken = await takeRequest(buckets, limits, viewer, addressOf(req));
      if (!taken.allowed) throw tooManyRequests(taken.retryAfterSeconds);
    },
    async onExecute({ args }) {
      const estimated = estimatedCostOf(args.contextValue);
      if (estimated === undefined) return;
      // A page's query is the hub's own, fixed in code and bounded (a share lists at most 100 credentials): priced by
      // its estimate, a hiring manager opening a share page three times would run their whole office's IP dry.
      const cost = (args.contextValue as { pageOperation?: boolean }).pageOperation ? Math.min(estimated, PAGE_OPERATION_COST) : estimated;
      const caller = costCallerOf(args.contextValue as never, limits, addressOf);
      const owed = Math.max(cost - caller.paidOnArrival, 0);
      const taken = await take(`cost:${caller.key}`, caller.costPerSecond, owed);
      if (!taken.allowed) throw tooManyRequests(taken.retryAfterSeconds);
    },
  };
}
