import { Router } from 'express';
import { startConsumer } from '../../lib/events/consumer.js';
import { startEventRetention } from '../../lib/events/retention.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { createHubVerifier } from '../../lib/verify/hub-verifier.js';
import { employerConsentsConsumer } from './consumers/employer-consents.js';
import { knownIssuersConsumer } from './consumers/known-issuers.js';
import { programMetricsConsumer } from './consumers/program-metrics.js';
import { forgetListsOnStatusChange } from './consumers/verifier-caches.js';
import { walletDocumentsConsumer } from './consumers/wallet-documents.js';
import type { VerificationContext } from './context.js';
import { createMetricsStore } from './db/metrics-store.js';
import { createVerificationStore } from './db/store.js';
import { Achievement } from './graphql/achievement.entity.js';
import { resolveAchievementReference } from './graphql/achievement.reference.js';
import { Credential } from './graphql/credential.entity.js';
import { resolveCredentialReference } from './graphql/credential.reference.js';
import { CredentialEventResolver } from './graphql/event.resolver.js';
import { resolveIssuerReference } from './graphql/issuer.reference.js';
import { AchievementMetricsResolver, IssuerMetricsResolver, MetricsResolver, PathwayMetricsResolver } from './graphql/metrics.resolver.js';
import { Pathway, resolvePathwayReference } from './graphql/pathway.entity.js';
import { StackedSkill } from './graphql/stacked-skill.entity.js';
import { resolveStackedSkillReference } from './graphql/stacked-skill.reference.js';
import { StackedSkillVerificationResolver } from './graphql/stacked-skill.resolver.js';
import { VerificationResolver } from './graphql/verification.resolver.js';
import { IssuerWebhooksResolver, WebhookResolver } from './graphql/webhook.resolver.js';
import { createVerificationLoaders } from './loaders.js';
import { createVerifierRoutes } from './rest/vc-api.js';
import { createMetricsService } from './services/metrics.js';
import { createVerificationsService } from './services/verifications.js';
import { WebhookDelivery } from './services/webhook-delivery.js';
import { createWebhooksService } from './services/webhooks.js';
import { createWebhookStore } from './db/webhook-store.js';
import { startWebhookDispatcher } from './workers/webhook-dispatcher.js';
import { deriveMasterKey } from '../../lib/crypto/private-key-envelope.js';
import { createSafeFetch } from '../../lib/net/safe-fetch.js';
import { createMetricsCsvRoute } from './rest/metrics-csv.js';

/** Verification: verifying any credential, program analytics, and the live event stream. */
export const verification: SubgraphModule = {
  name: 'verification',
  async create({ config, database, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [
        IssuerMetricsResolver,
        AchievementMetricsResolver,
        PathwayMetricsResolver,
        MetricsResolver,
        CredentialEventResolver,
        VerificationResolver,
        StackedSkillVerificationResolver,
        WebhookResolver,
        IssuerWebhooksResolver,
      ],
      references: {
        Issuer: { __resolveReference: resolveIssuerReference },
        Achievement: { __resolveReference: resolveAchievementReference },
        Pathway: { __resolveReference: resolvePathwayReference },
        Credential: { __resolveReference: resolveCredentialReference },
        StackedSkill: { __resolveReference: resolveStackedSkillReference },
      },
      // Reached only through other subgraphs' fields, so no root field of ours names them.
      orphanedTypes: [Credential, StackedSkill, Achievement, Pathway],
    });
    const store = createVerificationStore(database.db);
    const verifier = await createHubVerifier({ config, log: log.child({ component: 'verifier' }), knownIssuerByDid: (did) => store.knownIssuerDid(did) });
    const consumers = [walletDocumentsConsumer, knownIssuersConsumer, programMetricsConsumer, employerConsentsConsumer].map((consumer) =>
      startConsumer(database.db, feed, consumer, log.child({ consumer: consumer.name })),
    );
    const [walletDocuments, , programMetrics] = consumers;
    const deps = { db: database.db, store, verifier, catchUpWalletDocuments: () => walletDocuments!.catchUp() };
    const verifications = createVerificationsService(deps);
    const metrics = createMetricsService({ db: database.db, store: createMetricsStore(database.db) });
    const stopListening = forgetListsOnStatusChange(feed, verifier, log);
    const masterKey = await deriveMasterKey(config.masterKey);
    const webhookStore = createWebhookStore(database.db);
    const webhookDelivery = new WebhookDelivery({
      db: database.db,
      store: webhookStore,
      post: createSafeFetch({ ...config.outboundFetch, userAgent: 'Cairn-Webhooks/1.0' }).post,
      masterKey,
      log: log.child({ component: 'webhooks' }),
    });
    const webhooks = createWebhooksService({ db: database.db, store: webhookStore, delivery: webhookDelivery, masterKey, head: () => feed.head(), outbound: config.outboundFetch });
    const dispatcher = config.webhookDispatcher ? startWebhookDispatcher(webhookDelivery, feed, log.child({ worker: 'webhooks' })) : null;
    // The live event stream is this subgraph's, so it also keeps the log within the operator's retention policy.
    const retention = config.eventRetention
      ? startEventRetention(database.db, config.eventRetention, log.child({ component: 'event-retention' }), { ready: Promise.all(consumers.map((consumer) => consumer.catchUp())) })
      : null;
    return {
      schema,
      createContext: (base): VerificationContext => ({ ...base, feed, verifications, webhooks, metrics, catchUpMetrics: () => programMetrics!.catchUp(), loaders: createVerificationLoaders(store, deps, base.viewer, base.pageView) }),
      routes: Router().use(createVerifierRoutes({ verifications, maxBodyBytes: config.limits.maxRequestBytes }), createMetricsCsvRoute(metrics)),
      close: async () => {
        await dispatcher?.stop();
        await stopListening();
        await retention?.stop();
        await Promise.all(consumers.map((consumer) => consumer.stop()));
      },
    };
  },
};
