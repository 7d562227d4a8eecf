import { and, asc, gt, inArray, eq, lte, sql, type SQL } from 'drizzle-orm';
import { runAfterCommit } from '../db/after-commit.js';
import type { Db } from '../db/client.js';
import { contractOf } from './contracts/index.js';
import { events, logSequence } from './tables.js';
import { EVENTS_APPENDED_CHANNEL, type EventType, type NewEvent, type StoredEvent } from './types.js';

/**
 * Appends events to the outbox inside the caller's transaction. No lock: the rows get their cursors from the
 * sequencer once the transaction has committed (lib/events/sequencer.ts), which is what keeps cursor order equal to
 * commit order while writers run side by side.
 */
export async function appendEvents(tx: Db, newEvents: NewEvent[]): Promise<void> {
  if (newEvents.length === 0) return;
  for (const event of newEvents) assertMeetsContract(event);
  // One JSON parameter for the whole batch, not four per event: drizzle checks every bind parameter of a multi-row
  // `values` list one by one, which made this insert the largest cost of a bulk job's chunk (hundreds of events).
  // ORDER BY the position keeps `seq` in the order the caller gave, as a `values` list does.
  const rows = JSON.stringify(newEvents.map((event) => [event.type, event.issuerId ?? null, event.recipientId ?? null, event.payload]));
  await tx.execute(sql`
    insert into ${events} (${sql.identifier('type')}, ${sql.identifier('issuer_id')}, ${sql.identifier('recipient_id')}, ${sql.identifier('payload')})
    select row->>0, (row->>1)::uuid, (row->>2)::uuid, row->3
    from jsonb_array_elements(${rows}::jsonb) with ordinality as given(row, position)
    order by position`);
  // Once committed, this process's own sequencer numbers the rows and wakes every reader. Not a NOTIFY per
  // transaction: PostgreSQL commits notifying transactions one at a time (the notification queue's lock), which
  // would bring back the very serialisation the sequencer removes.
  if (!runAfterCommit(tx, EVENTS_APPENDED_CHANNEL, announceAppend)) {
    // A bare handle (no transaction of ours): tell the sequencers the slow way, when (and if) it commits.
    await tx.execute(sql`select pg_notify(${EVENTS_APPENDED_CHANNEL}, '')`);
  }
}

const localSequencers = new WeakMap<Db, Set<() => void>>();

/** Called after each commit on `db` that appended events (a process's EventFeed sequences them). */
export function onEventsAppended(db: Db, listener: () => void): () => void {
  const listeners = localSequencers.get(db) ?? new Set();
  localSequencers.set(db, listeners);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announceAppend(db: Db): void {
  const listeners = localSequencers.get(db);
  if (listeners && listeners.size > 0) {
    for (const listener of listeners) listener();
    return;
  }
  // No feed in this process (a command-line tool): wake the hub's sequencers instead.
  db.execute(sql`select pg_notify(${EVENTS_APPENDED_CHANNEL}, '')`).catch(() => {
    // Their poll numbers the rows a little later.
  });
}

/** A payload that breaks its contract is a producer's bug: refusing it fails the write instead of every consumer. */
export class EventContractViolation extends Error {
  constructor(type: string, problem: string) {
    super(`${type} payload breaks its contract: ${problem}`);
    this.name = 'EventContractViolation';
  }
}

function assertMeetsContract(event: NewEvent): void {
  const read = contractOf(event.type).read(event.payload);
  if ('problem' in read) throw new EventContractViolation(event.type, read.problem);
}

export interface EventFilter {
  issuerId?: string | null;
  types?: readonly EventType[] | null;
}

/** The columns a reader gets: a sequenced row as `StoredEvent` (its `seq` is the outbox's own business). */
export const STORED_EVENT_COLUMNS = {
  cursor: events.cursor,
  type: events.type,
  occurredAt: events.occurredAt,
  issuerId: events.issuerId,
  recipientId: events.recipientId,
  payload: events.payload,
};

/** Reads sequenced events strictly after `after` (and up to `through`), oldest first. */
export async function readEvents(
  db: Db,
  options: EventFilter & { after: number; limit: number; through?: number },
): Promise<StoredEvent[]> {
  const conditions: SQL[] = [gt(events.cursor, options.after)];
  if (options.issuerId) conditions.push(eq(events.issuerId, options.issuerId));
  if (options.types && options.types.length > 0) conditions.push(inArray(events.type, [...options.types]));
  if (options.through !== undefined) conditions.push(lte(events.cursor, options.through));
  const rows = await db
    .select(STORED_EVENT_COLUMNS)
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.cursor))
    .limit(options.limit);
  return rows as StoredEvent[];
}

/** The cursor of the newest sequenced event (0 for an empty log): where a "from now on" reader starts. */
export async function headCursor(db: Db): Promise<number> {
  // The sequencer's counter, not max(cursor): the same number, without touching the log, and right after pruning.
  const [row] = await db.select({ cursor: logSequence.lastCursor }).from(logSequence).where(eq(logSequence.log, 'events'));
  return Number(row?.cursor ?? 0);
}
