import type { EventFeed } from '../../lib/events/feed.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { VerificationLoaders } from './loaders.js';
import type { VerificationsService } from './services/verifications.js';
import type { WebhooksService } from './services/webhooks.js';

export interface VerificationContext extends RequestContext {
  feed: EventFeed;
  loaders: VerificationLoaders;
  /** Verifying and recording: every write of this subgraph outside its event projections. */
  verifications: VerificationsService;
  webhooks: WebhooksService;
}
