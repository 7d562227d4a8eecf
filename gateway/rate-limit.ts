import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import type { Viewer } from '../lib/auth/viewer.js';

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** @default 100_000 // buckets kept before idle (full) ones are swept; bounds memory under a spray of client IPs */
const SWEEP_ABOVE_BUCKETS = 100_000;

/**
 * Token buckets in this process's memory: each bucket holds up to `capacity` tokens, refills at `ratePerSecond`,
 * and a request takes one. A bucket left alone until it is full again is the same as no bucket, so those are
 * swept when there are many.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  take(key: string, ratePerSecond: number, capacity: number, now = Date.now()): TakeResult {
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond)) };
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > SWEEP_ABOVE_BUCKETS) this.sweep(ratePerSecond, capacity, now);
    return { allowed: true };
  }

  private sweep(ratePerSecond: number, capacity: number, now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond >= capacity) this.buckets.delete(key);
    }
  }
}

export interface RateLimits {
  /** Sustained operations per second for one API key or session. */
  keyPerSecond: number;
  /** Sustained operations per second for anonymous callers from one IP address. */
  anonymousPerSecond: number;
  /** How many seconds of the sustained rate a caller may spend at once (the bucket's size). */
  burstSeconds: number;
}

/** The peer address behind a request or gateway context (HTTP or graphql-ws); the hub is its own edge, no proxy header is trusted. */
function clientAddress(context: { req?: { socket?: { remoteAddress?: string } } } | undefined): string {
  return context?.req?.socket?.remoteAddress ?? 'unknown';
}

function tooManyRequests(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests; retry after ${retryAfterSeconds} s`, {
    extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds, http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } } },
  });
}

/**
 * Rate-limits GraphQL operations at the gateway, answering 429 TOO_MANY_REQUESTS with Retry-After. An anonymous HTTP
 * request is charged to its client IP as it arrives, before its body is read or parsed, so a hostile anonymous client
 * costs little once refused; an authenticated one to its API key (or session) once `useViewerAuth` has found it; an
 * anonymous graphql-ws operation to its IP. The buckets live in this replica's memory (docs/decisions.md: with N
 * gateway replicas a caller gets up to N times the rate).
 */
export function useRateLimit(limits: RateLimits, buckets = new TokenBuckets()): GatewayPlugin {
  const take = (key: string, ratePerSecond: number) => buckets.take(key, ratePerSecond, ratePerSecond * limits.burstSeconds);
  return {
    onRequest({ request, serverContext, endResponse }) {
      if (request.headers.has('authorization')) return;
      const taken = take(`ip:${clientAddress(serverContext as never)}`, limits.anonymousPerSecond);
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
  };
}
