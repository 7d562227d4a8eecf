import type { Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Viewer } from '../auth/viewer.js';
import type { HubConfig, SubgraphName } from '../config/env.js';
import type { Database } from '../db/client.js';
import type { EventFeed } from '../events/feed.js';
import type { Logger } from '../log.js';

/** What a service needs from the process that hosts it. */
export interface ServiceDeps {
  config: HubConfig;
  database: Database;
  feed: EventFeed;
  log: Logger;
}

/** The part of every subgraph's GraphQL context that the server builds before the subgraph adds its own. */
export interface RequestContext {
  viewer: Viewer;
  /**
   * The client's IP as the gateway saw it, signed with the viewer (lib/auth/viewer.ts): what per-IP limits in a
   * subgraph key on. Null or absent for callers inside the hub, which per-IP limits leave alone.
   */
  clientAddress?: string | null;
  /** One of the hub's own pages reads on a visitor's behalf (lib/auth/viewer.ts `SignedCaller.pageView`). */
  pageView?: boolean;
  requestId: string;
  log: Logger;
}

/** A running subgraph: its schema, how to extend a request's context, and its background work. */
export interface SubgraphInstance {
  schema: GraphQLSchema;
  createContext(base: RequestContext): RequestContext;
  /**
   * Plain HTTP routes (standards endpoints such as credential documents and DID documents), mounted beside
   * `/graphql`. The request's verified viewer is in `res.locals.viewer`, its client address (or null) in
   * `res.locals.clientAddress`. The gateway forwards the public
   * paths listed in `REST_ROUTES` (`gateway/rest.ts`) here.
   */
  routes?: Router;
  /** Stops background work (event consumers); the server is closed separately. */
  close(): Promise<void>;
}

/** Each subgraph exports one of these from its `index.ts`. */
export interface SubgraphModule {
  name: SubgraphName;
  create(deps: ServiceDeps): Promise<SubgraphInstance>;
}
