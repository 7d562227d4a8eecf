import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { NotFoundError } from '../../../lib/errors.js';
import type { RecipientsContext } from '../context.js';
import { Recipient } from './recipient.type.js';
import {
  AddIdentityInput,
  EmailCodeInput,
  MergeRecipientsInput,
  MergeRecipientsPayload,
  RecipientIdentityPayload,
  RequestCodeInput,
  RequestCodePayload,
} from './sign-in.type.js';

/** The recipient as the write left it (the identity service cleared what this request had read before). */
async function loadRecipient(ctx: RecipientsContext, id: string) {
  const recipient = await ctx.loaders.recipientById.load(id);
  if (!recipient) throw new NotFoundError('Recipient', id);
  return recipient;
}

@Resolver(() => Recipient)
export class IdentityResolver {
  @Mutation(() => RequestCodePayload, { description: 'Mails a code that proves you own an address you want in your wallet.' })
  requestEmailVerification(@Arg('input', () => RequestCodeInput) input: RequestCodeInput, @Ctx() ctx: RecipientsContext) {
    return ctx.identity.requestEmailVerification(ctx.viewer, input.email, ctx.clientAddress);
  }

  @Mutation(() => RecipientIdentityPayload, {
    description: 'Adds the proven address. If another recipient record holds it, that record is merged into yours (nothing is lost).',
  })
  async verifyEmail(@Arg('input', () => EmailCodeInput) input: EmailCodeInput, @Ctx() ctx: RecipientsContext) {
    const verified = await ctx.identity.verifyEmail(ctx.viewer, input.email, input.code, ctx.clientAddress);
    return { recipient: await loadRecipient(ctx, verified.recipientId), merge: verified.merge };
  }

  @Mutation(() => RecipientIdentityPayload, { description: 'Operators add any identity; recipients prove e-mail addresses with verifyEmail.' })
  async addIdentity(@Arg('input', () => AddIdentityInput) input: AddIdentityInput, @Ctx() ctx: RecipientsContext) {
    const added = await ctx.identity.addIdentity(ctx.viewer, input);
    return { recipient: await loadRecipient(ctx, added.recipientId), merge: null };
  }

  @Mutation(() => MergeRecipientsPayload, {
    description: 'Makes two recipient records one: operators directly, a recipient with emailProofCode for an address of the other record.',
  })
  async mergeRecipients(@Arg('input', () => MergeRecipientsInput) input: MergeRecipientsInput, @Ctx() ctx: RecipientsContext) {
    const merge = await ctx.identity.mergeRecipients(ctx.viewer, input, ctx.clientAddress);
    return { recipient: await loadRecipient(ctx, merge.survivorId), merge };
  }
}
