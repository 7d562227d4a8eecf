import { Router } from 'express';
import { createSafeFetch } from '../../lib/net/safe-fetch.js';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { createSigningPool, type SigningPool } from '../../lib/crypto/signing-pool.js';
import { startConsumer } from '../../lib/events/consumer.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { achievementProjectionConsumer } from './consumers/achievement-projection.js';
import type { IssuersContext } from './context.js';
import { createIssuanceStore } from './db/issuance-store.js';
import { createJobStore } from './db/job-store.js';
import { createKeyStore } from './db/key-store.js';
import { createMemberStore } from './db/member-store.js';
import { createIssuerStore } from './db/store.js';
import { ApiKeyResolver } from './graphql/api-key.resolver.js';
import { CredentialResolver, resolveCredentialReference } from './graphql/credential.resolver.js';
import { resolveIssuerReference } from './graphql/issuer.reference.js';
import { IssuanceJobResolver } from './graphql/issuance-job.resolver.js';
import { IssuerResolver } from './graphql/issuer.resolver.js';
import { MemberResolver } from './graphql/member.resolver.js';
import { SigningKeyResolver } from './graphql/signing-key.resolver.js';
import { ViewerResolver } from './graphql/viewer.resolver.js';
import { BulkWorker, poolBatchSigner } from './issuance/bulk-worker.js';
import type { IssuanceDeps } from './issuance/issue-credential.js';
import { KeyRing } from './issuance/key-ring.js';
import { StatusLists } from './issuance/status-lists.js';
import { createIssuerLoaders } from './loaders.js';
import { createBadgeArtSource } from './rest/badge-art.js';
import { createIssuerRoutes } from './rest/routes.js';
import { createVcApiRoutes } from './rest/vc-api.js';

/** Issuers: issuer profiles, API keys, signing keys and DIDs, issuance, status lists, revocation and suspension. */
export const issuers: SubgraphModule = {
  name: 'issuers',
  async create({ database, config, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [IssuerResolver, SigningKeyResolver, MemberResolver, ApiKeyResolver, ViewerResolver, CredentialResolver, IssuanceJobResolver],
      references: {
        Issuer: { __resolveReference: resolveIssuerReference },
        Credential: { __resolveReference: resolveCredentialReference },
      },
    });
    const db = database.db;
    const store = createIssuerStore(db);
    const keys = createKeyStore(db);
    const issuanceStore = createIssuanceStore(db);
    const keyRing = new KeyRing(keys, store, config.masterKey, config.publicBaseUrl);
    const documentLoader = createDocumentLoader({ resolveDid: (didUrl) => keyRing.resolveDid(didUrl) });
    const statusLists = new StatusLists(issuanceStore, store, keyRing, documentLoader, config.publicBaseUrl);
    const projection = achievementProjectionConsumer(issuanceStore, log);
    const achievementsProjection = startConsumer(db, feed, projection, log.child({ consumer: projection.name }));
    const issuance: IssuanceDeps = {
      db,
      store: issuanceStore,
      issuers: store,
      keyRing,
      statusLists,
      documentLoader,
      publicBaseUrl: config.publicBaseUrl,
      catchUpAchievements: () => achievementsProjection.catchUp(),
    };
    const jobs = createJobStore(db);
    const members = createMemberStore(db);
    let pool: SigningPool | null = null;
    const bulkWorker = new BulkWorker(issuance, jobs, feed, log.child({ worker: 'bulk-issuance' }), {
      claimSeconds: config.bulkClaimSeconds,
      sign: poolBatchSigner(() => (pool ??= createSigningPool({ size: config.signingWorkers })), keyRing),
    });
    if (config.bulkWorker) bulkWorker.start();
    return {
      schema,
      routes: Router().use(createVcApiRoutes({ issuance, maxBodyBytes: config.limits.maxRequestBytes }), createIssuerRoutes({ store, keyRing, issuance, badgeArt: createBadgeArtSource({ fetch: createSafeFetch(config.outboundFetch), log }) })),
      createContext: (base): IssuersContext => ({
        ...base,
        db,
        store,
        keyRing,
        issuance,
        jobs,
        members,
        feed,
        publicBaseUrl: config.publicBaseUrl,
        loaders: createIssuerLoaders({ store, keys, issuance: issuanceStore, members, db }),
      }),
      close: async () => {
        await bulkWorker.stop();
        await pool?.close();
        await achievementsProjection.stop();
      },
    };
  },
};
