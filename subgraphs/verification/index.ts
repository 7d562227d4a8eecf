import { startConsumer } from '../../lib/events/consumer.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { issuerMetricsConsumer } from './consumers/issuer-metrics.js';
import type { VerificationContext } from './context.js';
import { createVerificationStore } from './db/store.js';
import { CredentialEventResolver } from './graphql/event.resolver.js';
import { IssuerMetricsResolver, resolveIssuerReference } from './graphql/issuer.resolver.js';
import { createVerificationLoaders } from './loaders.js';

/** Verification: verifying credentials (next issue), program analytics, and the live event stream. */
export const verification: SubgraphModule = {
  name: 'verification',
  async create({ database, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [IssuerMetricsResolver, CredentialEventResolver],
      references: { Issuer: { __resolveReference: resolveIssuerReference } },
    });
    const store = createVerificationStore(database.db);
    const metrics = startConsumer(database.db, feed, issuerMetricsConsumer, log.child({ consumer: issuerMetricsConsumer.name }));
    return {
      schema,
      createContext: (base): VerificationContext => ({ ...base, feed, loaders: createVerificationLoaders(store) }),
      close: () => metrics.stop(),
    };
  },
};
