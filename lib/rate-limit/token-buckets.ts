export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Where token buckets live: this process's memory (`TokenBuckets`), PostgreSQL (`PostgresBuckets`) or Redis
 * (`RedisBuckets`), all with the same arithmetic. Each bucket holds up to `capacity` tokens and refills at
 * `ratePerSecond`; a bucket never seen before is full. `now` is in milliseconds since the epoch. The memory store
 * answers at once, the shared ones asynchronously: callers await either.
 */
export interface RateLimitStore {
  /** Takes `amount` tokens (one request, or an operation's estimated cost) if the bucket holds them. */
  take(key: string, ratePerSecond: number, capacity: number, now?: number, amount?: number): TakeResult | Promise<TakeResult>;
  /** Takes `amount` tokens whether or not the bucket holds them (down to one empty bucket's worth of debt). */
  charge(key: string, ratePerSecond: number, capacity: number, amount: number, now?: number): void | Promise<void>;
}

/** How long to wait for `amount` tokens when the bucket, just refilled, holds `tokens`. At least a second: `Retry-After` counts whole seconds. */
export function retryAfterSeconds(tokens: number, amount: number, ratePerSecond: number): number {
  return Math.max(1, Math.ceil((amount - tokens) / ratePerSecond));
}

/** @default 100_000 // buckets kept before idle (full) ones are swept; bounds memory under a spray of client IPs */
const SWEEP_ABOVE_BUCKETS = 100_000;

/**
 * Token buckets in this process's memory. A bucket left alone until it is full again is the same as no bucket, so
 * those are swept when there are many; each bucket remembers when it will be full, since buckets of different
 * limits (requests, cost, sign-in codes) share the map.
 */
export class TokenBuckets implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number; fullAt: number }>();

  take(key: string, ratePerSecond: number, capacity: number, now = Date.now(), amount = 1): TakeResult {
    const bucket = this.refilled(key, ratePerSecond, capacity, now);
    const allowed = bucket.tokens >= amount;
    if (allowed) bucket.tokens -= amount;
    this.store(key, bucket, ratePerSecond, capacity);
    if (!allowed) return { allowed: false, retryAfterSeconds: retryAfterSeconds(bucket.tokens, amount, ratePerSecond) };
    if (this.buckets.size > SWEEP_ABOVE_BUCKETS) this.sweep(now);
    return { allowed: true };
  }

  charge(key: string, ratePerSecond: number, capacity: number, amount: number, now = Date.now()): void {
    const bucket = this.refilled(key, ratePerSecond, capacity, now);
    bucket.tokens = Math.max(-capacity, bucket.tokens - amount);
    this.store(key, bucket, ratePerSecond, capacity);
  }

  /** Forgets every bucket that is full again by `now`. */
  sweep(now = Date.now()): void {
    for (const [key, bucket] of this.buckets) if (bucket.fullAt <= now) this.buckets.delete(key);
  }

  private refilled(key: string, ratePerSecond: number, capacity: number, now: number) {
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now, fullAt: now };
    // Never backwards: a caller passing an older `now` (another replica's clock, a slow request) refills nothing.
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = Math.max(bucket.updatedAt, now);
    return bucket;
  }

  private store(key: string, bucket: { tokens: number; updatedAt: number; fullAt: number }, ratePerSecond: number, capacity: number): void {
    bucket.fullAt = bucket.updatedAt + ((capacity - bucket.tokens) / ratePerSecond) * 1000;
    this.buckets.set(key, bucket);
  }
}
