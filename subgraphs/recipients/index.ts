import { Router } from 'express';
import { startConsumer } from '../../lib/events/consumer.js';
import { createHubVerifier, hubFetch } from '../../lib/verify/hub-verifier.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { WALLET_DELIVERY_CONSUMER, walletDeliveryConsumer } from './consumers/wallet-delivery.js';
import type { RecipientsContext } from './context.js';
import { createRecipientStore } from './db/store.js';
import { createIdentityStore } from './db/identity-store.js';
import { deriveCodeKey } from './domain/email-code.js';
import { IdentityResolver } from './graphql/identity.resolver.js';
import { SignInResolver } from './graphql/sign-in.resolver.js';
import { createIdentityLoaders } from './identity/loaders.js';
import { createIdentityService } from './identity/service.js';
import { createMailer } from '../../lib/mail/mailer.js';
import { createWalletStore } from './db/wallet-store.js';
import { resolveCredentialReference } from './graphql/credential.reference.js';
import { CredentialResolver } from './graphql/credential.resolver.js';
import { resolveRecipientReference } from './graphql/recipient.reference.js';
import { RecipientResolver } from './graphql/recipient.resolver.js';
import { PortfolioResolver, RecipientPortfoliosResolver } from './graphql/portfolio.resolver.js';
import { WalletResolver } from './graphql/wallet.resolver.js';
import { createRecipientLoaders } from './loaders.js';
import { createWalletImporter } from './wallet-import.js';
import { createWalletLoaders } from './wallet-loaders.js';
import { createObApiStore } from './db/ob-api-store.js';
import { createOAuthStore } from './db/oauth-store.js';
import { createOAuthServer } from './ob-api/oauth-server.js';
import { createObApiRoutes } from './ob-api/routes.js';
import { createShareStore } from './db/share-store.js';
import { CandidateViewResolver, StackedSkillResolver } from './graphql/candidate-view.resolver.js';
import { CredentialSharingResolver } from './graphql/credential-sharing.resolver.js';
import { RecipientSharingResolver, ShareResolver } from './graphql/share.resolver.js';
import { createShareRoutes } from './rest/share-routes.js';
import { createSharingService } from './sharing/service.js';
import { createSharingLoaders } from './sharing/loaders.js';
import { resolveStackedSkillReference } from './graphql/stacked-skill.reference.js';

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
      },
    });
    const store = createRecipientStore(database.db);
    const shares = createShareStore(database.db);
    const mailer = createMailer(config.mail, log.child({ module: 'mail' }));
    const identity = createIdentityService({
      db: database.db,
      store,
      identities: createIdentityStore(),
      mailer,
      codeKey: deriveCodeKey(config.masterKey),
      log: log.child({ module: 'identity' }),
      // Shares and consents are the person's, so a merge hands them to the survivor.
      mergeSteps: [(tx, merge) => shares.moveToSurvivor(tx, merge)],
    });
    const wallet = createWalletStore(database.db);
    const sharing = createSharingService({ db: database.db, shares, wallet });
    // One verifier per service: it keeps imported keys, DID documents and status lists between imports.
    const verifier = await createHubVerifier({ config, log: log.child({ module: 'wallet-import' }) });
    const importCredential = createWalletImporter({ db: database.db, wallet, verifier, fetch: hubFetch(config) });
    const obApiStore = createObApiStore(database.db);
    const oauth = createOAuthServer({ publicBaseUrl: config.publicBaseUrl, masterKey: config.masterKey, oauthStore: createOAuthStore(database.db), obApiStore });
    const obApiRoutes = createObApiRoutes({
      publicBaseUrl: config.publicBaseUrl,
      maxBodyBytes: config.limits.maxRequestBytes,
      production: config.env === 'production',
      oauth,
      identity,
      obApiStore,
      importCredential,
      log: log.child({ module: 'ob-api' }),
    });
    const consumerLog = log.child({ consumer: WALLET_DELIVERY_CONSUMER });
    const walletDelivery = startConsumer(database.db, feed, walletDeliveryConsumer(store, consumerLog), consumerLog);
    return {
      schema,
      createContext: (base): RecipientsContext => ({
        ...base,
        db: database.db,
        store,
        identity,
        identityLoaders: createIdentityLoaders(database.db),
        wallet,
        importCredential,
        sharing,
        publicBaseUrl: config.publicBaseUrl,
        loaders: { ...createRecipientLoaders(store), ...createWalletLoaders(wallet), ...createSharingLoaders(shares) },
      }),
      routes: Router().use(obApiRoutes, createShareRoutes({ sharing, store, publicBaseUrl: config.publicBaseUrl })),
      close: async () => {
        await walletDelivery.stop();
        await mailer.close();
      },
    };
  },
};
