import type { Viewer } from '../../../lib/auth/viewer.js';
import type { LimitsConfig } from '../../../lib/config/env.js';
import { spendAllowance } from '../../../lib/rate-limit/allowance.js';
import type { RateLimitStore } from '../../../lib/rate-limit/token-buckets.js';

/**
 * The rate limits on anonymous openings of shares, in the store the gateway's limits use (RATE_LIMIT_STORE), so every
 * replica counts alike: a crawler on a link gets 429s (TOO_MANY_REQUESTS over GraphQL), not the database. Viewers
 * with a key are limited at the gateway, per key. Per client IP (the one the gateway signed with the viewer; a caller
 * inside the hub has none and is not limited per IP), charged before the share is looked up so that guessing tokens
 * costs too; and per share whatever the IP, so that a crowd of addresses on one link is bounded as well.
 */
export function createShareViewLimits(store: RateLimitStore, limits: LimitsConfig['shareViews']) {
  return {
    async opening(viewer: Viewer, clientAddress: string | null | undefined): Promise<void> {
      if (viewer.kind !== 'ANONYMOUS' || !clientAddress) return;
      await spendAllowance(store, `share-views:ip:${clientAddress}`, limits.anonymousPerIp, 'anonymous views of shares from this address');
    },
    async opened(viewer: Viewer, shareId: string): Promise<void> {
      if (viewer.kind !== 'ANONYMOUS') return;
      await spendAllowance(store, `share-views:share:${shareId}`, limits.anonymousPerShare, 'anonymous views of this share');
    },
  };
}

export type ShareViewLimits = ReturnType<typeof createShareViewLimits>;
