import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import { EventType } from '../../../lib/events/types.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { newId } from '../../../lib/ids.js';
import type { AchievementsContext } from '../context.js';
import type { AchievementRow } from '../db/tables.js';
import { normaliseAchievementDefinition } from '../domain/achievement-definition.js';
import { Achievement, CreateAchievementInput, CreateAchievementPayload, Criteria } from './achievement.type.js';
import { Issuer } from './issuer.entity.js';

@Resolver(() => Achievement)
export class AchievementResolver {
  @Query(() => Achievement, { nullable: true, description: 'An achievement’s public definition.' })
  achievement(@Arg('id', () => ID) id: string, @Ctx() ctx: AchievementsContext) {
    return ctx.loaders.achievementById.load(id);
  }

  @Authorized()
  @Mutation(() => CreateAchievementPayload, { description: 'Defines an achievement (operators, or the issuer’s members with the ISSUER role).' })
  async createAchievement(@Arg('input', () => CreateAchievementInput) input: CreateAchievementInput, @Ctx() ctx: AchievementsContext) {
    // Before validation, so a caller who may not write here learns nothing from the error.
    assertIssuerAccess(ctx.viewer, input.issuerId, 'ISSUER');
    const definition = normaliseAchievementDefinition(input);
    const achievement = await ctx.db.transaction(async (tx) => {
      const row = await ctx.store.insert(tx, { id: newId(), ...definition });
      await appendEvents(tx, [
        {
          type: EventType.ACHIEVEMENT_CREATED,
          issuerId: row.issuerId,
          payload: { achievementId: row.id, issuerId: row.issuerId, name: row.name },
        },
      ]);
      return row;
    });
    ctx.loaders.achievementById.prime(achievement.id, achievement);
    ctx.log.info({ achievementId: achievement.id, issuerId: achievement.issuerId }, 'achievement created');
    return { achievement };
  }

  @FieldResolver(() => Criteria)
  criteria(@Root() achievement: AchievementRow): Criteria {
    return { id: achievement.criteriaUrl, narrative: achievement.criteriaNarrative };
  }

  @FieldResolver(() => Issuer)
  issuer(@Root() achievement: AchievementRow): Issuer {
    // A reference for the gateway to resolve in the issuers subgraph.
    return { id: achievement.issuerId };
  }
}
