import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import { updateMemberKeys } from '../../../lib/auth/api-keys.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { IssuersContext } from '../context.js';
import type { IssuerRow, MemberRow } from '../db/tables.js';
import { assertKeepsAnOwner, normaliseMember } from '../domain/members.js';
import { Issuer } from './issuer.type.js';
import { AddMemberInput, IssuerMember, MemberPayload, RemoveMemberInput, UpdateMemberInput } from './member.type.js';

async function memberForOwner(ctx: IssuersContext, id: string): Promise<MemberRow> {
  const member = await ctx.members.find(id);
  if (!member || member.removedAt) throw new NotFoundError('IssuerMember', id);
  assertIssuerAccess(ctx.viewer, member.issuerId, 'OWNER');
  return member;
}

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
    assertIssuerAccess(ctx.viewer, input.issuerId, 'OWNER');
    if (!(await ctx.loaders.issuerById.load(input.issuerId))) throw new NotFoundError('Issuer', input.issuerId);
    const member = normaliseMember(input);
    try {
      return { member: await ctx.db.transaction((tx) => ctx.members.insert(tx, { id: newId(), issuerId: input.issuerId, ...member })) };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new AppError('CONFLICT', `${member.email} is already a member of this issuer`, { field: 'email' });
    }
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => MemberPayload, { description: 'Changes a member’s role; their API keys take the new role at once.' })
  async updateMember(@Arg('input', () => UpdateMemberInput) input: UpdateMemberInput, @Ctx() ctx: IssuersContext) {
    const member = await memberForOwner(ctx, input.id);
    const updated = await ctx.db.transaction(async (tx) => {
      await ctx.members.lockActive(tx, member.issuerId);
      assertKeepsAnOwner(member, input.role, await ctx.members.countOtherOwners(tx, member.issuerId, member.id));
      await updateMemberKeys(tx, member.id, { role: input.role });
      return ctx.members.update(tx, member.id, { role: input.role });
    });
    return { member: updated };
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => MemberPayload, { description: 'Removes a member and revokes every API key they hold.' })
  async removeMember(@Arg('input', () => RemoveMemberInput) input: RemoveMemberInput, @Ctx() ctx: IssuersContext) {
    const member = await memberForOwner(ctx, input.id);
    const removed = await ctx.db.transaction(async (tx) => {
      await ctx.members.lockActive(tx, member.issuerId);
      assertKeepsAnOwner(member, null, await ctx.members.countOtherOwners(tx, member.issuerId, member.id));
      await updateMemberKeys(tx, member.id, { revoke: true });
      return ctx.members.update(tx, member.id, { removed: true });
    });
    return { member: removed };
  }
}
