import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Database, Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { authenticateApiKey, readKeyRow } from './api-keys.js';
import { keyCacheAcks, keyCacheLeases, type ApiKeyRow } from './tables.js';
import type { Viewer } from './viewer.js';

/** Where the trigger of migration key_cache_invalidation announces `<transaction id>:<lookup id>` of a changed key. */
export const API_KEY_CHANGES_CHANNEL = 'cairn_api_key_changes';
const HEARTBEAT = 'heartbeat:';

/** @default 5_000 // ms a lease lasts by the database's clock: the longest a dead replica can hold up a revocation */
export const KEY_CACHE_LEASE_MS = 5_000;

export interface ApiKeyCacheOptions {
  /** @default KEY_CACHE_LEASE_MS */
  leaseMs?: number;
  /** @default 1_000 // ms between renewals (and heartbeats through the LISTEN connection) */
  renewEveryMs?: number;
  /** @default 1_000 // ms the replica stops serving from memory before its lease runs out, for clock drift and pauses */
  marginMs?: number;
  /** @default 10_000 // keys remembered; the least recently used goes first */
  maxKeys?: number;
  log?: Logger;
}

/** How many past leases of this replica it still acknowledges for (they were given up with the cache cleared). */
const LEASES_ACKNOWLEDGED = 4;
/** @default 30 // renewals between removals of long-expired leases and old acknowledgements */
const CLEAN_UP_EVERY = 30;

/**
 * The gateway's key check without a database read per request, keeping "a revoked key is refused on the very next
 * request, on every replica" (docs/decisions.md, "API key cache"):
 * - the replica answers from memory only while it holds a lease (`auth.key_cache_leases`) unexpired by its own clock,
 *   with a margin; otherwise it reads the key's row as before;
 * - a trigger on `auth.api_keys` owes each unexpired lease an acknowledgement of every change and NOTIFYs it at
 *   commit; this replica forgets the key, then acknowledges; the changing service answers after every lease has
 *   acknowledged or expired (`keyChangesAcknowledged`), and a lease that owes one cannot be renewed;
 * - a heartbeat through the LISTEN connection must come back for the replica to renew: one that stops hearing its own
 *   stops answering from memory at once, and starts again with an empty cache under a new lease once it hears.
 * Unknown keys are never remembered (guessing costs a read as before), and the secret is compared on every request.
 */
export async function createApiKeyCache(database: Database, options: ApiKeyCacheOptions = {}) {
  const leaseMs = options.leaseMs ?? KEY_CACHE_LEASE_MS;
  const renewEveryMs = options.renewEveryMs ?? 1_000;
  const marginMs = options.marginMs ?? 1_000;
  const { db } = database;
  const rows = new LRUCache<string, ApiKeyRow>({ max: options.maxKeys ?? 10_000 });
  const replicaId = randomUUID();
  /** Bumped by every forgetting: a read that began before it must not remember what it read. */
  let generation = 0;
  /** `performance.now()` until which memory may answer; 0 while this replica holds no lease it can trust. */
  let servingUntil = 0;
  let lease: string | null = null;
  const leases: string[] = [];
  let heartbeatsSent = 0;
  let heartbeatsHeard = 0;
  let renewals = 0;

  function stopServing() {
    generation += 1;
    rows.clear();
    servingUntil = 0;
    lease = null;
  }

  function onNotification(payload: string) {
    if (payload.startsWith(HEARTBEAT)) {
      const [replica, count] = payload.slice(HEARTBEAT.length).split(':');
      if (replica === replicaId) heartbeatsHeard = Math.max(heartbeatsHeard, Number(count));
      return;
    }
    const separator = payload.indexOf(':');
    const xactId = BigInt(payload.slice(0, separator));
    const lookupId = payload.slice(separator + 1);
    generation += 1;
    rows.delete(lookupId);
    if (leases.length === 0) return;
    // A lost acknowledgement only delays the revoking service until the lease expires, and keeps the lease from renewing.
    db.update(keyCacheAcks)
      .set({ acknowledgedAt: sql`now()` })
      .where(and(eq(keyCacheAcks.xactId, xactId), eq(keyCacheAcks.lookupId, lookupId), inArray(keyCacheAcks.leaseId, [...leases]), isNull(keyCacheAcks.acknowledgedAt)))
      .catch((error: unknown) => options.log?.warn({ err: error }, 'API key change not acknowledged'));
  }

  async function takeLease() {
    const id = randomUUID();
    // Known before the row commits: a change announced right after must be acknowledged for it.
    leases.unshift(id);
    leases.length = Math.min(leases.length, LEASES_ACKNOWLEDGED);
    const askedAt = performance.now();
    await db.insert(keyCacheLeases).values({ id, expiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'` });
    // Whatever was read before the lease existed may predate a change that did not ask this lease to acknowledge.
    generation += 1;
    rows.clear();
    lease = id;
    servingUntil = askedAt + leaseMs - marginMs;
  }

  async function renewLease(id: string): Promise<boolean> {
    const askedAt = performance.now();
    const renewed = await db
      .update(keyCacheLeases)
      .set({ expiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'` })
      .where(
        and(
          eq(keyCacheLeases.id, id),
          gt(keyCacheLeases.expiresAt, sql`now()`),
          sql`not exists (select 1 from ${keyCacheAcks} where ${keyCacheAcks.leaseId} = ${id} and ${keyCacheAcks.acknowledgedAt} is null)`,
        ),
      )
      .returning({ id: keyCacheLeases.id });
    if (renewed.length === 0 || lease !== id) return false;
    servingUntil = askedAt + leaseMs - marginMs;
    return true;
  }

  async function cleanUp() {
    await db.delete(keyCacheLeases).where(lt(keyCacheLeases.expiresAt, sql`now() - interval '1 minute'`));
    await db.delete(keyCacheAcks).where(lt(keyCacheAcks.acknowledgedAt, sql`now() - interval '1 minute'`));
  }

  async function renew() {
    if (heartbeatsHeard < heartbeatsSent - 1) {
      // The LISTEN connection has delivered neither of our own last two heartbeats (one may just be late on a busy
      // event loop): changes may not be reaching us either. Safety does not rest on this, but on the lease.
      if (servingUntil > 0) options.log?.warn('API key cache: the change feed is silent; keys are read from the database');
      stopServing();
    } else if (lease === null || !(await renewLease(lease))) {
      stopServing();
      await takeLease();
    }
    heartbeatsSent += 1;
    await db.execute(sql`select pg_notify(${API_KEY_CHANGES_CHANNEL}, ${`${HEARTBEAT}${replicaId}:${heartbeatsSent}`})`);
    renewals += 1;
    if (renewals % CLEAN_UP_EVERY === 0) await cleanUp();
  }

  // A (re)established LISTEN connection may have missed changes while it was down.
  const unlisten = await database.listen(API_KEY_CHANGES_CHANNEL, onNotification, stopServing);
  let renewing: Promise<void> = renew().catch((error: unknown) => options.log?.warn({ err: error }, 'API key cache lease not taken'));
  await renewing;
  const timer = setInterval(() => {
    renewing = renewing.then(() =>
      renew().catch((error: unknown) => {
        stopServing();
        options.log?.warn({ err: error }, 'API key cache lease not renewed; keys are read from the database');
      }),
    );
  }, renewEveryMs);
  timer.unref();

  async function rowOf(lookupId: string): Promise<ApiKeyRow | null> {
    if (performance.now() < servingUntil) {
      const remembered = rows.get(lookupId);
      if (remembered) return remembered;
    }
    const readAt = generation;
    const row = await readKeyRow(db, lookupId);
    if (row && readAt === generation && performance.now() < servingUntil) rows.set(lookupId, row);
    return row;
  }

  return {
    authenticate: (token: string): Promise<Viewer | null> => authenticateApiKey(db, token, rowOf),
    /** Whether memory may answer now (for tests and diagnostics). */
    serving: () => performance.now() < servingUntil,
    async close() {
      clearInterval(timer);
      await renewing;
      stopServing();
      await unlisten();
      if (leases.length > 0) await db.delete(keyCacheLeases).where(inArray(keyCacheLeases.id, leases)).catch(() => undefined);
    },
  };
}

export type ApiKeyCache = Awaited<ReturnType<typeof createApiKeyCache>>;

export interface AcknowledgementWait {
  /** @default 3 × KEY_CACHE_LEASE_MS // a renewal racing the change can stretch one lease once; beyond that, answer */
  maxWaitMs?: number;
}

/**
 * Called by every service that changes what a key may do, after its transaction commits and before it answers: waits
 * until every gateway replica with an unexpired lease has forgotten the changed keys (acknowledged), or its lease has
 * run out. A replica that did neither cannot be answering from memory any more. Waits for changes made by others at
 * the same moment too: there are few, and each is bounded by one lease.
 */
export async function keyChangesAcknowledged(db: Db, wait: AcknowledgementWait = {}): Promise<void> {
  const deadline = performance.now() + (wait.maxWaitMs ?? 3 * KEY_CACHE_LEASE_MS);
  for (let pauseMs = 2; ; pauseMs = Math.min(pauseMs * 2, 50)) {
    const owed = await db
      .select({ leaseId: keyCacheAcks.leaseId })
      .from(keyCacheAcks)
      .innerJoin(keyCacheLeases, eq(keyCacheLeases.id, keyCacheAcks.leaseId))
      .where(and(isNull(keyCacheAcks.acknowledgedAt), gt(keyCacheLeases.expiresAt, sql`now()`)))
      .limit(1);
    if (owed.length === 0 || performance.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
