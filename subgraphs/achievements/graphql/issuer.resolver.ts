import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { AchievementsContext } from '../context.js';
import { AchievementConnection } from './achievement.type.js';
import { Issuer } from './issuer.entity.js';

@Resolver(() => Issuer)
export class IssuerAchievementsResolver {
  @FieldResolver(() => AchievementConnection, { description: 'The achievements this issuer defines, oldest first.' })
  async achievements(@Root() issuer: Issuer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AchievementsContext) {
    const request = toPageRequest(args);
    // A malformed issuer id has no page: it simply has no achievements.
    const page = await ctx.loaders.achievementsByIssuerId.load({ parentId: issuer.id, request });
    for (const row of page.rows) ctx.loaders.achievementById.prime(row.id, row);
    return toConnection(page, request);
  }
}
