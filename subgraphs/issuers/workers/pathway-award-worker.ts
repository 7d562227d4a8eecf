import type { RunningConsumer } from '../../../lib/events/consumer.js';
import type { EventFeed } from '../../../lib/events/feed.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { PathwayAwardsService } from '../services/pathway-awards.js';

/**
 * Issues pathway awards in the background: wakes on PathwayCompleted (or the feed's poll), lets the consumer record
 * the requests, then issues what is pending. Every replica runs one; the award's idempotency key keeps them from
 * issuing twice.
 */
export function startPathwayAwardWorker(options: {
  feed: EventFeed;
  consumer: RunningConsumer;
  /** The recipient-identities projection: caught up first, so a completion that names no identity finds one. */
  identities: RunningConsumer;
  awards: PathwayAwardsService;
  log: Logger;
}) {
  const { feed, consumer, identities, awards, log } = options;
  const stopping = new AbortController();
  const drain = async () => {
    await identities.catchUp();
    await consumer.catchUp();
    while ((await awards.issuePending()) > 0);
    while ((await awards.applyStandings()) > 0);
  };
  const loop = (async () => {
    while (!stopping.signal.aborted && !feed.isClosed) {
      const news = feed.waitForNews(stopping.signal, [EventType.PATHWAY_COMPLETED, EventType.PATHWAY_AWARD_STANDING_CHANGED]);
      try {
        await drain();
      } catch (error) {
        log.error({ err: error }, 'pathway awards failed; retrying after the next wake-up');
      }
      await news;
    }
  })();
  return {
    /** Records and issues everything committed so far (tests, start-up). */
    drain,
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
