import { and, asc, gt, inArray, eq, max, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { contractOf } from './contracts/index.js';
import { events } from './tables.js';
import { EVENTS_CHANNEL, type EventType, type NewEvent, type StoredEvent } from './types.js';

/** Any constant works; it must be the same in every process that writes events. */
const EVENT_APPEND_LOCK_KEY = 0x0ca1_e7e0;

/**
 * Appends events to the outbox inside the caller's transaction.
 *
 * Why the lock: a bigserial hands out numbers at insert time, not commit time, so without it a reader could see
 * cursor 11 committed before cursor 10 and skip 10 forever. Holding a transaction-scoped advisory lock from the
 * insert to the commit makes cursor order equal commit order. Writers queue only for the last moments of their
 * transactions, because services append their events as the final step.
 */
export async function appendEvents(tx: Db, newEvents: NewEvent[]): Promise<StoredEvent[]> {
  if (newEvents.length === 0) return [];
  for (const event of newEvents) assertMeetsContract(event);
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_APPEND_LOCK_KEY})`);
  const rows = await tx
    .insert(events)
    .values(
      newEvents.map((event) => ({
        type: event.type,
        issuerId: event.issuerId ?? null,
        recipientId: event.recipientId ?? null,
        payload: event.payload,
      })),
    )
    .returning();
  const last = rows[rows.length - 1]!;
  // Delivered to listeners only when (and if) the transaction commits.
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${String(last.cursor)})`);
  return rows;
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

/** Reads committed events strictly after `after`, oldest first. */
export async function readEvents(
  db: Db,
  options: EventFilter & { after: number; limit: number },
): Promise<StoredEvent[]> {
  const conditions: SQL[] = [gt(events.cursor, options.after)];
  if (options.issuerId) conditions.push(eq(events.issuerId, options.issuerId));
  if (options.types && options.types.length > 0) conditions.push(inArray(events.type, [...options.types]));
  return db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.cursor))
    .limit(options.limit);
}

/** The cursor of the newest committed event (0 for an empty log): where a "from now on" reader starts. */
export async function headCursor(db: Db): Promise<number> {
  const [row] = await db.select({ cursor: max(events.cursor) }).from(events);
  return Number(row?.cursor ?? 0);
}
