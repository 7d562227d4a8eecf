import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { UnauthorizedError } from '../../../lib/errors.js';
import type { AchievementsContext } from '../context.js';
import { progressView } from './pathway.resolver.js';
import { PathwayProgressView } from './pathway.type.js';
import { Recipient } from './recipient.entity.js';

@Resolver(() => Recipient)
export class RecipientPathwaysResolver {
  @FieldResolver(() => [PathwayProgressView], {
    description: 'Every pathway the recipient is on or completed (holding one member credential is enough), with progress: the recipient and operators.',
  })
  async pathways(@Root() recipient: Recipient, @Ctx() ctx: AchievementsContext): Promise<PathwayProgressView[]> {
    const { viewer } = ctx;
    if (viewer.kind !== 'ADMIN' && !(viewer.kind === 'RECIPIENT' && viewer.recipientId === recipient.id.toLowerCase())) {
      throw new UnauthorizedError('Only the recipient may list their pathways');
    }
    const rows = await ctx.pathwayLoaders.progressByRecipientId.load(recipient.id.toLowerCase());
    return Promise.all(rows.map((row) => progressView(ctx, row)));
  }
}

/** Any recipient id resolves to its key: what this subgraph knows of a recipient is looked up by the fields. */
export const resolveRecipientReference = (reference: { id: string }): Recipient => ({ id: reference.id });
