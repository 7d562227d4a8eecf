import { lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimitBuckets as buckets } from './tables.js';
import { retryAfterSeconds, type RateLimitStore, type TakeResult } from './token-buckets.js';

/** @default 60_000 // how often idle rows (buckets full again) are deleted; any replica may do it, it is idempotent */
const SWEEP_EVERY_MS = 60_000;

/**
 * Token buckets in PostgreSQL (`ratelimit.buckets`), shared by every replica on the database. Each take or charge is
 * one `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row lock it takes serialises concurrent takes of one bucket,
 * and the refill is computed in SQL from the row as it is then, so two replicas can never both spend the last token.
 */
export class PostgresBuckets implements RateLimitStore {
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly db: Db) {
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), SWEEP_EVERY_MS).unref();
  }

  async take(key: string, ratePerSecond: number, capacity: number, now = Date.now(), amount = 1): Promise<TakeResult> {
    const bucket = await this.spend(key, ratePerSecond, capacity, now, amount, false);
    return bucket.lastTakeAllowed ? { allowed: true } : { allowed: false, retryAfterSeconds: retryAfterSeconds(bucket.tokens, amount, ratePerSecond) };
  }

  async charge(key: string, ratePerSecond: number, capacity: number, amount: number, now = Date.now()): Promise<void> {
    await this.spend(key, ratePerSecond, capacity, now, amount, true);
  }

  /** Deletes the buckets that are full again by `now`: a missing row is a full bucket. */
  async sweep(now = Date.now()): Promise<void> {
    await this.db.delete(buckets).where(lte(buckets.fullAtMs, now));
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Refills the bucket for the time since it was last touched (never backwards: replicas' clocks differ a little),
   * then takes `amount` if it is there, or anyway when `forced` (down to `-capacity`). A new bucket starts full.
   */
  private async spend(key: string, ratePerSecond: number, capacity: number, now: number, amount: number, forced: boolean) {
    const firstAllowed = forced || capacity >= amount;
    const firstTokens = firstAllowed ? Math.max(-capacity, capacity - amount) : capacity;
    const rate = sql`${ratePerSecond}::float8`;
    const cap = sql`${capacity}::float8`;
    const need = sql`${amount}::float8`;
    const refilled = sql`least(${cap}, ${buckets.tokens} + greatest(0, ${now}::bigint - ${buckets.updatedAtMs}) * ${rate} / 1000)`;
    const allowed = sql`(${forced}::boolean or ${refilled} >= ${need})`;
    const tokens = sql`case when ${allowed} then greatest(-${cap}, ${refilled} - ${need}) else ${refilled} end`;
    const updatedAt = sql`greatest(${buckets.updatedAtMs}, ${now}::bigint)`;
    const [row] = await this.db
      .insert(buckets)
      .values({
        key,
        tokens: firstTokens,
        updatedAtMs: now,
        fullAtMs: now + Math.ceil(((capacity - firstTokens) / ratePerSecond) * 1000),
        lastTakeAllowed: firstAllowed,
      })
      .onConflictDoUpdate({
        target: buckets.key,
        // Every expression reads the row as it was before this statement.
        set: {
          tokens,
          lastTakeAllowed: allowed,
          updatedAtMs: updatedAt,
          fullAtMs: sql`${updatedAt} + ceil((${cap} - (${tokens})) * 1000 / ${rate})::bigint`,
        },
      })
      .returning({ tokens: buckets.tokens, lastTakeAllowed: buckets.lastTakeAllowed });
    return row!;
  }
}
