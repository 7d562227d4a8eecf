import type { EventFeed } from '../../../lib/events/feed.js';
import type { Logger } from '../../../lib/log.js';
import type { WebhookDelivery } from '../services/webhook-delivery.js';

/**
 * The background loop of webhook delivery: a pass over the webhooks due, then at once another when it delivered
 * something, else on news in the log (or the feed's poll). Passes of two replicas never serve one webhook at once
 * (its lease), so running it in every verification process is safe.
 */
export function startWebhookDispatcher(delivery: Pick<WebhookDelivery, 'runOnce'>, feed: EventFeed, log: Logger): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const running = (async () => {
    while (!stopping.signal.aborted) {
      const attempted = await delivery.runOnce().catch((error: unknown) => {
        log.error({ err: error }, 'webhook dispatch failed; trying again on the next poll');
        return 0;
      });
      if (attempted === 0) await feed.waitForNews(stopping.signal);
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
