import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { SubgraphModule } from '../../lib/server/types.js';
import type { AchievementsContext } from './context.js';
import { createAchievementStore } from './db/store.js';
import { AchievementLifecycleResolver } from './graphql/achievement-lifecycle.resolver.js';
import { resolveAchievementReference } from './graphql/achievement.reference.js';
import { AchievementResolver } from './graphql/achievement.resolver.js';
import { resolveIssuerReference } from './graphql/issuer.reference.js';
import { IssuerAchievementsResolver } from './graphql/issuer.resolver.js';
import { resolveSkillReference } from './graphql/skill.reference.js';
import { SkillResolver } from './graphql/skill.resolver.js';
import { createAchievementLoaders } from './loaders.js';
import { createAchievementRoutes } from './rest/routes.js';
import { createAchievementsService } from './services/achievements.js';
import { createPublishedAchievements } from './services/published-achievements.js';

/**
 * Achievements: OB 3.0 achievement definitions with versions (draft → published → archived), their evidence
 * rules, the shared skills they develop, and each issuer's list of them.
 */
export const achievements: SubgraphModule = {
  name: 'achievements',
  async create({ config, database }) {
    const schema = await buildFederatedSchema({
      resolvers: [AchievementResolver, AchievementLifecycleResolver, SkillResolver, IssuerAchievementsResolver],
      references: {
        Achievement: { __resolveReference: resolveAchievementReference },
        Skill: { __resolveReference: resolveSkillReference },
        Issuer: { __resolveReference: resolveIssuerReference },
      },
    });
    const store = createAchievementStore(database.db);
    return {
      schema,
      routes: createAchievementRoutes({ published: createPublishedAchievements({ db: database.db, store, publicBaseUrl: config.publicBaseUrl }) }),
      createContext: (base): AchievementsContext => {
        const loaders = createAchievementLoaders(store);
        const achievements = createAchievementsService({ db: database.db, store, loaders, publicBaseUrl: config.publicBaseUrl, log: base.log });
        return { ...base, store, loaders, achievements, publicBaseUrl: config.publicBaseUrl };
      },
      close: async () => {},
    };
  },
};
