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

  /** Takes `amount` tokens (one request, or an operation's estimated cost) if the bucket holds them. */
  take(key: string, ratePerSecond: number, capacity: number, now = Date.now(), amount = 1): TakeResult {
    const bucket = this.refilled(key, ratePerSecond, capacity, now);
    if (bucket.tokens < amount) {
      this.buckets.set(key, bucket);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((amount - bucket.tokens) / ratePerSecond)) };
    }
    bucket.tokens -= amount;
    this.buckets.set(key, bucket);
    if (this.buckets.size > SWEEP_ABOVE_BUCKETS) this.sweep(ratePerSecond, capacity, now);
    return { allowed: true };
  }

  /** Takes `amount` tokens whether or not the bucket holds them (down to one empty bucket's worth of debt). */
  charge(key: string, ratePerSecond: number, capacity: number, amount: number, now = Date.now()): void {
    const bucket = this.refilled(key, ratePerSecond, capacity, now);
    bucket.tokens = Math.max(-capacity, bucket.tokens - amount);
    this.buckets.set(key, bucket);
  }

  private refilled(key: string, ratePerSecond: number, capacity: number, now: number) {
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = now;
    return bucket;
  }

  private sweep(ratePerSecond: number, capacity: number, now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond >= capacity) this.buckets.delete(key);
    }
  }
}
