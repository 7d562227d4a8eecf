import { TokenBuckets, type TakeResult } from './token-buckets.js';

/** A sustained rate and how many seconds of it may be spent at once (the bucket's size). */
export interface Rate {
  perSecond: number;
  burstSeconds: number;
}

/**
 * The one call a limit makes: take a token from the bucket `key` at `rate`. Where the buckets live is the
 * implementation's business: this process's memory for now, a store the replicas share later (docs/decisions.md).
 */
export interface RateLimiter {
  take(key: string, rate: Rate): Promise<TakeResult>;
}

/** Token buckets in this process's memory, one set per rate (their idle sweep assumes one rate for all they hold). */
export function inMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const bucketsByRate = new Map<string, TokenBuckets>();
  return {
    async take(key, rate) {
      const rateKey = `${rate.perSecond}/${rate.burstSeconds}`;
      let buckets = bucketsByRate.get(rateKey);
      if (!buckets) bucketsByRate.set(rateKey, (buckets = new TokenBuckets()));
      return buckets.take(key, rate.perSecond, rate.perSecond * rate.burstSeconds, now());
    },
  };
}
