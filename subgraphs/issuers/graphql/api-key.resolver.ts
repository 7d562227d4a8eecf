import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { assertAuthenticated, assertIssuerAccess } from '../../../lib/auth/access.js';
import { createApiKey, findApiKey, revokeApiKey } from '../../../lib/auth/api-keys.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { IssuersContext } from '../context.js';
import { decideApiKeyGrant } from '../domain/api-key-grant.js';
import { ApiKey, CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyInput, RevokeApiKeyPayload } from './api-key.type.js';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized()
  @Mutation(() => CreateApiKeyPayload, { description: 'Creates an API key; the secret is in the payload and nowhere else, ever.' })
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: IssuersContext) {
    const member = input.memberId ? await ctx.members.find(input.memberId) : null;
    if (input.memberId && (!member || member.removedAt)) throw new NotFoundError('IssuerMember', input.memberId);
    if (member && (input.principal !== 'ISSUER' || (input.issuerId ?? member.issuerId) !== member.issuerId)) {
      throw new AppError('BAD_USER_INPUT', 'a member’s key is an ISSUER key for the member’s own issuer', { field: 'memberId' });
    }
    const grant = decideApiKeyGrant(ctx.viewer, member ? { ...input, issuerId: member.issuerId, role: member.role } : input, newId);
    const name = input.name.trim();
    if (!name) throw new AppError('BAD_USER_INPUT', 'name must not be empty', { field: 'name' });
    if (grant.principal === 'ISSUER' && !(await ctx.loaders.issuerById.load(grant.issuerId))) {
      throw new NotFoundError('Issuer', grant.issuerId);
    }
    assertAuthenticated(ctx.viewer);
    const created = await createApiKey(ctx.db, { name, grant, createdBy: ctx.viewer.apiKeyId, memberId: member?.id ?? null });
    ctx.log.info({ apiKeyId: created.row.id, principal: grant.principal }, 'api key created');
    return { apiKey: created.row, secret: created.secret };
  }

  @Authorized()
  @Mutation(() => RevokeApiKeyPayload, { description: 'Revokes a key at once; revoking twice is harmless.' })
  async revokeApiKey(@Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() ctx: IssuersContext) {
    const key = await findApiKey(ctx.db, input.id);
    if (!key) throw new NotFoundError('ApiKey', input.id);
    if (ctx.viewer.kind !== 'ADMIN') {
      // Members revoke their issuer's keys as OWNER; anyone may revoke the key they are using.
      if (!(ctx.viewer.kind !== 'ANONYMOUS' && ctx.viewer.apiKeyId === key.id)) {
        if (!key.issuerId) throw new NotFoundError('ApiKey', input.id);
        assertIssuerAccess(ctx.viewer, key.issuerId, 'OWNER');
      }
    }
    const revoked = await revokeApiKey(ctx.db, key.id);
    ctx.log.info({ apiKeyId: key.id }, 'api key revoked');
    return { apiKey: revoked };
  }
}
