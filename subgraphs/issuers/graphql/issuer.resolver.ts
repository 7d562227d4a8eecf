import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import { AppError } from '../../../lib/errors.js';
import { EventType } from '../../../lib/events/types.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { newId } from '../../../lib/ids.js';
import { PageArgs, toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { IssuersContext } from '../context.js';
import type { IssuerRow } from '../db/tables.js';
import { normaliseIssuerProfile } from '../domain/issuer-profile.js';
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
    const profile = normaliseIssuerProfile(input);
    if (input.parentIssuerId && !(await ctx.loaders.issuerById.load(input.parentIssuerId))) {
      throw new AppError('BAD_USER_INPUT', `parentIssuerId ${input.parentIssuerId} is not an issuer on this hub`, { field: 'parentIssuerId' });
    }
    const issuer = await ctx.db.transaction(async (tx) => {
      const row = await ctx.store.insert(tx, { id: newId(), ...profile, parentIssuerId: input.parentIssuerId ?? null, didMethod: input.didMethod ?? 'web' });
      await ctx.keyRing.addActiveKey(tx, row.id);
      await appendEvents(tx, [
        { type: EventType.ISSUER_CREATED, issuerId: row.id, payload: { issuerId: row.id, name: row.name, url: row.url } },
        await ctx.keyRing.keysChangedEvent(tx, row),
      ]);
      return row;
    });
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
