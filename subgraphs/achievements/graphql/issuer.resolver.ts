import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { AchievementsContext } from '../context.js';
import { achievementListFilter } from '../domain/visibility.js';
import { IssuerAchievementsArgs } from './achievement.inputs.js';
import { AchievementConnection } from './achievement.type.js';
import { Issuer } from './issuer.entity.js';

@Resolver(() => Issuer)
export class IssuerAchievementsResolver {
  @FieldResolver(() => AchievementConnection, {
    description: 'The achievements this issuer defines, oldest first, each at its current version. Drafts only for the issuer’s members and operators.',
  })
  async achievements(@Root() issuer: Issuer, @Args(() => IssuerAchievementsArgs) args: IssuerAchievementsArgs, @Ctx() ctx: AchievementsContext) {
    const request = toPageRequest(args);
    const filter = achievementListFilter(ctx.viewer, issuer.id, args.status);
    // A malformed issuer id has no page: it simply has no achievements.
    const page = await ctx.loaders.achievementsByIssuerId(filter).load({ parentId: issuer.id, request });
    for (const row of page.rows) ctx.loaders.achievementById.prime(row.id, row);
    return toConnection(page, request);
  }
}
