import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { IssuersContext } from '../context.js';
import { ApiKey, CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyInput, RevokeApiKeyPayload } from './api-key.type.js';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized()
  @Mutation(() => CreateApiKeyPayload, { description: 'Creates an API key; the secret is in the payload and nowhere else, ever.' })
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: IssuersContext) {
    const created = await ctx.services.members.createApiKey(ctx.viewer, input);
    ctx.log.info({ apiKeyId: created.row.id, principal: created.row.principal }, 'api key created');
    return { apiKey: created.row, secret: created.secret };
  }

  @Authorized()
  @Mutation(() => RevokeApiKeyPayload, { description: 'Revokes a key at once; revoking twice is harmless.' })
  async revokeApiKey(@Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() ctx: IssuersContext) {
    const revoked = await ctx.services.members.revokeApiKey(ctx.viewer, input.id);
    ctx.log.info({ apiKeyId: input.id }, 'api key revoked');
    return { apiKey: revoked };
  }
}
