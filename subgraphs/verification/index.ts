import { Router } from 'express';
import { startConsumer } from '../../lib/events/consumer.js';
import type { EventFeed } from '../../lib/events/feed.js';
import { EventType, type StoredEvent } from '../../lib/events/types.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { Logger } from '../../lib/log.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { createHubVerifier, type HubVerifier } from '../../lib/verify/hub-verifier.js';
import { issuerMetricsConsumer } from './consumers/issuer-metrics.js';
import { knownIssuersConsumer } from './consumers/known-issuers.js';
import type { VerificationContext } from './context.js';
import { createVerificationStore } from './db/store.js';
import { CredentialEventResolver } from './graphql/event.resolver.js';
import { IssuerMetricsResolver, resolveIssuerReference } from './graphql/issuer.resolver.js';
import { VerificationResolver } from './graphql/verification.resolver.js';
import { Credential, resolveCredentialReference } from './graphql/verification.type.js';
import { resolveStackedSkillReference, StackedSkill, StackedSkillVerificationResolver } from './graphql/stacked-skill.entity.js';
import { createVerificationLoaders } from './loaders.js';
import { createVerifierRoutes } from './rest/vc-api.js';

const STATUS_CHANGES = [EventType.CREDENTIAL_REVOKED, EventType.CREDENTIAL_SUSPENDED, EventType.CREDENTIAL_REINSTATED];

/**
 * Every replica caches status lists in memory; when this hub changes a credential's status, each replica forgets its
 * lists at once (the feed reaches every process), so a revocation shows in the very next verification. A key change
 * (IssuerKeysChanged) likewise drops the briefly cached issuer DID lookups.
 */
function forgetListsOnStatusChange(feed: EventFeed, verifier: HubVerifier, log: Logger): () => Promise<void> {
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

/** Verification: verifying any credential, program analytics, and the live event stream. */
export const verification: SubgraphModule = {
  name: 'verification',
  async create({ config, database, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [IssuerMetricsResolver, CredentialEventResolver, VerificationResolver, StackedSkillVerificationResolver],
      references: {
        Issuer: { __resolveReference: resolveIssuerReference },
        Credential: { __resolveReference: resolveCredentialReference },
        StackedSkill: { __resolveReference: resolveStackedSkillReference },
      },
      // Reached only through other subgraphs' fields, so no root field of ours names them.
      orphanedTypes: [Credential, StackedSkill],
    });
    const store = createVerificationStore(database.db);
    const verifier = await createHubVerifier({ config, log: log.child({ component: 'verifier' }), knownIssuerByDid: (did) => store.knownIssuerDid(did) });
    const deps = { db: database.db, store, verifier };
    const consumers = [issuerMetricsConsumer, knownIssuersConsumer].map((consumer) => startConsumer(database.db, feed, consumer, log.child({ consumer: consumer.name })));
    const stopListening = forgetListsOnStatusChange(feed, verifier, log);
    return {
      schema,
      createContext: (base): VerificationContext => ({ ...base, feed, verification: deps, loaders: createVerificationLoaders(store, deps, base.viewer) }),
      routes: Router().use(createVerifierRoutes({ verification: deps, maxBodyBytes: config.limits.maxRequestBytes })),
      close: async () => {
        await stopListening();
        await Promise.all(consumers.map((consumer) => consumer.stop()));
      },
    };
  },
};
