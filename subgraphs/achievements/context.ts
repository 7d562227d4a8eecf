import type { Db } from '../../lib/db/client.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { AchievementStore } from './db/store.js';
import type { AchievementLoaders } from './loaders.js';

export interface AchievementsContext extends RequestContext {
  db: Db;
  store: AchievementStore;
  loaders: AchievementLoaders;
  /** Where the hub is reachable from outside (`config.publicBaseUrl`): achievements' OB ids live under it. */
  publicBaseUrl: string;
}
