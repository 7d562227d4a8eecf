import type { Db } from '../../lib/db/client.js';
import { events } from '../../lib/events/tables.js';
import type { NewEvent, StoredEvent } from '../../lib/events/types.js';

/**
 * Writes events straight into the log, past the contract check `appendEvents` makes: what an older release or a
 * buggy producer may have left there. For tests of readers that must cope with any payload (a consumer skipping a
 * malformed one, a subscription that passes payloads through untouched). Producers never do this.
 */
export async function insertEventsUnchecked(db: Db, newEvents: NewEvent[]): Promise<StoredEvent[]> {
  return db
    .insert(events)
    .values(newEvents.map((event) => ({ type: event.type, issuerId: event.issuerId ?? null, recipientId: event.recipientId ?? null, payload: event.payload })))
    .returning();
}
