import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UnauthenticatedError } from '../../../lib/errors.js';
import { PageArgs, toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { RecipientsContext } from '../context.js';
import { assertCanReadRecipient, canActForRecipient } from '../domain/access.js';
import { CredentialConnection } from './credential.type.js';
import {
  CreatePortfolioInput,
  DeletePortfolioInput,
  DeletePortfolioPayload,
  Portfolio,
  PortfolioConnection,
  PortfolioPayload,
  UpdatePortfolioInput,
} from './portfolio.type.js';
import { Recipient } from './recipient.type.js';

@Resolver(() => Portfolio)
export class PortfolioResolver {
  @Query(() => Portfolio, { nullable: true, description: 'A portfolio, for its owner (and operators); null for anyone else.' })
  async portfolio(@Arg('id', () => ID) id: string, @Ctx() ctx: RecipientsContext) {
    if (ctx.viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
    const portfolio = await ctx.loaders.portfolioById.load(id);
    return portfolio && canActForRecipient(ctx.viewer, portfolio.recipientId) ? portfolio : null;
  }

  @Mutation(() => PortfolioPayload, { description: 'A new portfolio of your own credentials, in the given order.' })
  async createPortfolio(@Arg('input', () => CreatePortfolioInput) input: CreatePortfolioInput, @Ctx() ctx: RecipientsContext) {
    return { portfolio: await ctx.portfolios.createPortfolio(ctx.viewer, input) };
  }

  @Mutation(() => PortfolioPayload, { description: 'Renames, re-describes or re-orders one of your portfolios.' })
  async updatePortfolio(@Arg('input', () => UpdatePortfolioInput) input: UpdatePortfolioInput, @Ctx() ctx: RecipientsContext) {
    return { portfolio: await ctx.portfolios.updatePortfolio(ctx.viewer, input) };
  }

  @Mutation(() => DeletePortfolioPayload, { description: 'Deletes one of your portfolios; its credentials stay in the wallet.' })
  async deletePortfolio(@Arg('input', () => DeletePortfolioInput) input: DeletePortfolioInput, @Ctx() ctx: RecipientsContext) {
    await ctx.portfolios.deletePortfolio(ctx.viewer, input.id);
    return { deletedPortfolioId: input.id };
  }

  @FieldResolver(() => CredentialConnection, { description: 'Its credentials, in the order the owner chose.' })
  async credentials(@Root() portfolio: Portfolio, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RecipientsContext) {
    const request = toPageRequest(args);
    const page = await ctx.walletStore.pagePortfolioCredentials(portfolio.id, request);
    for (const row of page.rows) ctx.loaders.credentialById.prime(row.id, row);
    return toConnection(page, request);
  }
}

@Resolver(() => Recipient)
export class RecipientPortfoliosResolver {
  @FieldResolver(() => PortfolioConnection, { description: 'The recipient’s portfolios, oldest first (the recipient and operators).' })
  async portfolios(@Root() recipient: Recipient, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RecipientsContext) {
    assertCanReadRecipient(ctx.viewer, recipient.id);
    const request = toPageRequest(args);
    const page = await ctx.loaders.portfoliosByRecipientId.load({ parentId: recipient.id, request });
    for (const row of page.rows) ctx.loaders.portfolioById.prime(row.id, row);
    return toConnection(page, request);
  }
}
