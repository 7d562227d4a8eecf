import { Router } from 'express';
import { startConsumer } from '../../lib/events/consumer.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import { createMailer } from '../../lib/mail/mailer.js';
import { announceOlderIdentities } from './services/identity-announcements.js';
import { createRateLimitStore } from '../../lib/rate-limit/store.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { createHubVerifier, hubFetch } from '../../lib/verify/hub-verifier.js';
import { WALLET_DELIVERY_CONSUMER, walletDeliveryConsumer } from './consumers/wallet-delivery.js';
import { PATHWAY_MAIL_CONSUMER, pathwayMailConsumer } from './consumers/pathway-mail.js';
import { PATHWAY_COMPLETIONS_CONSUMER, pathwayCompletionsConsumer } from './consumers/pathway-completions.js';
import { createPathwayCompletionStore } from './db/pathway-completion-store.js';
import { createNotificationStore } from './db/notification-store.js';
import { createPathwayMailService } from './services/pathway-mail.js';
import type { RecipientsContext } from './context.js';
import { createIdentityStore } from './db/identity-store.js';
import { createObApiStore } from './db/ob-api-store.js';
import { createOAuthStore } from './db/oauth-store.js';
import { createShareStore } from './db/share-store.js';
import { createRecipientStore } from './db/store.js';
import { createWalletStore } from './db/wallet-store.js';
import { deriveCodeKey } from './domain/email-code.js';
// type-graphql registers types in import order, which is the order of the printed schema (schema/ is reviewed):
// these stay in this order.
import { IdentityResolver } from './graphql/identity.resolver.js';
import { SignInResolver } from './graphql/sign-in.resolver.js';
import { resolveCredentialReference } from './graphql/credential.reference.js';
import { CredentialResolver } from './graphql/credential.resolver.js';
import { resolveRecipientReference } from './graphql/recipient.reference.js';
import { RecipientResolver } from './graphql/recipient.resolver.js';
import { PortfolioResolver, RecipientPortfoliosResolver } from './graphql/portfolio.resolver.js';
import { WalletResolver } from './graphql/wallet.resolver.js';
import { CandidateViewResolver, StackedSkillResolver } from './graphql/candidate-view.resolver.js';
import { CredentialSharingResolver } from './graphql/credential-sharing.resolver.js';
import { RecipientSharingResolver, ShareResolver } from './graphql/share.resolver.js';
import { resolveCandidateViewReference, resolveStackedSkillReference } from './graphql/stacked-skill.reference.js';
import { createRecipientLoaders } from './loaders.js';
import { createOAuthServer } from './ob-api/oauth-server.js';
import { createObApiRoutes } from './ob-api/routes.js';
import { createShareRoutes } from './rest/share-routes.js';
import { createCodeLimits } from './services/code-limits.js';
import { createIdentityService, type IdentityServiceDeps } from './services/identity.js';
import { createPortfoliosService } from './services/portfolios.js';
import { createShareViewLimits } from './services/share-view-limits.js';
import { createShareViewsService } from './services/share-views.js';
import { createSharingService } from './services/sharing.js';
import { createWalletService, type WalletServiceDeps } from './services/wallet.js';

/** Recipients: the people credentials are awarded to, the identities they are known by, and their wallets. */
export const recipients: SubgraphModule = {
  name: 'recipients',
  async create({ config, database, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [
        RecipientResolver,
        CredentialResolver,
        IdentityResolver,
        SignInResolver,
        WalletResolver,
        PortfolioResolver,
        RecipientPortfoliosResolver,
        ShareResolver,
        RecipientSharingResolver,
        CandidateViewResolver,
        StackedSkillResolver,
        CredentialSharingResolver,
      ],
      references: {
        Recipient: { __resolveReference: resolveRecipientReference },
        Credential: { __resolveReference: resolveCredentialReference },
        StackedSkill: { __resolveReference: resolveStackedSkillReference },
        CandidateView: { __resolveReference: resolveCandidateViewReference },
      },
    });
    const db = database.db;
    const store = createRecipientStore(db);
    const walletStore = createWalletStore(db);
    const shares = createShareStore(db);
    const mailer = createMailer(config.mail, log.child({ module: 'mail' }));
    // The store the gateway's limits use (RATE_LIMIT_STORE): sign-in codes, OAuth and anonymous share views count
    // alike on every replica.
    const rateLimitStore = await createRateLimitStore(config.rateLimitStore, database, log);
    const codeKey = deriveCodeKey(config.masterKey);
    const identityDeps: Omit<IdentityServiceDeps, 'loaders' | 'log'> = {
      db,
      store,
      identities: createIdentityStore(),
      mailer,
      codeKey,
      codeLimits: createCodeLimits(rateLimitStore, config.limits.codes, codeKey),
      // Shares and consents are the person's, so a merge hands them to the survivor.
      mergeSteps: [(tx, merge) => shares.moveToSurvivor(tx, merge)],
    };
    // One verifier per service: it keeps imported keys, DID documents and status lists between imports.
    const verifier = await createHubVerifier({ config, log: log.child({ module: 'wallet-import' }) });
    const walletDeps: Omit<WalletServiceDeps, 'loaders' | 'log'> = { db, wallet: walletStore, verifier, fetch: hubFetch(config) };
    const portfolios = createPortfoliosService({ db, wallet: walletStore });
    const shareViews = createShareViewsService({
      db,
      shares,
      log: log.child({ module: 'share-views' }),
      flushEveryMs: config.shareViews.flushEverySeconds * 1000,
      flushAfterViews: config.shareViews.flushAfterViews,
    });
    const viewLimits = createShareViewLimits(rateLimitStore, config.limits.shareViews);
    const sharing = createSharingService({ db, shares, wallet: walletStore, views: shareViews, viewLimits });
    // The REST routes have no per-request loaders: they use services built once, which have nothing to clear.
    const identity = createIdentityService({ ...identityDeps, log: log.child({ module: 'identity' }) });
    const wallet = createWalletService({ ...walletDeps, log: log.child({ module: 'wallet' }) });
    const obApiStore = createObApiStore(db);
    const oauth = createOAuthServer({
      publicBaseUrl: config.publicBaseUrl,
      masterKey: config.masterKey,
      oauthStore: createOAuthStore(db),
      obApiStore,
      corsAllowedOrigins: config.corsAllowedOrigins,
    });
    const obApiRoutes = createObApiRoutes({
      publicBaseUrl: config.publicBaseUrl,
      maxBodyBytes: config.limits.maxRequestBytes,
      production: config.env === 'production',
      oauth,
      rateLimit: { store: rateLimitStore, limits: config.limits.oauth },
      identity,
      wallet,
      obApiStore,
      log: log.child({ module: 'ob-api' }),
    });
    const consumerLog = log.child({ consumer: WALLET_DELIVERY_CONSUMER });
    const walletDelivery = startConsumer(db, feed, walletDeliveryConsumer(store, consumerLog), consumerLog);
    const pathwayMail = createPathwayMailService({ identities: identityDeps.identities, notifications: createNotificationStore(), mailer, publicBaseUrl: config.publicBaseUrl });
    const pathwayMailLog = log.child({ consumer: PATHWAY_MAIL_CONSUMER });
    const pathwayMailing = startConsumer(db, feed, pathwayMailConsumer(pathwayMail, pathwayMailLog), pathwayMailLog);
    const pathwayCompletionsLog = log.child({ consumer: PATHWAY_COMPLETIONS_CONSUMER });
    const pathwayCompletions = startConsumer(db, feed, pathwayCompletionsConsumer(createPathwayCompletionStore(db), pathwayCompletionsLog), pathwayCompletionsLog);
    // Once after an upgrade, in the background: a failure is retried at the next start.
    const announcementLog = log.child({ module: 'identity-announcements' });
    const announcing = announceOlderIdentities(db, identityDeps.identities, announcementLog).catch((error: unknown) => announcementLog.error({ err: error }, 'older recipient identities not named; retried at the next start'));
    return {
      schema,
      createContext: (base): RecipientsContext => {
        // Services that clear loaders after a write are built per request, around this request's loaders.
        const loaders = createRecipientLoaders(store);
        return {
          ...base,
          store,
          walletStore,
          loaders,
          identity: createIdentityService({ ...identityDeps, loaders, log: base.log }),
          wallet: createWalletService({ ...walletDeps, loaders, log: base.log }),
          portfolios,
          sharing,
          publicBaseUrl: config.publicBaseUrl,
        };
      },
      routes: Router().use(obApiRoutes, createShareRoutes({ sharing, store, publicBaseUrl: config.publicBaseUrl })),
      close: async () => {
        // After the server has drained (start-subgraph closes it first), so no view arrives after this last append.
        await shareViews.close();
        await Promise.all([walletDelivery.stop(), pathwayMailing.stop(), pathwayCompletions.stop(), announcing]);
        await mailer.close();
        await rateLimitStore.close();
      },
    };
  },
};
