import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import type { Viewer } from '../lib/auth/viewer.js';
import { TokenBuckets, type TakeResult } from '../lib/rate-limit/token-buckets.js';
import { clientAddress } from './client-address.js';
import { estimatedCostOf } from './cost.js';

/** Called by a limit that refused an operation outright, with the request's context (`request`, and `req` on Node). */
export type RefusalCharge = (context: { request?: Request; req?: { socket?: { remoteAddress?: string } } } | undefined) => void;

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

function tooManyRequests(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests; retry after ${retryAfterSeconds} s`, {
    extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds, http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } } },
  });
}

/** Whom a gateway context's operations are charged to, and at which cost rate. */
function costCallerOf(context: { viewer?: Viewer; request?: unknown }, limits: RateLimits) {
  const viewer = context.viewer;
  return viewer && viewer.kind !== 'ANONYMOUS'
    ? { key: `key:${viewer.apiKeyId}`, costPerSecond: limits.keyCostPerSecond, paidOnArrival: 0 }
    : // An anonymous HTTP request already paid one unit of its cost when it arrived (onRequest).
      { key: `ip:${clientAddress(context as never)}`, costPerSecond: limits.anonymousCostPerSecond, paidOnArrival: context.request ? 1 : 0 };
}

/**
 * Rate-limits GraphQL operations at the gateway, answering 429 TOO_MANY_REQUESTS with Retry-After. Two buckets per
 * caller: one counts requests, the other the operations' estimated cost (`useCostLimit`, which must run first), so
 * a caller sending the most expensive operation it is allowed, again and again, runs dry long before one sending
 * cheap ones: cost, not count, is what takes the database's time from everyone else. An anonymous HTTP
 * request is charged to its client IP as it arrives, before its body is read or parsed, so a hostile anonymous client
 * costs little once refused; an authenticated one to its API key (or session) once `useViewerAuth` has found it; an
 * anonymous graphql-ws operation to its IP. The buckets live in this replica's memory (docs/decisions.md: with N
 * gateway replicas a caller gets up to N times the rate).
 */
export function useRateLimit(limits: RateLimits, buckets = new TokenBuckets()): GatewayPlugin & { refused: RefusalCharge } {
  const take = (key: string, ratePerSecond: number) => buckets.take(key, ratePerSecond, ratePerSecond * limits.burstSeconds);
  return {
    refused(context) {
      // An anonymous operation refused as too big, too deep or too expensive did no work, but writing it was the
      // point of a hostile client: it costs its IP one second of the anonymous cost rate, so such a client soon runs
      // dry and is then refused on arrival. A key's refusals are its owner's to explain, and are not charged.
      if (!context || context.request?.headers.has('authorization')) return;
      const rate = limits.anonymousCostPerSecond;
      buckets.charge(`cost:ip:${clientAddress(context)}`, rate, rate * limits.burstSeconds, rate);
    },
    onRequest({ request, serverContext, endResponse }) {
      if (request.headers.has('authorization')) return;
      const key = `ip:${clientAddress(serverContext as never)}`;
      // Every request costs at least one unit: a caller whose cost bucket is empty is refused before its body is read.
      let taken = take(key, limits.anonymousPerSecond);
      if (taken.allowed) taken = buckets.take(`cost:${key}`, limits.anonymousCostPerSecond, limits.anonymousCostPerSecond * limits.burstSeconds);
      if (taken.allowed) return;
      const body = JSON.stringify({ errors: [{ message: `Too many requests; retry after ${taken.retryAfterSeconds} s`, extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: taken.retryAfterSeconds } }] });
      endResponse(new Response(body, { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(taken.retryAfterSeconds) } }));
    },
    onContextBuilding({ context }) {
      const { viewer, connectionParams } = context as { viewer?: Viewer; connectionParams?: unknown };
      let taken: TakeResult;
      if (viewer && viewer.kind !== 'ANONYMOUS') taken = take(`key:${viewer.apiKeyId}`, limits.keyPerSecond);
      else if (connectionParams) taken = take(`ip:${clientAddress(context as never)}`, limits.anonymousPerSecond);
      else return; // anonymous over HTTP: charged in onRequest
      if (!taken.allowed) throw tooManyRequests(taken.retryAfterSeconds);
    },
    onExecute({ args }) {
      const cost = estimatedCostOf(args.contextValue);
      if (cost === undefined) return;
      const caller = costCallerOf(args.contextValue as { viewer?: Viewer; request?: unknown }, limits);
      const owed = Math.max(cost - caller.paidOnArrival, 0);
      const taken = buckets.take(`cost:${caller.key}`, caller.costPerSecond, caller.costPerSecond * limits.burstSeconds, Date.now(), owed);
      if (!taken.allowed) throw tooManyRequests(taken.retryAfterSeconds);
    },
  };
}
