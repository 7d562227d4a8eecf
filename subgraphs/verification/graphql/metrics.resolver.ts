import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { VerificationContext } from '../context.js';
import { coalescedAnswers } from '../domain/coalesce.js';
import { METRIC_EVENT_TYPES } from '../domain/metric-facts.js';
import { periodOf, proportion as proportionOf, scopeOf, type MetricsScope } from '../domain/metrics.js';
import type { MetricsService } from '../services/metrics.js';
import { Achievement } from './achievement.entity.js';
import { Pathway } from './pathway.entity.js';
import { Issuer } from './issuer.entity.js';
import {
  CareerImpactMetrics,
  IssuerMetrics,
  MetricsArgs,
  MetricsPeriodArgs,
  ProgramMetrics,
  RecordCareerEventInput,
  RecordCareerEventPayload,
} from './metrics.type.js';

/** The service's figures in the schema's shape. */
async function programMetrics(service: MetricsService, viewer: Viewer, scope: MetricsScope, args: MetricsPeriodArgs): Promise<ProgramMetrics> {
  const result = await service.metrics(viewer, { scope, ...periodOf(args), interval: args.interval });
  const { counts, cohort } = result;
  const base = { from: result.from, to: result.to, interval: args.interval, pathwayCompletion: result.pathwayCompletion };
  if (!counts || !cohort || !result.careerScope) {
    return { ...base, issuance: null, sharing: null, verification: null, series: [], updatedAt: null, careerScope: null };
  }
  const { totals } = counts;
  return {
    ...base,
    issuance: { ...totals, perPeriod: counts.series.length === 0 ? 0 : totals.issued / counts.series.length },
    sharing: { rate: proportionOf(cohort.sharingRecipients, cohort.recipients), shares: totals.shared, shareViewsByOthers: totals.shareViewsByOthers },
    verification: {
      rate: proportionOf(cohort.verifiedCredentials, cohort.standing),
      verificationsPerCredential: cohort.standing === 0 ? null : cohort.thirdPartyVerifications / cohort.standing,
      verifications: totals.verifications,
      byRelyingParty: counts.verificationsByRelyingParty,
    },
    series: counts.series,
    updatedAt: counts.updatedAt,
    careerScope: { generation: result.generation, ...result.careerScope, issuerId: result.issuerId },
  };
}

/** Fresh totals pushed at most once a second per subscription, coalesced (see coalescedAnswers). */
const MIN_PUSH_INTERVAL_MS = 1_000;

async function subscribeToMetrics({ args, context }: SubscribeResolverData<unknown, MetricsArgs, VerificationContext>) {
  const scope = scopeOf(args.scope);
  const issuerId = await context.metrics.authorisedIssuer(context.viewer, scope);
  // Woken by the issuer's own events; the answer is computed once the projections have applied them.
  const changes = context.feed.subscribe({ after: await context.feed.head(), issuerId, types: METRIC_EVENT_TYPES });
  const fresh = async () => {
    await context.catchUpMetrics();
    return programMetrics(context.metrics, context.viewer, scope, args);
  };
  return coalescedAnswers(changes, fresh, { minIntervalMs: MIN_PUSH_INTERVAL_MS });
}

@Resolver(() => ProgramMetrics)
export class MetricsResolver {
  @Subscription(() => ProgramMetrics, {
    subscribe: subscribeToMetrics,
    description:
      'The metrics of one scope (as `metrics`), now and again after the issuer’s events change them: at most once a second per subscription, changes in between coalesced into one push. Members of the issuer and operators only.',
  })
  metricsUpdated(@Root() metrics: ProgramMetrics, @Args(() => MetricsArgs) _args: MetricsArgs): ProgramMetrics {
    return metrics;
  }

  @Query(() => ProgramMetrics, { description: 'Program metrics of an issuer, achievement or pathway (members of its issuer and operators only).' })
  metrics(@Args(() => MetricsArgs) args: MetricsArgs, @Ctx() ctx: VerificationContext): Promise<ProgramMetrics> {
    return programMetrics(ctx.metrics, ctx.viewer, scopeOf(args.scope), args);
  }

  @FieldResolver(() => CareerImpactMetrics, { nullable: true, description: 'Career impact (see CareerImpactMetrics); null for a pathway scope.' })
  careerImpact(
    @Root() metrics: ProgramMetrics,
    @Arg('windowMonths', () => Int, { defaultValue: 12, description: 'N: the months looked at after (and before) earning, 1 to 60.' }) windowMonths: number,
    @Ctx() ctx: VerificationContext,
  ) {
    const scope = metrics.careerScope;
    if (!scope) return null;
    return ctx.metrics.careerImpact(scope.generation, { kind: scope.kind, id: scope.id }, scope.issuerId, metrics.from, metrics.to, windowMonths);
  }

  @Mutation(() => RecordCareerEventPayload, {
    description: 'Records a step in a recipient’s career, for career impact: by an issuer member (role ISSUER or more) for a holder of its credentials, or by an employer the recipient consented to.',
  })
  async recordCareerEvent(@Arg('input', () => RecordCareerEventInput) input: RecordCareerEventInput, @Ctx() ctx: VerificationContext) {
    return { careerEvent: await ctx.metrics.recordCareerEvent(ctx.viewer, input) };
  }
}

@Resolver(() => Issuer)
export class IssuerMetricsResolver {
  @FieldResolver(() => IssuerMetrics, { nullable: true, description: 'Program metrics (members of this issuer and operators only; null with an error for anyone else).' })
  async metrics(@Root() issuer: Issuer, @Args(() => MetricsPeriodArgs) args: MetricsPeriodArgs, @Ctx() ctx: VerificationContext): Promise<IssuerMetrics> {
    const [program, counters] = await Promise.all([
      programMetrics(ctx.metrics, ctx.viewer, { kind: 'ISSUER', id: issuer.id.toLowerCase() }, args),
      ctx.metrics.allTimeCounters(ctx.viewer, issuer.id),
    ]);
    return { ...program, ...counters };
  }
}

@Resolver(() => Achievement)
export class AchievementMetricsResolver {
  @FieldResolver(() => ProgramMetrics, { nullable: true, description: 'Program metrics of this achievement (members of its issuer and operators only).' })
  metrics(@Root() achievement: Achievement, @Args(() => MetricsPeriodArgs) args: MetricsPeriodArgs, @Ctx() ctx: VerificationContext): Promise<ProgramMetrics> {
    return programMetrics(ctx.metrics, ctx.viewer, { kind: 'ACHIEVEMENT', id: achievement.id.toLowerCase() }, args);
  }
}

@Resolver(() => Pathway)
export class PathwayMetricsResolver {
  @FieldResolver(() => ProgramMetrics, { nullable: true, description: 'Program metrics of this pathway (members of its issuer and operators only).' })
  metrics(@Root() pathway: Pathway, @Args(() => MetricsPeriodArgs) args: MetricsPeriodArgs, @Ctx() ctx: VerificationContext): Promise<ProgramMetrics> {
    return programMetrics(ctx.metrics, ctx.viewer, { kind: 'PATHWAY', id: pathway.id.toLowerCase() }, args);
  }
}
