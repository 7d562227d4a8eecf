import type { Redis } from 'ioredis';
import { retryAfterSeconds, type RateLimitStore, type TakeResult } from './token-buckets.js';

/**
 * The token bucket as one Lua script, which Redis runs atomically: refill since the bucket was last touched (never
 * backwards), take `amount` if it is there (or anyway, down to -capacity, when forced), and let the key expire when
 * the bucket would be full again, since a missing key is a full bucket. Numbers travel as strings: Redis truncates a
 * Lua number it returns to an integer.
 */
const TAKE_SCRIPT = `
local rate, capacity, now, amount = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local forced = ARGV[5] == '1'
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens, updated = tonumber(bucket[1]) or capacity, tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - updated) * rate / 1000)
updated = math.max(updated, now)
local allowed = forced or tokens >= amount
if allowed then tokens = math.max(-capacity, tokens - amount) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(updated))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1)
return { allowed and 1 or 0, tostring(tokens) }
`;

type TakeCommand = (key: string, rate: number, capacity: number, now: number, amount: number, forced: '0' | '1') => Promise<[number, string]>;

/**
 * Token buckets in Redis (RATE_LIMIT_STORE=redis), shared by every replica using it. The script is registered with
 * ioredis's `defineCommand`, which sends EVALSHA and loads the script only when Redis does not know it yet.
 */
export class RedisBuckets implements RateLimitStore {
  private readonly takeTokens: TakeCommand;

  constructor(
    redis: Redis,
    private readonly prefix = 'cairn:ratelimit:',
  ) {
    redis.defineCommand('cairnTakeTokens', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.takeTokens = (redis as unknown as { cairnTakeTokens: TakeCommand }).cairnTakeTokens.bind(redis);
  }

  async take(key: string, ratePerSecond: number, capacity: number, now = Date.now(), amount = 1): Promise<TakeResult> {
    const [allowed, tokens] = await this.takeTokens(this.prefix + key, ratePerSecond, capacity, now, amount, '0');
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterSeconds: retryAfterSeconds(Number(tokens), amount, ratePerSecond) };
  }

  async charge(key: string, ratePerSecond: number, capacity: number, amount: number, now = Date.now()): Promise<void> {
    await this.takeTokens(this.prefix + key, ratePerSecond, capacity, now, amount, '1');
  }
}
