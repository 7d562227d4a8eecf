import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import type { AchievementsContext } from './context.js';
import { createAchievementStore } from './db/store.js';
import { resolveAchievementReference } from './graphql/achievement.reference.js';
import { AchievementResolver } from './graphql/achievement.resolver.js';
import { resolveIssuerReference } from './graphql/issuer.reference.js';
import { IssuerAchievementsResolver } from './graphql/issuer.resolver.js';
import { createAchievementLoaders } from './loaders.js';

/** Achievements: OB 3.0 achievement definitions (name, description, criteria) and each issuer's list of them. */
export const achievements: SubgraphModule = {
  name: 'achievements',
  async create({ database }) {
    const schema = await buildFederatedSchema({
      resolvers: [AchievementResolver, IssuerAchievementsResolver],
      references: {
        Achievement: { __resolveReference: resolveAchievementReference },
        Issuer: { __resolveReference: resolveIssuerReference },
      },
    });
    const store = createAchievementStore(database.db);
    return {
      schema,
      createContext: (base): AchievementsContext => ({
        ...base,
        db: database.db,
        store,
        loaders: createAchievementLoaders(store),
      }),
      close: async () => {},
    };
  },
};
