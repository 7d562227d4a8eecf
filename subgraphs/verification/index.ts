import { Router } from 'express';
import { startConsumer } from '../../lib/events/consumer.js';
import { startEventRetention } from '../../lib/events/retention.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { createHubVerifier } from '../../lib/verify/hub-verifier.js';
import { issuerMetricsConsumer } from './consumers/issuer-metrics.js';
import { knownIssuersConsumer } from './consumers/known-issuers.js';
import { forgetListsOnStatusChange } from './consumers/verifier-caches.js';
import { walletDocumentsConsumer } from './consumers/wallet-documents.js';
import type { VerificationContext } from './context.js';
import { createVerificationStore } from './db/store.js';
import { Credential } from './graphql/credential.entity.js';
import { resolveCredentialReference } from './graphql/credential.reference.js';
import { CredentialEventResolver } from './graphql/event.resolver.js';
import { resolveIssuerReference } from './graphql/issuer.reference.js';
import { IssuerMetricsResolver } from './graphql/issuer.resolver.js';
import { StackedSkill } from './graphql/stacked-skill.entity.js';
import { resolveStackedSkillReference } from './graphql/stacked-skill.reference.js';
import { StackedSkillVerificationResolver } from './graphql/stacked-skill.resolver.js';
import { VerificationResolver } from './graphql/verification.resolver.js';
import { createVerificationLoaders } from './loaders.js';
import { createVerifierRoutes } from './rest/vc-api.js';
import { createVerificationsService } from './services/verifications.js';

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
    const consumers = [issuerMetricsConsumer, knownIssuersConsumer, walletDocumentsConsumer].map((consumer) =>
      startConsumer(database.db, feed, consumer, log.child({ consumer: consumer.name })),
    );
    const walletDocuments = consumers[2]!;
    const deps = { db: database.db, store, verifier, catchUpWalletDocuments: () => walletDocuments.catchUp() };
    const verifications = createVerificationsService(deps);
    const stopListening = forgetListsOnStatusChange(feed, verifier, log);
    // The live event stream is this subgraph's, so it also keeps the log within the operator's retention policy.
    const retention = config.eventRetention
      ? startEventRetention(database.db, config.eventRetention, log.child({ component: 'event-retention' }), { ready: Promise.all(consumers.map((consumer) => consumer.catchUp())) })
      : null;
    return {
      schema,
      createContext: (base): VerificationContext => ({ ...base, feed, verifications, loaders: createVerificationLoaders(store, deps, base.viewer, base.pageView) }),
      routes: Router().use(createVerifierRoutes({ verifications, maxBodyBytes: config.limits.maxRequestBytes })),
      close: async () => {
        await stopListening();
        await retention?.stop();
        await Promise.all(consumers.map((consumer) => consumer.stop()));
      },
    };
  },
};
