import { GraphQLDateTime } from 'graphql-scalars';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CAREER_EVENT_TYPES } from '../../../lib/events/contracts/career-event-recorded.js';
import { RELYING_PARTIES } from '../domain/metric-facts.js';

export enum MetricsInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(MetricsInterval, { name: 'MetricsInterval', description: 'The length of one period of a metrics time series (UTC; weeks start on Monday).' });

export const RelyingPartyKind = Object.fromEntries(RELYING_PARTIES.map((kind) => [kind, kind])) as { [K in (typeof RELYING_PARTIES)[number]]: K };
registerEnumType(RelyingPartyKind, {
  name: 'RelyingPartyKind',
  description:
    'Who asked for a verification. ANONYMOUS (no key), EMPLOYER (an employer organisation’s key) and VC_API (the W3C VC-API endpoints, called without an issuer or holder key) are third parties; HOLDER, ISSUER and OPERATOR are not.',
});

export const CareerEventType = Object.fromEntries(CAREER_EVENT_TYPES.map((type) => [type, type])) as { [K in (typeof CAREER_EVENT_TYPES)[number]]: K };
registerEnumType(CareerEventType, { name: 'CareerEventType', description: 'A step in a career that counts as mobility.' });

@InputType('MetricsScopeInput', { description: 'Exactly one of the three.' })
export class MetricsScopeInput {
  @Field(() => ID, { nullable: true }) issuerId?: string | null;
  @Field(() => ID, { nullable: true }) achievementId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Pathway scopes answer pathway completion only; a pathway is known once one of its events arrived.' })
  pathwayId?: string | null;
}

@ArgsType()
export class MetricsPeriodArgs {
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Start of the period (inclusive, rounded down to its UTC day). Default: 365 days before `to`.' })
  from?: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'End of the period (exclusive, rounded down to its UTC day). Default: the start of tomorrow (UTC).' })
  to?: Date | null;
  @Field(() => MetricsInterval, { defaultValue: MetricsInterval.MONTH })
  interval!: MetricsInterval;
}

@ArgsType()
export class MetricsArgs extends MetricsPeriodArgs {
  @Field(() => MetricsScopeInput) scope!: MetricsScopeInput;
}

@ObjectType('MetricProportion', { description: 'A proportion with its sample: rate = numerator / denominator, and a 95 % Wilson score interval.' })
export class MetricProportion {
  @Field(() => Int) numerator!: number;
  @Field(() => Int, { description: 'The sample size.' }) denominator!: number;
  @Field(() => Float, { nullable: true, description: 'numerator / denominator; null when the denominator is 0.' }) rate!: number | null;
  @Field(() => Float, { nullable: true, description: 'Lower bound of the 95 % Wilson score interval; null when the denominator is 0.' }) low!: number | null;
  @Field(() => Float, { nullable: true, description: 'Upper bound of the 95 % Wilson score interval; null when the denominator is 0.' }) high!: number | null;
  @Field(() => Boolean, { description: 'True when the denominator is below 30: the rate means nothing yet.' }) sampleTooSmall!: boolean;
}

@ObjectType('MetricsPeriod', { description: 'The day counts of one period (see the fields of `IssuanceVolume`, `ShareMetrics`, `VerificationMetrics`).' })
export class MetricsPeriod {
  @Field(() => String, { description: 'The first day of the period, YYYY-MM-DD (UTC).' }) periodStart!: string;
  @Field(() => Int) issued!: number;
  @Field(() => Int) revoked!: number;
  @Field(() => Int) suspended!: number;
  @Field(() => Int) reinstated!: number;
  @Field(() => Int) delivered!: number;
  @Field(() => Int) claimed!: number;
  @Field(() => Int) shared!: number;
  @Field(() => Int) shareViewsByOthers!: number;
  @Field(() => Int) verifications!: number;
  @Field(() => Int) thirdPartyVerifications!: number;
}

@ObjectType('IssuanceVolume', { description: 'Issuance volume: events counted on the UTC day they happened, within the period.' })
export class IssuanceVolume {
  @Field(() => Int, { description: 'Credentials issued (CredentialIssued, by `issuedAt`), revoked ones included.' }) issued!: number;
  @Field(() => Float, { description: '`issued` divided by the number of periods (`interval`) in [from, to).' }) perPeriod!: number;
  @Field(() => Int) revoked!: number;
  @Field(() => Int) suspended!: number;
  @Field(() => Int) reinstated!: number;
  @Field(() => Int, { description: 'Credentials that reached a wallet (first delivery only).' }) delivered!: number;
  @Field(() => Int, { description: 'Credentials claimed: the holder’s first sign-in after delivery, or importing it; once per credential.' }) claimed!: number;
}

@ObjectType('ShareMetrics')
export class ShareMetrics {
  @Field(() => MetricProportion, {
    description:
      'Share rate. Cohort: the scope’s credentials issued in [from, to) and not revoked before `to`. Denominator: distinct recipients delivered ≥ 1 cohort credential before `to`; numerator: those of them who shared ≥ 1 cohort credential (share link or LinkedIn) before `to`.',
  })
  rate!: MetricProportion;
  @Field(() => Int, { description: 'Credential shares in the period: each credential of a share link or LinkedIn add counts once.' }) shares!: number;
  @Field(() => Int, { description: 'Openings of share links by anyone but their holder in the period, once for each of the scope’s credentials the share shows.' })
  shareViewsByOthers!: number;
}

@ObjectType('VerificationsByRelyingParty')
export class VerificationsByRelyingParty {
  @Field(() => RelyingPartyKind) relyingParty!: string;
  @Field(() => String, { description: 'The verdict (a VerificationStatus value).' }) verdict!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('VerificationMetrics')
export class VerificationMetrics {
  @Field(() => MetricProportion, {
    description:
      'Verification rate. Cohort as for the share rate. Denominator: cohort credentials; numerator: those verified by a third party (ANONYMOUS, EMPLOYER or VC_API) at least once before `to`.',
  })
  rate!: MetricProportion;
  @Field(() => Float, { nullable: true, description: 'Third-party verifications of cohort credentials (all recorded so far) / cohort credentials; null for an empty cohort.' })
  verificationsPerCredential!: number | null;
  @Field(() => Int, { description: 'Verifications in the period of the scope’s credentials, by anyone.' }) verifications!: number;
  @Field(() => [VerificationsByRelyingParty], { description: 'Verifications in the period by relying party and verdict.' }) byRelyingParty!: VerificationsByRelyingParty[];
}

@ObjectType('PathwayCompletionMetrics', {
  description:
    'Pathway completion rate = recipients who completed in the period / recipients who started in the period, and the median days from start to completion of those completed in the period. A recipient starts a pathway when they first hold one of its member credentials (followed or not; the start is that credential’s earning). Null, with `unavailableReason`, when nobody started in the period.',
})
export class PathwayCompletionMetrics {
  @Field(() => Int) started!: number;
  @Field(() => Int) completed!: number;
  @Field(() => MetricProportion, { nullable: true }) rate!: MetricProportion | null;
  @Field(() => Float, { nullable: true }) medianDaysToComplete!: number | null;
  @Field(() => String, { nullable: true }) unavailableReason!: string | null;
}

@ObjectType('CareerImpactMetrics', {
  description:
    'Career mobility around earning. Earners: recipients delivered a standing credential of the scope issued in [from, to), at their first such issuance, counted only once `windowMonths` have fully passed since (before min(to, now)). A person moved in a window when ≥ 1 career event falls in it.',
})
export class CareerImpactMetrics {
  @Field(() => Int) windowMonths!: number;
  @Field(() => GraphQLDateTime, { description: 'min(to, now): the end of the observation.' }) asOf!: Date;
  @Field(() => MetricProportion, { description: 'Earners who moved within `windowMonths` after earning.' }) afterEarning!: MetricProportion;
  @Field(() => MetricProportion, { description: 'The same earners, moved within `windowMonths` before earning.' }) beforeEarning!: MetricProportion;
  @Field(() => MetricProportion, {
    description:
      'People without the credential who moved within `windowMonths` before `asOf`: for an achievement, the issuer’s other recipients; for an issuer, people its members recorded career events for who hold none of its credentials.',
  })
  withoutCredential!: MetricProportion;
  @Field(() => String, { nullable: true, description: 'A plain statement when a group is too small (under 30) to mean anything; null otherwise.' })
  statement!: string | null;
}

@ObjectType('ProgramMetrics', { description: 'The program metrics of one scope over [from, to); definitions in docs/metrics.md.' })
export class ProgramMetrics {
  @Field(() => GraphQLDateTime) from!: Date;
  @Field(() => GraphQLDateTime) to!: Date;
  @Field(() => MetricsInterval) interval!: MetricsInterval;
  @Field(() => IssuanceVolume, { nullable: true, description: 'Null for a pathway scope.' }) issuance!: IssuanceVolume | null;
  @Field(() => ShareMetrics, { nullable: true, description: 'Null for a pathway scope.' }) sharing!: ShareMetrics | null;
  @Field(() => VerificationMetrics, { nullable: true, description: 'Null for a pathway scope.' }) verification!: VerificationMetrics | null;
  @Field(() => PathwayCompletionMetrics, { description: 'For an issuer or achievement scope: all of the issuer’s pathways.' }) pathwayCompletion!: PathwayCompletionMetrics;
  @Field(() => [MetricsPeriod], { description: 'One entry per period of [from, to), zeros included; empty for a pathway scope.' }) series!: MetricsPeriod[];
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a counted event last moved these figures; null before the first.' }) updatedAt!: Date | null;
  /** What `careerImpact` needs to compute on demand (it reads career events, so only when asked for). */
  careerScope!: { generation: number; kind: 'ISSUER' | 'ACHIEVEMENT'; id: string; issuerId: string } | null;
}

@ObjectType('IssuerMetrics', { description: 'An issuer’s program metrics (see ProgramMetrics), with the all-time counters it had before.' })
export class IssuerMetrics extends ProgramMetrics {
  @Field(() => Int, { deprecationReason: 'All-time count; use `metrics(scope:)` or the period fields.' }) achievementsCreated!: number;
  @Field(() => Int, { deprecationReason: 'All-time count; use `issuance.issued`.' }) credentialsIssued!: number;
  @Field(() => Int, { deprecationReason: 'All-time count; use `issuance.revoked`.' }) credentialsRevoked!: number;
  @Field(() => Int, { deprecationReason: 'All-time count of verifications by anyone; use `verification.verifications`.' }) credentialsVerified!: number;
}

@InputType('RecordCareerEventInput')
export class RecordCareerEventInput {
  @Field(() => ID) recipientId!: string;
  @Field(() => CareerEventType) type!: (typeof CAREER_EVENT_TYPES)[number];
  @Field(() => GraphQLDateTime) occurredAt!: Date;
}

@ObjectType('CareerEvent')
export class CareerEventRecord {
  @Field(() => ID) id!: string;
  @Field(() => ID) recipientId!: string;
  @Field(() => CareerEventType) type!: string;
  @Field(() => GraphQLDateTime) occurredAt!: Date;
}

@ObjectType('RecordCareerEventPayload')
export class RecordCareerEventPayload {
  @Field(() => CareerEventRecord) careerEvent!: CareerEventRecord;
}
