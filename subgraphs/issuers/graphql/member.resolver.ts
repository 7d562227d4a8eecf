import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { IssuersContext } from '../context.js';
import type { IssuerRow } from '../db/tables.js';
import { Issuer } from './issuer.type.js';
import { AddMemberInput, IssuerMember, MemberPayload, RemoveMemberInput, UpdateMemberInput } from './member.type.js';

@Resolver(() => Issuer)
export class MemberResolver {
  @FieldResolver(() => [IssuerMember], { nullable: true, description: 'The issuer’s members (its own members and operators only; null with an error for anyone else).' })
  async members(@Root() issuer: IssuerRow, @Ctx() ctx: IssuersContext) {
    assertIssuerAccess(ctx.viewer, issuer.id);
    return ctx.loaders.membersByIssuerId.load(issuer.id);
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => MemberPayload, { description: 'Adds a person to an issuer (owners only).' })
  async addMember(@Arg('input', () => AddMemberInput) input: AddMemberInput, @Ctx() ctx: IssuersContext) {
    return { member: await ctx.services.members.addMember(ctx.viewer, input) };
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => MemberPayload, { description: 'Changes a member’s role; their API keys take the new role at once.' })
  async updateMember(@Arg('input', () => UpdateMemberInput) input: UpdateMemberInput, @Ctx() ctx: IssuersContext) {
    return { member: await ctx.services.members.updateMember(ctx.viewer, input) };
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => MemberPayload, { description: 'Removes a member and revokes every API key they hold.' })
  async removeMember(@Arg('input', () => RemoveMemberInput) input: RemoveMemberInput, @Ctx() ctx: IssuersContext) {
    return { member: await ctx.services.members.removeMember(ctx.viewer, input) };
  }
}
