import type { Db } from '../../../lib/db/client.js';
import { recipientIdentityAddedEvent } from '../../../lib/events/contracts/recipient-identity-added.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { Logger } from '../../../lib/log.js';
import type { createIdentityStore } from '../db/identity-store.js';

/** @default 500 // identities named per transaction */
const BATCH = 500;

/**
 * Names to the other subgraphs, once, the identities recorded before RecipientCreated carried them (migration 0032
 * marks those rows): one RecipientIdentityAdded each, unproved as far as this hub can tell, in the transaction that
 * marks the row. Replicas doing it at once take different rows (SKIP LOCKED); one killed mid-way leaves its batch for
 * the next start. Returns how many it named.
 */
export async function announceOlderIdentities(db: Db, identities: Pick<ReturnType<typeof createIdentityStore>, 'claimUnannouncedIdentities' | 'markIdentitiesAnnounced'>, log: Logger): Promise<number> {
  let named = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await identities.claimUnannouncedIdentities(tx, BATCH);
      await identities.markIdentitiesAnnounced(tx, rows.map((row) => row.id));
      await appendEvents(tx, rows.map((row) => recipientIdentityAddedEvent.build({ recipientId: row.recipientId, identity: { type: row.type, value: row.value }, verified: false })));
      return rows.length;
    });
    named += batch;
    if (batch < BATCH) break;
  }
  if (named > 0) log.info({ identities: named }, 'older recipient identities named to the other subgraphs');
  return named;
}
