import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { AchievementsContext } from '../context.js';
import { Skill, SkillConnection, SkillsArgs } from './skill.type.js';

@Resolver(() => Skill)
export class SkillResolver {
  @Query(() => Skill, { nullable: true, description: 'A skill, shared by every issuer’s achievements.' })
  skill(@Arg('id', () => ID) id: string, @Ctx() ctx: AchievementsContext) {
    return ctx.loaders.skillById.load(id);
  }

  @Query(() => SkillConnection, { description: 'The skills achievements on this hub refer to, oldest first.' })
  async skills(@Args(() => SkillsArgs) args: SkillsArgs, @Ctx() ctx: AchievementsContext) {
    const request = toPageRequest(args);
    const page = await ctx.store.pageSkills(request, { framework: args.framework, search: args.search });
    for (const row of page.rows) ctx.loaders.skillById.prime(row.id, row);
    return toConnection(page, request);
  }
}
