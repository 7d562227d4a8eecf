import { setTimeout as delay } from 'node:timers/promises';
import { Router } from 'express';
import { createSafeFetch } from '../../lib/net/safe-fetch.js';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { createSigningPool, type SigningPool } from '../../lib/crypto/signing-pool.js';
import { startConsumer } from '../../lib/events/consumer.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { achievementProjectionConsumer } from './consumers/achievement-projection.js';
import { hostedVisibilityConsumer } from './consumers/hosted-visibility.js';
import { pathwayAwardsConsumer } from './consumers/pathway-awards.js';
import { recipientIdentitiesConsumer } from './consumers/recipient-identities.js';
import { createRecipientIdentityStore } from './db/recipient-identity-store.js';
import { createRecipientIdentitiesService } from './services/recipient-identities.js';
import { createPathwayAwardStore } from './db/pathway-award-store.js';
import { createPathwayAwardsService } from './services/pathway-awards.js';
import { startPathwayAwardWorker } from './workers/pathway-award-worker.js';
import type { IssuersContext } from './context.js';
import { createHostedVisibilityStore } from './db/hosted-visibility-store.js';
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
import { createIssuerLoaders } from './loaders.js';
import { createBadgeArtSource } from './rest/badge-art.js';
import { createIssuerRoutes } from './rest/routes.js';
import { createBadgeImages } from './services/badge-images.js';
import { createEuropassService } from './services/europass.js';
import { createEuropassStore } from './db/europass-store.js';
import { readEuropassTrustAnchors } from '../../lib/europass/jades.js';
import { createVcApiRoutes } from './rest/vc-api.js';
import { createSignedCredentialStore } from './db/signed-credential-store.js';
import { createSignedCredentialsService } from './services/signed-credentials.js';
import { createBulkIssuanceService } from './services/bulk-issuance.js';
import { createHostedCopiesService } from './services/hosted-copies.js';
import { createIssuanceService, type IssuanceDeps } from './services/issuance.js';
import { createIssuersService } from './services/issuers.js';
import { createKeysService } from './services/keys.js';
import { createMembersService } from './services/members.js';
import { createStatusListsService } from './services/status-lists.js';
import { BulkWorker, poolBatchSigner } from './workers/bulk-worker.js';

/** @default 2_000 // the longest an issuance waits for the achievement projection to catch up on an id it does not know yet */
const ACHIEVEMENT_CATCH_UP_MS = 2_000;

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
    const { publicBaseUrl } = config;
    const db = database.db;
    const store = createIssuerStore(db);
    const keys = createKeyStore(db);
    const issuanceStore = createIssuanceStore(db);
    const jobs = createJobStore(db);
    const members = createMemberStore(db);

    // Services with process-wide caches (decrypted keys, signed status lists) are made once, here.
    const keyRing = createKeysService({ db, keys, issuers: store, masterKeySecret: config.masterKey, publicBaseUrl, publicBaseUrlAliases: config.publicBaseUrlAliases });
    const documentLoader = createDocumentLoader({ resolveDid: (didUrl) => keyRing.resolveDid(didUrl) });
    const statusLists = createStatusListsService({ store: issuanceStore, issuers: store, keyRing, documentLoader, publicBaseUrl });
    const issuanceDeps: IssuanceDeps = {
      db,
      store: issuanceStore,
      issuers: store,
      keyRing,
      statusLists,
      documentLoader,
      publicBaseUrl,
      // Bounded: past the deadline the issuance answers from what is projected so far (NOT_FOUND for an id still unknown).
      catchUpAchievements: () => Promise.race([achievementsProjection.catchUp(), delay(ACHIEVEMENT_CATCH_UP_MS, undefined, { ref: false })]),
    };
    // REST routes and the projection serve no GraphQL request, so their issuance service has no loaders to refresh.
    const issuance = createIssuanceService(issuanceDeps);
    const projection = achievementProjectionConsumer(issuance, log);
    const achievementsProjection = startConsumer(db, feed, projection, log.child({ consumer: projection.name }));
    const hostedCopies = createHostedCopiesService({ credentials: issuanceStore, visibility: createHostedVisibilityStore(db) });
    const visibilityProjection = hostedVisibilityConsumer(hostedCopies, log);
    const hostedVisibility = startConsumer(db, feed, visibilityProjection, log.child({ consumer: visibilityProjection.name }));
    const badgeArt = createBadgeArtSource({ fetch: createSafeFetch(config.outboundFetch), log });
    const badgeImages = createBadgeImages({ store, badgeArt, publicBaseUrl });
    const europass = createEuropassService({
      db,
      store: createEuropassStore(db),
      credentials: issuanceStore,
      hostedCopies,
      badgeImages,
      trustAnchors: readEuropassTrustAnchors(config.verifier.europassTrustAnchorsFile),
      publicBaseUrl,
      log: log.child({ service: 'europass' }),
    });
    const recipientIdentities = createRecipientIdentitiesService({ store: createRecipientIdentityStore() });
    const identitiesProjection = recipientIdentitiesConsumer(recipientIdentities, log);
    const identities = startConsumer(db, feed, identitiesProjection, log.child({ consumer: identitiesProjection.name }));
    const pathwayAwards = createPathwayAwardsService({
      db,
      awards: createPathwayAwardStore(db),
      issuance,
      signed: createSignedCredentialStore(db),
      statusLists,
      keyRing,
      documentLoader,
      recipientIdentities,
      log: log.child({ service: 'pathway-awards' }),
    });
    const awardsConsumer = pathwayAwardsConsumer(pathwayAwards, log);
    const awardRequests = startConsumer(db, feed, awardsConsumer, log.child({ consumer: awardsConsumer.name }));
    const awardWorker = startPathwayAwardWorker({
      feed,
      consumer: awardRequests,
      identities,
      awards: pathwayAwards,
      log: log.child({ worker: 'pathway-awards' }),
    });
    const services = {
      issuers: createIssuersService({ db, store, keyRing }),
      europass,
      members: createMembersService({ db, members, issuers: store }),
      keys: keyRing,
      bulkIssuance: createBulkIssuanceService({ ...issuanceDeps, jobs, log: log.child({ service: 'bulk-issuance' }) }),
    };

    let pool: SigningPool | null = null;
    const bulkWorker = new BulkWorker(issuanceDeps, jobs, feed, log.child({ worker: 'bulk-issuance' }), {
      claimSeconds: config.bulkClaimSeconds,
      chunkSize: config.bulkChunkSize,
      sign: poolBatchSigner(() => (pool ??= createSigningPool({ size: config.signingWorkers })), keyRing),
    });
    if (config.bulkWorker) bulkWorker.start();
    return {
      schema,
      routes: Router().use(
        createVcApiRoutes({
          issuance,
          signedCredentials: createSignedCredentialsService({ db, store: createSignedCredentialStore(db), statusLists, documentLoader }),
          keyRing,
          documentLoader,
          maxBodyBytes: config.limits.maxRequestBytes,
        }),
        createIssuerRoutes({ store, hostedCopies, keyRing, issuance, statusLists, badgeImages, europass, publicBaseUrl }),
      ),
      createContext: (base): IssuersContext => {
        const loaders = createIssuerLoaders({ store, keys, issuance: issuanceStore, members, db });
        return {
          ...base,
          loaders,
          services: { ...services, issuance: createIssuanceService({ ...issuanceDeps, loaders }) },
          store,
          jobs,
          feed,
          publicBaseUrl,
          issuance: issuanceDeps,
          keyRing,
        };
      },
      close: async () => {
        await bulkWorker.stop();
        await pool?.close();
        await awardWorker.stop();
        await Promise.all([achievementsProjection.stop(), hostedVisibility.stop(), awardRequests.stop(), identities.stop()]);
      },
    };
  },
};
