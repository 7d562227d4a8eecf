import type { RequestContext } from '../../lib/server/types.js';
import type { ProgressStore } from './db/progress-store.js';
import type { PathwayJobStore } from './db/pathway-job-store.js';
import type { AchievementStore } from './db/store.js';
import type { AchievementLoaders, PathwayLoaders } from './loaders.js';
import type { AchievementsService } from './services/achievements.js';
import type { PathwaysService } from './services/pathways.js';
import type { CandidatePathways } from './services/candidate-pathways.js';

export interface AchievementsContext extends RequestContext {
  store: AchievementStore;
  loaders: AchievementLoaders;
  /** Every write of this subgraph: the achievement lifecycle, built for this request (it clears its loaders). */
  achievements: AchievementsService;
  pathwayLoaders: PathwayLoaders;
  /** The pathway lifecycle and following, built for this request (it clears its loaders). */
  pathways: PathwaysService;
  /** An employer's view of a candidate's pathways (from the credentials a share or consent shows). */
  candidatePathways: CandidatePathways;
  /** Reads of progress for GraphQL (stats, following). */
  progressStore: ProgressStore;
  /** The pathway jobs' rows: a version's back-fill state, for stats. */
  jobStore: PathwayJobStore;
  /** Where the hub is reachable from outside (`config.publicBaseUrl`): achievements' OB ids live under it. */
  publicBaseUrl: string;
}
