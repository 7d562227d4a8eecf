import type { EventFeed } from '../../lib/events/feed.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { VerificationLoaders } from './loaders.js';
import type { MetricsService } from './services/metrics.js';
import type { VerificationsService } from './services/verifications.js';
import type { WebhooksService } from './services/webhooks.js';

export interface VerificationContext extends RequestContext {
  feed: EventFeed;
  loaders: VerificationLoaders;
  /** Program metrics and the career events behind them. */
  metrics: MetricsService;
  /** Brings the program-metric projections up to the log's head (before pushing fresh totals to a subscriber). */
  catchUpMetrics: () => Promise<void>;
  /** Verifying and recording: every write of this subgraph outside its event projections. */
  verifications: VerificationsService;
  webhooks: WebhooksService;
}
