import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import type { IssuersContext } from './context.js';
import { createKeyStore } from './db/key-store.js';
import { createIssuerStore } from './db/store.js';
import { KeyRing } from './issuance/key-ring.js';
import { createIssuerRoutes } from './rest/routes.js';
import { ApiKeyResolver } from './graphql/api-key.resolver.js';
import { resolveIssuerReference } from './graphql/issuer.reference.js';
import { IssuerResolver } from './graphql/issuer.resolver.js';
import { SigningKeyResolver } from './graphql/signing-key.resolver.js';
import { ViewerResolver } from './graphql/viewer.resolver.js';
import { createIssuerLoaders } from './loaders.js';

/** Issuers: issuer profiles, API keys and (later) signing keys, issuance and revocation. */
export const issuers: SubgraphModule = {
  name: 'issuers',
  async create({ database, config }) {
    const schema = await buildFederatedSchema({
      resolvers: [IssuerResolver, SigningKeyResolver, ApiKeyResolver, ViewerResolver],
      references: { Issuer: { __resolveReference: resolveIssuerReference } },
    });
    const store = createIssuerStore(database.db);
    const keys = createKeyStore(database.db);
    const keyRing = new KeyRing(keys, config.masterKey, config.publicBaseUrl);
    return {
      schema,
      routes: createIssuerRoutes({ store, keyRing }),
      createContext: (base): IssuersContext => ({
        ...base,
        db: database.db,
        store,
        keyRing,
        loaders: createIssuerLoaders({ store, keys, db: database.db }),
      }),
      close: async () => {},
    };
  },
};
