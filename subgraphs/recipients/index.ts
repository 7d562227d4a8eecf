import { startConsumer } from '../../lib/events/consumer.js';
import { createHubVerifier, hubFetch } from '../../lib/verify/hub-verifier.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { WALLET_DELIVERY_CONSUMER, walletDeliveryConsumer } from './consumers/wallet-delivery.js';
import type { RecipientsContext } from './context.js';
import { createRecipientStore } from './db/store.js';
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

/** Recipients: the people credentials are awarded to, the identities they are known by, and their wallets. */
export const recipients: SubgraphModule = {
  name: 'recipients',
  async create({ config, database, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [RecipientResolver, CredentialResolver, WalletResolver, PortfolioResolver, RecipientPortfoliosResolver],
      references: {
        Recipient: { __resolveReference: resolveRecipientReference },
        Credential: { __resolveReference: resolveCredentialReference },
      },
    });
    const store = createRecipientStore(database.db);
    const wallet = createWalletStore(database.db);
    // One verifier per service: it keeps imported keys, DID documents and status lists between imports.
    const verifier = await createHubVerifier({ config, log: log.child({ module: 'wallet-import' }) });
    const importCredential = createWalletImporter({ db: database.db, wallet, verifier, fetch: hubFetch(config) });
    const consumerLog = log.child({ consumer: WALLET_DELIVERY_CONSUMER });
    const walletDelivery = startConsumer(database.db, feed, walletDeliveryConsumer(store, consumerLog), consumerLog);
    return {
      schema,
      createContext: (base): RecipientsContext => ({
        ...base,
        db: database.db,
        store,
        wallet,
        importCredential,
        loaders: { ...createRecipientLoaders(store), ...createWalletLoaders(wallet) },
      }),
      close: () => walletDelivery.stop(),
    };
  },
};
