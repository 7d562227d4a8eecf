import { Ctx, Query, Resolver } from 'type-graphql';
import type { IssuersContext } from '../context.js';
import { Viewer, ViewerKind } from './viewer.type.js';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The principal behind the API key of this request (ANONYMOUS without one).' })
  async me(@Ctx() ctx: IssuersContext): Promise<Viewer> {
    const { viewer } = ctx;
    return {
      kind: ViewerKind[viewer.kind],
      apiKeyId: viewer.kind === 'ANONYMOUS' ? null : viewer.apiKeyId,
      issuer: viewer.kind === 'ISSUER' ? await ctx.loaders.issuerById.load(viewer.issuerId) : null,
      role: viewer.kind === 'ISSUER' ? (viewer.role as Viewer['role']) : null,
      employerId: viewer.kind === 'EMPLOYER' ? viewer.employerId : null,
      recipientId: viewer.kind === 'RECIPIENT' ? viewer.recipientId : null,
      // Only ever the viewer's own record, so the recipients subgraph may resolve the reference without a check.
      recipient: viewer.kind === 'RECIPIENT' ? { id: viewer.recipientId } : null,
    };
  }
}
