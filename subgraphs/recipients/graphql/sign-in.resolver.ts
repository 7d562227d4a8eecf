import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { ApiKeyRow } from '../../../lib/auth/tables.js';
import { NotFoundError } from '../../../lib/errors.js';
import type { RecipientsContext } from '../context.js';
import { assertCanReadRecipient } from '../domain/access.js';
import { Recipient } from './recipient.type.js';
import {
  AccessToken,
  CreatePersonalTokenInput,
  CreatePersonalTokenPayload,
  EmailCodeInput,
  RequestCodeInput,
  RequestCodePayload,
  RevokeAccessTokenInput,
  RevokeAccessTokenPayload,
  SignInPayload,
  SignOutPayload,
} from './sign-in.type.js';

/** Public-facing view of a key row: never the hash. */
export const toAccessToken = (row: ApiKeyRow): AccessToken => ({
  id: row.id,
  name: row.name,
  kind: row.kind === 'SESSION' ? ('SESSION' as AccessToken['kind']) : ('PERSONAL_TOKEN' as AccessToken['kind']),
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
});

async function loadRecipient(ctx: RecipientsContext, id: string) {
  const recipient = await ctx.loaders.recipientById.load(id);
  if (!recipient) throw new NotFoundError('Recipient', id);
  return recipient;
}

@Resolver(() => Recipient)
export class SignInResolver {
  @Mutation(() => RequestCodePayload, { description: 'Mails a one-time sign-in code. Public; the same answer for known and unknown addresses.' })
  requestSignInCode(@Arg('input', () => RequestCodeInput) input: RequestCodeInput, @Ctx() ctx: RecipientsContext) {
    return ctx.identity.requestSignInCode(input.email, ctx.clientAddress);
  }

  @Mutation(() => SignInPayload, { description: 'Trades the mailed code for a 12-hour session token. A first sign-in creates the recipient.' })
  async signIn(@Arg('input', () => EmailCodeInput) input: EmailCodeInput, @Ctx() ctx: RecipientsContext) {
    const signedIn = await ctx.identity.signIn(input.email, input.code, ctx.clientAddress);
    return { token: signedIn.token, session: toAccessToken(signedIn.session), recipient: await loadRecipient(ctx, signedIn.recipientId) };
  }

  @Mutation(() => SignOutPayload, { description: 'Revokes the session (or personal token) this request came with.' })
  async signOut(@Ctx() ctx: RecipientsContext) {
    return { revoked: (await ctx.identity.signOut(ctx.viewer)) !== null };
  }

  @Mutation(() => RevokeAccessTokenPayload, { description: 'Revokes one of your sessions, e.g. on a lost device.' })
  async revokeSession(@Arg('input', () => RevokeAccessTokenInput) input: RevokeAccessTokenInput, @Ctx() ctx: RecipientsContext) {
    return { token: toAccessToken(await ctx.identity.revokeToken(ctx.viewer, input.id)) };
  }

  @Mutation(() => CreatePersonalTokenPayload, { description: 'A token for your own scripts, acting as you. Shown once.' })
  async createPersonalToken(@Arg('input', () => CreatePersonalTokenInput) input: CreatePersonalTokenInput, @Ctx() ctx: RecipientsContext) {
    const created = await ctx.identity.createPersonalToken(ctx.viewer, input);
    return { token: toAccessToken(created.row), secret: created.secret };
  }

  @Mutation(() => RevokeAccessTokenPayload)
  async revokePersonalToken(@Arg('input', () => RevokeAccessTokenInput) input: RevokeAccessTokenInput, @Ctx() ctx: RecipientsContext) {
    return { token: toAccessToken(await ctx.identity.revokeToken(ctx.viewer, input.id)) };
  }

  @FieldResolver(() => [AccessToken], { description: 'Sessions and personal tokens that still work (the recipient and operators only).' })
  async accessTokens(@Root() recipient: Recipient, @Ctx() ctx: RecipientsContext) {
    assertCanReadRecipient(ctx.viewer, recipient.id);
    return (await ctx.loaders.accessTokensByRecipientId.load(recipient.id)).map(toAccessToken);
  }
}
