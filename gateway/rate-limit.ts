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

/** The peer address of the request behind a gateway context (HTTP or graphql-ws); the hub's own edge, no proxy header is trusted. */
function clientAddress(context: { req?: { socket?: { remoteAddress?: string } } }): string {
  return context.req?.socket?.remoteAddress ?? 'unknown';
}

/**
 * Rate-limits GraphQL operations at the gateway: per API key (or session) for authenticated callers, per client IP
 * for anonymous ones, answering 429 TOO_MANY_REQUESTS with Retry-After. Runs after `useViewerAuth`, whose viewer it
 * reads. The buckets live in this replica's memory (docs/decisions.md: with N gateway replicas a caller gets up to
 * N times the rate).
 */
export function useRateLimit(limits: RateLimits, buckets = new TokenBuckets()): GatewayPlugin {
  return {
    onContextBuilding({ context }) {
      const viewer = (context as { viewer?: Viewer }).viewer ?? { kind: 'ANONYMOUS' };
      const [key, rate] =
        viewer.kind === 'ANONYMOUS' ? [`ip:${clientAddress(context as never)}`, limits.anonymousPerSecond] : [`key:${viewer.apiKeyId}`, limits.keyPerSecond];
      const taken = buckets.take(key, rate, rate * limits.burstSeconds);
      if (!taken.allowed) {
        throw new GraphQLError(`Too many requests; retry after ${taken.retryAfterSeconds} s`, {
          extensions: {
            code: 'TOO_MANY_REQUESTS',
            retryAfterSeconds: taken.retryAfterSeconds,
            http: { status: 429, headers: { 'retry-after': String(taken.retryAfterSeconds) } },
          },
        });
      }
    },
  };
}
