import type { EventFeed } from '../../../lib/events/feed.js';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { HubVerifier } from '../../../lib/verify/hub-verifier.js';

const STATUS_CHANGES = [EventType.CREDENTIAL_REVOKED, EventType.CREDENTIAL_SUSPENDED, EventType.CREDENTIAL_REINSTATED];

/**
 * Every replica caches status lists in memory; when this hub changes a credential's status, each replica forgets its
 * lists at once (the feed reaches every process), so a revocation shows in the very next verification. A key change
 * (IssuerKeysChanged) likewise drops the briefly cached issuer DID lookups. Unlike the checkpointed consumers beside
 * it, this one listens from the head of the log in every process: what it clears is each process's own memory.
 * Returns how to stop listening.
 */
export function forgetListsOnStatusChange(feed: EventFeed, verifier: HubVerifier, log: Logger): () => Promise<void> {
  let stopped = false;
  let events: AsyncIterableIterator<StoredEvent> | undefined;
  const running = (async () => {
    const after = await feed.head();
    if (stopped) return;
    events = feed.subscribe({ after, types: [...STATUS_CHANGES, EventType.ISSUER_KEYS_CHANGED] });
    for await (const event of events) {
      if (event.type === EventType.ISSUER_KEYS_CHANGED) verifier.forgetKnownIssuers();
      else verifier.clearStatusCache();
    }
  })().catch((error: unknown) => log.error({ err: error }, 'status-change listener stopped'));
  return async () => {
    stopped = true;
    await events?.return?.();
    await running;
  };
}
