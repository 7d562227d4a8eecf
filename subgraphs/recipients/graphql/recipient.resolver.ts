import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { RecipientsContext } from '../context.js';
import { assertCanReadRecipient } from '../domain/access.js';
import { CredentialConnection } from './credential.type.js';
import {
  CreateRecipientInput,
  CreateRecipientPayload,
  Recipient,
  RecipientConnection,
  RecipientIdentity,
} from './recipient.type.js';

@Resolver(() => Recipient)
export class RecipientResolver {
  @Query(() => Recipient, { nullable: true, description: 'A recipient: operators see anyone, a recipient key sees only itself.' })
  recipient(@Arg('id', () => ID) id: string, @Ctx() ctx: RecipientsContext) {
    // Checked before loading, so a refusal says nothing about whether the recipient exists.
    assertCanReadRecipient(ctx.viewer, id);
    return ctx.loaders.recipientById.load(id);
  }

  @Authorized('ADMIN')
  @Query(() => RecipientConnection, { description: 'Every recipient on this hub, oldest first (operators only).' })
  async recipients(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RecipientsContext) {
    const request = toPageRequest(args);
    const page = await ctx.store.pageRecipients(request);
    for (const row of page.rows) ctx.loaders.recipientById.prime(row.id, row);
    return toConnection(page, request);
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => CreateRecipientPayload, {
    description:
      'Registers a person by their identities (operators and issuers). CONFLICT names the recipient who already holds an identity.',
  })
  async createRecipient(@Arg('input', () => CreateRecipientInput) input: CreateRecipientInput, @Ctx() ctx: RecipientsContext) {
    return { recipient: await ctx.identity.createRecipient(ctx.viewer, input) };
  }

  @FieldResolver(() => [RecipientIdentity])
  identities(@Root() recipient: Recipient, @Ctx() ctx: RecipientsContext) {
    return ctx.loaders.identitiesByRecipientId.load(recipient.id);
  }

  @FieldResolver(() => CredentialConnection, { description: 'The wallet: every credential this recipient holds, oldest first.' })
  async credentials(@Root() recipient: Recipient, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RecipientsContext) {
    const request = toPageRequest(args);
    const page = await ctx.loaders.credentialsByRecipientId.load({ parentId: recipient.id, request });
    for (const row of page.rows) ctx.loaders.credentialById.prime(row.id, row);
    return toConnection(page, request);
  }
}
