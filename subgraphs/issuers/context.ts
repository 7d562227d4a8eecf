import type { Db } from '../../lib/db/client.js';
import type { EventFeed } from '../../lib/events/feed.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { JobStore } from './db/job-store.js';
import type { MemberStore } from './db/member-store.js';
import type { IssuerStore } from './db/store.js';
import type { IssuanceDeps } from './issuance/issue-credential.js';
import type { KeyRing } from './issuance/key-ring.js';
import type { IssuerLoaders } from './loaders.js';

export interface IssuersContext extends RequestContext {
  db: Db;
  store: IssuerStore;
  loaders: IssuerLoaders;
  keyRing: KeyRing;
  issuance: IssuanceDeps;
  jobs: JobStore;
  members: MemberStore;
  feed: EventFeed;
  publicBaseUrl: string;
}
