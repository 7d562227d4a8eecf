import { startConsumer } from '../../lib/events/consumer.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import { WALLET_DELIVERY_CONSUMER, walletDeliveryConsumer } from './consumers/wallet-delivery.js';
import type { RecipientsContext } from './context.js';
import { createRecipientStore } from './db/store.js';
import { resolveCredentialReference } from './graphql/credential.reference.js';
import { CredentialResolver } from './graphql/credential.resolver.js';
import { resolveRecipientReference } from './graphql/recipient.reference.js';
import { RecipientResolver } from './graphql/recipient.resolver.js';
import { createRecipientLoaders } from './loaders.js';

/** Recipients: the people credentials are awarded to, the identities they are known by, and their wallets. */
export const recipients: SubgraphModule = {
  name: 'recipients',
  async create({ database, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [RecipientResolver, CredentialResolver],
      references: {
        Recipient: { __resolveReference: resolveRecipientReference },
        Credential: { __resolveReference: resolveCredentialReference },
      },
    });
    const store = createRecipientStore(database.db);
    const consumerLog = log.child({ consumer: WALLET_DELIVERY_CONSUMER });
    const walletDelivery = startConsumer(database.db, feed, walletDeliveryConsumer(store, consumerLog), consumerLog);
    return {
      schema,
      createContext: (base): RecipientsContext => ({ ...base, db: database.db, store, loaders: createRecipientLoaders(store) }),
      close: () => walletDelivery.stop(),
    };
  },
};
