import type { Db } from '../../lib/db/client.js';
import type { RequestContext } from '../../lib/server/types.js';
import type { AchievementStore } from './db/store.js';
import type { AchievementLoaders } from './loaders.js';

export interface AchievementsContext extends RequestContext {
  db: Db;
  store: AchievementStore;
  loaders: AchievementLoaders;
}
