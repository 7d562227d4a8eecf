import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import { PageArgs, toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { IssuersContext } from '../context.js';
import type { IssuerRow } from '../db/tables.js';
import { ApiKeyConnection } from './api-key.type.js';
import { CreateIssuerInput, CreateIssuerPayload, Issuer, IssuerConnection } from './issuer.type.js';

@Resolver(() => Issuer)
export class IssuerResolver {
  @Query(() => Issuer, { nullable: true, description: 'An issuer’s public profile.' })
  issuer(@Arg('id', () => ID) id: string, @Ctx() ctx: IssuersContext) {
    return ctx.loaders.issuerById.load(id);
  }

  @Query(() => IssuerConnection, { description: 'Every issuer on this hub, oldest first.' })
  async issuers(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: IssuersContext) {
    const request = toPageRequest(args);
    const page = await ctx.store.page(request);
    for (const row of page.rows) ctx.loaders.issuerById.prime(row.id, row);
    return toConnection(page, request);
  }

  @Authorized('ADMIN')
  @Mutation(() => CreateIssuerPayload, { description: 'Registers an issuer (operators only).' })
  async createIssuer(@Arg('input', () => CreateIssuerInput) input: CreateIssuerInput, @Ctx() ctx: IssuersContext) {
    const issuer = await ctx.services.issuers.createIssuer(input);
    ctx.log.info({ issuerId: issuer.id }, 'issuer created');
    return { issuer };
  }

  @FieldResolver(() => Issuer, { nullable: true, description: 'The parent organisation (OB parentOrg).' })
  parentOrg(@Root() issuer: IssuerRow, @Ctx() ctx: IssuersContext) {
    return issuer.parentIssuerId ? ctx.loaders.issuerById.load(issuer.parentIssuerId) : null;
  }

  @FieldResolver(() => ApiKeyConnection, { nullable: true, description: 'The issuer’s API keys (members of this issuer only; null with an error for anyone else).' })
  async apiKeys(@Root() issuer: Issuer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: IssuersContext) {
    assertIssuerAccess(ctx.viewer, issuer.id, 'OWNER');
    const request = toPageRequest(args);
    const page = await ctx.loaders.apiKeysByIssuerId.load({ parentId: issuer.id, request });
    return toConnection(page, request);
  }
}
