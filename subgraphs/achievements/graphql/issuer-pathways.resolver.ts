import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AchievementsContext } from '../context.js';
import { canReadVersion } from '../domain/visibility.js';
import { Issuer } from './issuer.entity.js';
import { Pathway } from './pathway.type.js';

@Resolver(() => Issuer)
export class IssuerPathwaysResolver {
  @FieldResolver(() => [Pathway], { description: 'The pathways this issuer defines, oldest first, at their current versions; drafts only for its members and operators.' })
  async pathways(@Root() issuer: Issuer, @Ctx() ctx: AchievementsContext) {
    const rows = await ctx.pathwayLoaders.pathwaysByIssuerId.load(issuer.id.toLowerCase());
    return rows.filter((row) => canReadVersion(ctx.viewer, row));
  }
}
