import type { EventFeed } from '../../lib/events/feed.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { JobStore } from './db/job-store.js';
import type { IssuerStore } from './db/store.js';
import type { IssuerLoaders } from './loaders.js';
import type { BulkIssuanceService } from './services/bulk-issuance.js';
import type { IssuanceDeps, IssuanceService } from './services/issuance.js';
import type { EuropassService } from './services/europass.js';
import type { IssuersService } from './services/issuers.js';
import type { KeysService } from './services/keys.js';
import type { MembersService } from './services/members.js';

/** The use cases: every write of this subgraph goes through one of them. */
export interface IssuersServices {
  issuers: IssuersService;
  members: MembersService;
  keys: KeysService;
  /** Made per request, with the request's loaders. */
  issuance: IssuanceService;
  bulkIssuance: BulkIssuanceService;
  europass: EuropassService;
}

export interface IssuersContext extends RequestContext {
  loaders: IssuerLoaders;
  services: IssuersServices;
  /** Reads that need no use case. */
  store: IssuerStore;
  jobs: JobStore;
  feed: EventFeed;
  publicBaseUrl: string;
  /** What the issuance services are made of (stores, key ring, status lists); the bulk worker is built from it. */
  issuance: IssuanceDeps;
  /** The keys service (`services.keys`) under the name the issuance services give it. */
  keyRing: KeysService;
}
