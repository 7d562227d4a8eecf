import type { RateLimitStoreConfig } from '../config/env.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import { PostgresBuckets } from './postgres-buckets.js';
import { TokenBuckets, type RateLimitStore, type TakeResult } from './token-buckets.js';

/** @default 250 // longest wait for the shared store before a request is decided by this process's own buckets */
const SHARED_STORE_DEADLINE_MS = 250;
/** @default 2_000 // how long start-up waits for Redis before going on (failing open) without it */
const REDIS_CONNECT_WAIT_MS = 2_000;
/** @default 5_000 // after the shared store failed, how long this process decides alone before asking it again */
const SHARED_STORE_RETRY_MS = 5_000;

/**
 * A shared store that fails open: when it errs or does not answer within the deadline, the request is decided by
 * this process's own buckets (as if RATE_LIMIT_STORE were `memory`) and a warning is logged once per outage. Refusing
 * everything while Redis or the table is out of reach would turn a limiter's outage into the hub's; the local buckets
 * still bound each replica, so the worst case is the old one, N replicas allowing N times a rate. After a failure the
 * shared store is left alone for a few seconds, so an outage costs requests no deadline each.
 */
export class FailOpenBuckets implements RateLimitStore {
  private readonly local = new TokenBuckets();
  private sharedDownUntil = 0;

  private readonly deadlineMs: number;
  private readonly retryPauseMs: number;

  constructor(
    private readonly shared: RateLimitStore,
    private readonly log: Logger,
    timing: { deadlineMs?: number; retryPauseMs?: number } = {},
  ) {
    this.deadlineMs = timing.deadlineMs ?? SHARED_STORE_DEADLINE_MS;
    this.retryPauseMs = timing.retryPauseMs ?? SHARED_STORE_RETRY_MS;
  }

  take(key: string, ratePerSecond: number, capacity: number, now = Date.now(), amount = 1): Promise<TakeResult> | TakeResult {
    if (Date.now() < this.sharedDownUntil) return this.local.take(key, ratePerSecond, capacity, now, amount);
    return this.withDeadline(this.shared.take(key, ratePerSecond, capacity, now, amount)).then(
      (taken) => this.recovered(taken),
      (error: unknown) => this.failed(error, () => this.local.take(key, ratePerSecond, capacity, now, amount)),
    );
  }

  charge(key: string, ratePerSecond: number, capacity: number, amount: number, now = Date.now()): Promise<void> | void {
    if (Date.now() < this.sharedDownUntil) return this.local.charge(key, ratePerSecond, capacity, amount, now);
    return this.withDeadline(this.shared.charge(key, ratePerSecond, capacity, amount, now)).then(
      () => this.recovered(undefined),
      (error: unknown) => this.failed(error, () => this.local.charge(key, ratePerSecond, capacity, amount, now)),
    );
  }

  private withDeadline<T>(answer: T | Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the rate-limit store did not answer within ${this.deadlineMs} ms`)), this.deadlineMs);
    });
    return Promise.race([Promise.resolve(answer), deadline]).finally(() => clearTimeout(timer));
  }

  private recovered<T>(value: T): T {
    if (this.sharedDownUntil !== 0) {
      this.sharedDownUntil = 0;
      this.log.info('the shared rate-limit store answers again; limits are shared across replicas again');
    }
    return value;
  }

  private failed<T>(error: unknown, decideLocally: () => T): T {
    if (this.sharedDownUntil === 0) {
      this.log.warn({ err: error }, 'the shared rate-limit store is out of reach; each replica limits on its own until it answers');
    }
    this.sharedDownUntil = Date.now() + this.retryPauseMs;
    return decideLocally();
  }
}

export interface ClosableRateLimitStore extends RateLimitStore {
  close(): Promise<void>;
}

/**
 * The store RATE_LIMIT_STORE selects: `memory` (this process only: right for one process, N× the rate with N
 * replicas), `postgres` (the hub's database, `ratelimit.buckets`) or `redis` (REDIS_URL). The shared ones fail open
 * to this process's buckets. ioredis is loaded only when Redis is chosen.
 */
export async function createRateLimitStore(config: RateLimitStoreConfig, database: Database, log: Logger): Promise<ClosableRateLimitStore> {
  const storeLog = log.child({ module: 'rate-limit-store', store: config.kind });
  if (config.kind === 'memory') return Object.assign(new TokenBuckets(), { close: async () => {} });
  if (config.kind === 'postgres') {
    const buckets = new PostgresBuckets(database.db);
    return Object.assign(new FailOpenBuckets(buckets, storeLog, { deadlineMs: config.deadlineMs }), { close: async () => buckets.close() });
  }
  const [{ Redis }, { RedisBuckets }] = await Promise.all([import('ioredis'), import('./redis-buckets.js')]);
  const redis = new Redis(config.url, {
    // A command while disconnected fails at once (and the request is decided locally) instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
  });
  redis.on('error', () => {
    // Reported through the failing commands (FailOpenBuckets logs once per outage); ioredis reconnects by itself.
  });
  await new Promise<void>((resolve) => {
    // Without an offline queue, requests arriving before the connection is up would be decided locally: wait a moment.
    const timer = setTimeout(resolve, REDIS_CONNECT_WAIT_MS).unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return Object.assign(new FailOpenBuckets(new RedisBuckets(redis), storeLog, { deadlineMs: config.deadlineMs }), {
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}
