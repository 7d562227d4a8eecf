import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { VerificationContext } from '../context.js';
import { IssuerMetrics } from './issuer-metrics.type.js';
import { Issuer } from './issuer.entity.js';

@Resolver(() => Issuer)
export class IssuerMetricsResolver {
  @FieldResolver(() => IssuerMetrics, { nullable: true, description: 'Program figures (members of this issuer and operators only; null with an error for anyone else).' })
  async metrics(@Root() issuer: Issuer, @Ctx() ctx: VerificationContext): Promise<IssuerMetrics> {
    assertIssuerAccess(ctx.viewer, issuer.id);
    const row = await ctx.loaders.metricsByIssuerId.load(issuer.id);
    return (
      row ?? { achievementsCreated: 0, credentialsIssued: 0, credentialsRevoked: 0, credentialsVerified: 0, updatedAt: null }
    );
  }
}
