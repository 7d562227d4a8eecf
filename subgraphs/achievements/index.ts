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
import { createAchievementLoaders, createPathwayLoaders } from './loaders.js';
import { startConsumer } from '../../lib/events/consumer.js';
import { pathwayProgressConsumer } from './consumers/pathway-progress.js';
import { createPathwayStore } from './db/pathway-store.js';
import { createProgressStore } from './db/progress-store.js';
import { IssuerPathwaysResolver } from './graphql/issuer-pathways.resolver.js';
import { findPathway, PathwayAwardResolver, PathwayProgressResolver, PathwayResolver, RequirementNodeResolver } from './graphql/pathway.resolver.js';
import { EuProfilePathwaysResolver } from './graphql/eu-profile.resolver.js';
import { Recipient } from './graphql/recipient.entity.js';
import { CandidateView } from './graphql/candidate-view.entity.js';
import { CandidatePathwaysResolver, resolveCandidateViewReference } from './graphql/candidate-pathways.resolver.js';
import { createCandidatePathways } from './services/candidate-pathways.js';
import { RecipientPathwaysResolver, resolveRecipientReference } from './graphql/recipient.resolver.js';
import { createPathwayProgressService } from './services/pathway-progress.js';
import { createPathwaysService } from './services/pathways.js';
import { createPublishedPathways } from './services/published-pathways.js';
import { startExpirySweep } from './workers/expiry-sweep.js';
import { startPathwayJobs } from './workers/pathway-jobs.js';
import { createPathwayJobStore } from './db/pathway-job-store.js';
import { createPathwayJobs } from './services/pathway-jobs.js';
import { createAchievementRoutes } from './rest/routes.js';
import { createAchievementsService } from './services/achievements.js';
import { createPublishedAchievements } from './services/published-achievements.js';

/**
 * Achievements: OB 3.0 achievement definitions with versions (draft → published → archived), their evidence
 * rules, the shared skills they develop, and each issuer's list of them; pathways (stackable credentials) with
 * recipients' progress on them, projected from credential events, and their awards.
 */
export const achievements: SubgraphModule = {
  name: 'achievements',
  async create({ config, database, feed, log }) {
    const schema = await buildFederatedSchema({
      resolvers: [
        AchievementResolver,
        AchievementLifecycleResolver,
        SkillResolver,
        IssuerAchievementsResolver,
        PathwayResolver,
        EuProfilePathwaysResolver,
        RequirementNodeResolver,
        PathwayAwardResolver,
        PathwayProgressResolver,
        IssuerPathwaysResolver,
        RecipientPathwaysResolver,
        CandidatePathwaysResolver,
      ],
      // Nothing here returns a Recipient; it is in the schema for the fields this subgraph adds to it.
      orphanedTypes: [Recipient, CandidateView],
      references: {
        Achievement: { __resolveReference: resolveAchievementReference },
        Skill: { __resolveReference: resolveSkillReference },
        Issuer: { __resolveReference: resolveIssuerReference },
        Pathway: { __resolveReference: (reference: { id: string }, ctx: AchievementsContext) => findPathway(ctx, reference) },
        Recipient: { __resolveReference: resolveRecipientReference },
        CandidateView: { __resolveReference: resolveCandidateViewReference },
      },
    });
    const store = createAchievementStore(database.db);
    const pathwayStore = createPathwayStore(database.db);
    const progressStore = createProgressStore(database.db);
    const projection = createPathwayProgressService({ db: database.db, progress: progressStore, log: log.child({ service: 'pathway-progress' }) });
    const progressConsumer = pathwayProgressConsumer(projection, log);
    const pathwayProgress = startConsumer(database.db, feed, progressConsumer, log.child({ consumer: progressConsumer.name }));
    const candidatePathways = createCandidatePathways({ progress: progressStore, pathways: pathwayStore });
    const expirySweep = startExpirySweep(projection, log.child({ worker: 'pathway-expiry' }));
    const jobStore = createPathwayJobStore(database.db);
    const pathwayJobs = startPathwayJobs(
      createPathwayJobs({ db: database.db, jobs: jobStore, pathways: pathwayStore, progress: projection, log: log.child({ service: 'pathway-jobs' }) }),
      log.child({ worker: 'pathway-jobs' }),
      { enabled: config.pathwayJobsWorker },
    );
    return {
      schema,
      routes: createAchievementRoutes({
        published: createPublishedAchievements({ db: database.db, store, publicBaseUrl: config.publicBaseUrl }),
        pathways: createPublishedPathways({ pathways: pathwayStore, achievements: store, publicBaseUrl: config.publicBaseUrl }),
      }),
      createContext: (base): AchievementsContext => {
        const loaders = createAchievementLoaders(store);
        const achievements = createAchievementsService({ db: database.db, store, loaders, publicBaseUrl: config.publicBaseUrl, log: base.log });
        const pathwayLoaders = createPathwayLoaders(pathwayStore, progressStore);
        const pathways = createPathwaysService({
          db: database.db,
          pathways: pathwayStore,
          progress: progressStore,
          jobs: jobStore,
          backfillQueued: pathwayJobs.wake,
          log: base.log,
          forget: (id) => {
            pathwayLoaders.pathwayById.clear(id);
            pathwayLoaders.versionsByPathwayId.clear(id);
          },
        });
        return { ...base, store, loaders, achievements, pathwayLoaders, pathways, progressStore, jobStore, candidatePathways, publicBaseUrl: config.publicBaseUrl };
      },
      close: async () => {
        await expirySweep.stop();
        await pathwayJobs.stop();
        await pathwayProgress.stop();
      },
    };
  },
};
