import { count, eq } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.js';
import { contractOf } from '../../lib/events/contracts/index.js';
import { appendEvents, headCursor, readEvents } from '../../lib/events/outbox.js';
import { sequenceCommittedEvents } from '../../lib/events/sequencer.js';
import { events } from '../../lib/events/tables.js';
import type { EventType, NewEvent, StoredEvent } from '../../lib/events/types.js';

/**
 * Writes events straight into the log, past the contract check `appendEvents` makes: what an older release or a
 * buggy producer may have left there. For tests of readers that must cope with any payload (a consumer skipping a
 * malformed one, a subscription that passes payloads through untouched). Producers never do this.
 */
export async function insertEventsUnchecked(db: Db, newEvents: (NewEvent & { occurredAt?: Date })[]): Promise<StoredEvent[]> {
  return appendedAndSequenced(db, () =>
    db
      .insert(events)
      .values(newEvents.map((event) => ({ type: event.type, issuerId: event.issuerId ?? null, recipientId: event.recipientId ?? null, payload: event.payload, occurredAt: event.occurredAt })))
      .then(() => {}),
  );
}

/**
 * `appendEvents` in a transaction of its own, then the sequencer, returning the events as readers now see them.
 * For tests that need the cursors of what they wrote; assumes nobody else writes to the test's database meanwhile.
 */
export function appendSequenced(db: Db, newEvents: NewEvent[]): Promise<StoredEvent[]> {
  return appendedAndSequenced(db, () => db.transaction((tx) => appendEvents(tx, newEvents)));
}

async function appendedAndSequenced(db: Db, write: () => Promise<void>): Promise<StoredEvent[]> {
  const head = (await sequenceCommittedEvents(db)) ?? (await headCursor(db));
  await write();
  await sequenceCommittedEvents(db);
  return readEvents(db, { after: head, limit: 100_000 });
}

/**
 * Replays the whole log from cursor 0 through every event's contract, as a consumer deployed today would: each
 * payload written by the current producers must still parse.
 */
export async function eventsBreakingTheirContracts(db: Db): Promise<{ cursor: number; type: string; problem: string }[]> {
  const problems: { cursor: number; type: string; problem: string }[] = [];
  await sequenceCommittedEvents(db);
  for (let after = 0; ; ) {
    const batch = await readEvents(db, { after, limit: 500 });
    for (const event of batch) {
      const read = contractOf(event.type).read(event.payload);
      if ('problem' in read) problems.push({ cursor: event.cursor, type: event.type, problem: read.problem });
    }
    if (batch.length < 500) return problems;
    after = batch[batch.length - 1]!.cursor;
  }
}

/** `readEvents` as a test sees the log right after a write: whatever has committed is sequenced first. */
export async function readLog(db: Db, options: Parameters<typeof readEvents>[1]): Promise<StoredEvent[]> {
  await sequenceCommittedEvents(db);
  return readEvents(db, options);
}

/**
 * The event log's own upkeep, which runs in the background of every test's feed (the sequencer's checks and
 * numbering, the poll's head look-up): statement-counting tests leave it out of what the code under test did.
 */
export const isLogUpkeep = (statement: string): boolean =>
  /events\.events|events\.log_sequence|"events"\."log_sequence"|events\.sequence_committed|pg_advisory_xact_lock|pg_notify/.test(statement);

/** How many events of `type` were appended so far, sequenced or not (e.g. one CredentialVerified per verification recorded). */
export async function countEvents(db: Db, type: EventType): Promise<number> {
  const [row] = await db.select({ count: count() }).from(events).where(eq(events.type, type));
  return row!.count;
}
