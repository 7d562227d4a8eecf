import type { RequestContext } from '../../lib/server/types.js';
import type { AchievementStore } from './db/store.js';
import type { AchievementLoaders } from './loaders.js';
import type { AchievementsService } from './services/achievements.js';

export interface AchievementsContext extends RequestContext {
  store: AchievementStore;
  loaders: AchievementLoaders;
  /** Every write of this subgraph: the achievement lifecycle, built for this request (it clears its loaders). */
  achievements: AchievementsService;
  /** Where the hub is reachable from outside (`config.publicBaseUrl`): achievements' OB ids live under it. */
  publicBaseUrl: string;
}
