import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AchievementsContext } from '../context.js';
import type { PathwayView } from '../db/pathway-tables.js';
import { EuProfile } from './achievement.type.js';
import { Pathway } from './pathway.type.js';

@Resolver(() => EuProfile)
export class EuProfilePathwaysResolver {
  @FieldResolver(() => [Pathway], {
    description:
      'The Council element "integration/stackability": the published pathways of this hub that count this achievement towards a larger credential (their award), whoever issues them.',
  })
  stacksInto(@Root() profile: EuProfile, @Ctx() ctx: AchievementsContext): Promise<PathwayView[]> {
    return ctx.pathwayLoaders.publishedPathwaysByAchievementId.load(profile.achievementId);
  }
}
