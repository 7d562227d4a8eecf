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
    // One round trip (drizzle/0033_events_sequencer_one_round_trip.sql): cheap and lock-free when nothing waits, as
    // when every process wakes for the same append and only the first finds work.
    const rows = await db.execute(sql`select * from events.sequence_committed(${SEQUENCER_LOCK_KEY}, ${SEQUENCE_BATCH}, ${EVENTS_CHANNEL})`);
    const [row] = rowsOf<{ through_cursor: string | number | null; numbered_count: string | number }>(rows);
    const count = Number(row?.numbered_count ?? 0);
    if (count > 0) last = Number(row!.through_cursor);
    if (count < SEQUENCE_BATCH) return last;
  }
}

/** The EVENTS_CHANNEL payload's reader: "<newest cursor> <type>,<type>…"; a bare or empty payload means "any type". */
export function parseSequencedNotice(payload: string): { through: number | null; types: ReadonlySet<string> | null } {
  const [cursor, types] = payload.split(' ');
  const through = Number(cursor);
  return { through: Number.isSafeInteger(through) && through > 0 ? through : null, types: types ? new Set(types.split(',')) : null };
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
