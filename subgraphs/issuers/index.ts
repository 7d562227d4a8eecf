import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import type { IssuersContext } from './context.js';
import { createIssuerStore } from './db/store.js';
import { ApiKeyResolver } from './graphql/api-key.resolver.js';
import { resolveIssuerReference } from './graphql/issuer.reference.js';
import { IssuerResolver } from './graphql/issuer.resolver.js';
import { ViewerResolver } from './graphql/viewer.resolver.js';
import { createIssuerLoaders } from './loaders.js';

/** Issuers: issuer profiles, API keys and (later) signing keys, issuance and revocation. */
export const issuers: SubgraphModule = {
  name: 'issuers',
  async create({ database }) {
    const schema = await buildFederatedSchema({
      resolvers: [IssuerResolver, ApiKeyResolver, ViewerResolver],
      references: { Issuer: { __resolveReference: resolveIssuerReference } },
    });
    const store = createIssuerStore(database.db);
    return {
      schema,
      createContext: (base): IssuersContext => ({ ...base, db: database.db, store, loaders: createIssuerLoaders(store, database.db) }),
      close: async () => {},
    };
  },
};
