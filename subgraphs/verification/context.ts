import type { EventFeed } from '../../lib/events/feed.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { VerificationLoaders } from './loaders.js';
import type { VerificationDeps } from './verifications.js';

export interface VerificationContext extends RequestContext {
  feed: EventFeed;
  loaders: VerificationLoaders;
  verification: VerificationDeps;
}
