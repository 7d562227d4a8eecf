import { describe, expect, test } from 'vitest';
import { TokenBuckets } from './token-buckets.js';

describe('TokenBuckets', () => {
  test('a bucket spends its burst, then refills at its rate, and says how long to wait', () => {
    const buckets = new TokenBuckets();
    const now = 1_000_000;
    for (let i = 0; i < 4; i += 1) expect(buckets.take('a', 2, 4, now)).toEqual({ allowed: true });
    expect(buckets.take('a', 2, 4, now)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('b', 2, 4, now)).toEqual({ allowed: true });
    expect(buckets.take('a', 2, 4, now + 500)).toEqual({ allowed: true });
    expect(buckets.take('a', 2, 4, now + 500)).toMatchObject({ allowed: false });
  });

  test('a charge may leave a bucket in debt, which refills before anything is allowed again', () => {
    const buckets = new TokenBuckets();
    buckets.charge('a', 1, 2, 5, 0);
    expect(buckets.take('a', 1, 2, 0)).toEqual({ allowed: false, retryAfterSeconds: 3 });
    expect(buckets.take('a', 1, 2, 3_000)).toEqual({ allowed: true });
  });

  test('a slow refill rate asks for a longer wait', () => {
    const buckets = new TokenBuckets();
    buckets.take('a', 0.1, 1, 0);
    expect(buckets.take('a', 0.1, 1, 0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});
