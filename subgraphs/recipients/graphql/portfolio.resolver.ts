import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError, UnauthenticatedError } from '../../../lib/errors.js';
import { PageArgs, toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import { newId } from '../../../lib/ids.js';
import type { RecipientsContext } from '../context.js';
import { assertCanReadRecipient } from '../domain/access.js';
import {
  assertAllHeld,
  normalisePortfolioCredentialIds,
  normalisePortfolioDescription,
  normalisePortfolioName,
} from '../domain/portfolio.js';
import { isWalletOwner, walletOwnerFor } from '../domain/wallet-access.js';
import type { Db } from '../../../lib/db/client.js';
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

/** The portfolio locked for a write by its owner; anyone else is told it does not exist. */
async function ownPortfolioForUpdate(tx: Db, ctx: RecipientsContext, id: string) {
  if (ctx.viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  const portfolio = await ctx.wallet.lockPortfolio(tx, id);
  if (!portfolio || !isWalletOwner(ctx.viewer, portfolio.recipientId)) throw new NotFoundError('Portfolio', id);
  return portfolio;
}

async function assertHeldByOwner(tx: Db, ctx: RecipientsContext, recipientId: string, credentialIds: string[]) {
  assertAllHeld(credentialIds, await ctx.wallet.findHeldCredentialIds(tx, recipientId, credentialIds));
}

@Resolver(() => Portfolio)
export class PortfolioResolver {
  @Query(() => Portfolio, { nullable: true, description: 'A portfolio, for its owner (and operators); null for anyone else.' })
  async portfolio(@Arg('id', () => ID) id: string, @Ctx() ctx: RecipientsContext) {
    if (ctx.viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
    const portfolio = await ctx.loaders.portfolioById.load(id);
    return portfolio && isWalletOwner(ctx.viewer, portfolio.recipientId) ? portfolio : null;
  }

  @Mutation(() => PortfolioPayload, { description: 'A new portfolio of your own credentials, in the given order.' })
  async createPortfolio(@Arg('input', () => CreatePortfolioInput) input: CreatePortfolioInput, @Ctx() ctx: RecipientsContext) {
    const recipientId = walletOwnerFor(ctx.viewer, input.recipientId);
    const name = normalisePortfolioName(input.name);
    const description = normalisePortfolioDescription(input.description);
    const credentialIds = normalisePortfolioCredentialIds(input.credentialIds);
    const portfolio = await ctx.db.transaction(async (tx) => {
      await assertHeldByOwner(tx, ctx, recipientId, credentialIds);
      return ctx.wallet.insertPortfolio(tx, { id: newId(), recipientId, name, description }, credentialIds);
    });
    return { portfolio };
  }

  @Mutation(() => PortfolioPayload, { description: 'Renames, re-describes or re-orders one of your portfolios.' })
  async updatePortfolio(@Arg('input', () => UpdatePortfolioInput) input: UpdatePortfolioInput, @Ctx() ctx: RecipientsContext) {
    const patch = {
      ...(input.name != null ? { name: normalisePortfolioName(input.name) } : {}),
      ...(input.description !== undefined ? { description: normalisePortfolioDescription(input.description) } : {}),
    };
    const credentialIds = input.credentialIds ? normalisePortfolioCredentialIds(input.credentialIds) : null;
    const portfolio = await ctx.db.transaction(async (tx) => {
      const held = await ownPortfolioForUpdate(tx, ctx, input.id);
      if (credentialIds) await assertHeldByOwner(tx, ctx, held.recipientId, credentialIds);
      return ctx.wallet.updatePortfolio(tx, held.id, patch, credentialIds);
    });
    return { portfolio };
  }

  @Mutation(() => DeletePortfolioPayload, { description: 'Deletes one of your portfolios; its credentials stay in the wallet.' })
  async deletePortfolio(@Arg('input', () => DeletePortfolioInput) input: DeletePortfolioInput, @Ctx() ctx: RecipientsContext) {
    await ctx.db.transaction(async (tx) => {
      const held = await ownPortfolioForUpdate(tx, ctx, input.id);
      await ctx.wallet.deletePortfolio(tx, held.id);
    });
    return { deletedPortfolioId: input.id };
  }

  @FieldResolver(() => CredentialConnection, { description: 'Its credentials, in the order the owner chose.' })
  async credentials(@Root() portfolio: Portfolio, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RecipientsContext) {
    const request = toPageRequest(args);
    const page = await ctx.wallet.pagePortfolioCredentials(portfolio.id, request);
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
