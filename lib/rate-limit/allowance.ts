import { AppError } from '../errors.js';
import type { RateLimitStore } from './token-buckets.js';

/** `count` actions per `periodSeconds`, all of them at once when saved up: a token bucket's size and refill. */
export interface Allowance {
  count: number;
  periodSeconds: number;
}

export const perHour = (count: number): Allowance => ({ count, periodSeconds: 3_600 });
export const perMinute = (count: number): Allowance => ({ count, periodSeconds: 60 });

/**
 * Spends one action of `key`'s allowance, or throws TOO_MANY_REQUESTS with `retryAfterSeconds` (GraphQL extensions;
 * 429 with Retry-After on REST). `what` names the action in the message.
 */
export async function spendAllowance(store: RateLimitStore, key: string, allowance: Allowance, what: string): Promise<void> {
  const taken = await store.take(key, allowance.count / allowance.periodSeconds, allowance.count);
  if (taken.allowed) return;
  throw new AppError('TOO_MANY_REQUESTS', `Too many ${what}; retry after ${taken.retryAfterSeconds} s`, { retryAfterSeconds: taken.retryAfterSeconds });
}
