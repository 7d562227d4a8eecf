import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { EVENTS_CHANNEL } from './types.js';

/** Any constant works; it must be the same in every process that sequences the log. */
const SEQUENCER_LOCK_KEY = 0x0ca1_e7e0;

/** @default 5_000 // rows numbered per sequencer transaction; a longer backlog takes several */
const SEQUENCE_BATCH = 5_000;

/**
 * Numbers every committed event that has no cursor yet, in insertion order, and wakes the readers. Returns the last
 * cursor handed out, or null when nothing was waiting.
 *
 * Why this makes cursor order commit order without a lock on the writers: a row is visible here only once its
 * transaction committed, and sequencer runs take turns (a transaction-scoped advisory lock, then a fresh statement,
 * so each run sees everything the previous one numbered). If X committed before Y's transaction began, Y's row was
 * inserted later (higher `seq`), so any run that sees Y sees X too and numbers X first (or X was numbered earlier).
 * A reader that has seen cursor N has therefore seen every event that will ever have a cursor below N.
 */
export async function sequenceCommittedEvents(db: Db): Promise<number | null> {
  let last: number | null = null;
  for (;;) {
    // Cheap and lock-free when every process wakes for the same append: only the first finds work.
    if (!(await hasUnsequencedEvents(db))) return last;
    const numbered = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK_KEY})`);
      const rows = await tx.execute(sql`
        with pending as (
          select seq, row_number() over (order by seq) as position
          from events.events where cursor is null order by seq limit ${SEQUENCE_BATCH}
        ), counted as (
          select count(*)::bigint as n from pending
        ), advanced as (
          update events.log_sequence set last_cursor = last_cursor + (select n from counted)
          where log = 'events' returning last_cursor
        ), numbered as (
          update events.events e set cursor = (select last_cursor from advanced) - (select n from counted) + pending.position
          from pending where e.seq = pending.seq returning e.cursor
        )
        select (select last_cursor from advanced) as last_cursor, (select count(*) from numbered) as numbered,
          (select string_agg(distinct type, ',') from events.events where seq in (select seq from pending)) as types`);
      const [row] = rowsOf<{ last_cursor: string | number; numbered: string | number; types: string | null }>(rows);
      const count = Number(row?.numbered ?? 0);
      if (count === 0) return { count, lastCursor: null };
      const lastCursor = Number(row!.last_cursor);
      // Delivered to listeners only when this transaction commits, i.e. once the numbers are visible. The types let a
      // process wake only the consumers that care (NOTIFY payloads stop at 8000 bytes; type names are few and short).
      await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${sequencedNotice(lastCursor, row!.types)})`);
      return { count, lastCursor };
    });
    if (numbered.lastCursor !== null) last = numbered.lastCursor;
    if (numbered.count < SEQUENCE_BATCH) return last;
  }
}

/** The EVENTS_CHANNEL payload: "<newest cursor> <type>,<type>…"; a bare or empty payload means "any type". */
function sequencedNotice(through: number, types: string | null): string {
  return types ? `${through} ${types}` : String(through);
}

export function parseSequencedNotice(payload: string): { through: number | null; types: ReadonlySet<string> | null } {
  const [cursor, types] = payload.split(' ');
  const through = Number(cursor);
  return { through: Number.isSafeInteger(through) && through > 0 ? through : null, types: types ? new Set(types.split(',')) : null };
}

async function hasUnsequencedEvents(db: Db): Promise<boolean> {
  const rows = await db.execute(sql`select exists (select 1 from events.events where cursor is null) as waiting`);
  return rowsOf<{ waiting: boolean }>(rows)[0]?.waiting === true;
}

/**
 * Runs the sequencer for one process: callers ask for a run after they learn of an append (a NOTIFY, a poll) or
 * before they must see everything committed so far (a catch-up). A caller arriving while a run is under way gets
 * the next run, because the current one may have looked before the caller's commit; a burst of callers shares it.
 */
export class ProcessSequencer {
  private running: Promise<unknown> = Promise.resolve();
  private queued: Promise<number | null> | null = null;

  constructor(private readonly db: Db) {}

  /** Resolves once every event committed before the call has a cursor (and readers were woken). */
  sequence(): Promise<number | null> {
    if (this.queued) return this.queued;
    const start = () => {
      this.queued = null;
      return sequenceCommittedEvents(this.db);
    };
    const next = this.running.then(start, start);
    this.queued = next;
    this.running = next.catch(() => {});
    return next;
  }
}
