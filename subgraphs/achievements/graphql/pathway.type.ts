import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SkillFramework } from '../../../lib/ob/achievement.js';
import type { VersionStatus } from '../domain/lifecycle.js';
import type { AwardStanding, RevocationPolicy } from '../domain/pathway-awards.js';
import type { AcceptExternalMode } from '../domain/pathway-definition.js';
import type { LapseReason } from '../domain/pathway-progress.js';
import type { RequirementKind } from '../domain/pathway-requirement.js';
import { Achievement, AchievementVersionStatusEnum } from './achievement.type.js';
import { Issuer } from './issuer.entity.js';
import { SkillFrameworkEnum } from './skill.type.js';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((value) => [value, value])) as { [V in T]: V };

export const RequirementKindEnum = enumOf<RequirementKind>(['ALL_OF', 'N_OF', 'SEQUENCE', 'ACHIEVEMENT', 'SKILL']);
registerEnumType(RequirementKindEnum, {
  name: 'RequirementKind',
  description: 'A group (ALL_OF; N_OF: n of the children; SEQUENCE: each element earned after the previous one) or a leaf (ACHIEVEMENT, SKILL).',
});
export const AcceptExternalModeEnum = enumOf<AcceptExternalMode>(['NONE', 'LIST', 'TRUSTED']);
registerEnumType(AcceptExternalModeEnum, {
  name: 'AcceptExternalMode',
  description: 'Which credentials from outside this hub count: NONE; those of the LISTed issuers; or TRUSTED (any that verifies and whose issuer the operator trusts).',
});
export const RevocationPolicyEnum = enumOf<RevocationPolicy>(['KEEP', 'FLAG', 'SUSPEND']);
registerEnumType(RevocationPolicyEnum, {
  name: 'RevocationPolicy',
  description: 'When a member credential is revoked or expires after the award: KEEP the award, FLAG it, or SUSPEND it (reinstated when the requirement is met again).',
});
export const AwardStandingEnum = enumOf<AwardStanding>(['ACTIVE', 'FLAGGED', 'SUSPENDED']);
registerEnumType(AwardStandingEnum, { name: 'PathwayAwardStanding', description: 'FLAGGED: the award rests on a credential that was revoked or expired.' });
export const LapseReasonEnum = enumOf<LapseReason>(['REVOKED', 'SUSPENDED', 'EXPIRED', 'NOT_ACCEPTED', 'OUTSIDE_WINDOW']);
registerEnumType(LapseReasonEnum, { name: 'LapseReason', description: 'Why a credential that matches a step does not count.' });

@ObjectType()
export class RequirementSkill {
  @Field(() => SkillFrameworkEnum) framework!: SkillFramework;
  @Field(() => String) code!: string;
}

@ObjectType({ description: 'One node of a pathway’s requirement tree, listed flat (parents before children); `id` is its path from the root (r, r.0, r.0.1).' })
export class RequirementNode {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true }) parentId!: string | null;
  @Field(() => RequirementKindEnum) kind!: RequirementKind;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => Int, { nullable: true, description: 'For groups: how many children must be satisfied.' }) n!: number | null;
  /** Resolved to `achievement` (pathway.resolver.ts). */
  achievementId!: string | null;
  @Field(() => Achievement, { nullable: true, description: 'An ACHIEVEMENT leaf of this hub (any version counts).' }) achievement?: unknown;
  @Field(() => String, { nullable: true, description: 'An ACHIEVEMENT leaf defined elsewhere: its Achievement.id URL.' }) achievementUrl!: string | null;
  @Field(() => RequirementSkill, { nullable: true }) skill!: RequirementSkill | null;
  @Field(() => Float, { nullable: true }) minResult!: number | null;
  /** Resolved to `milestone`. */
  milestoneAchievementId!: string | null;
  @Field(() => Achievement, { nullable: true, description: 'Awarded when this group is satisfied.' }) milestone?: unknown;
}

@ObjectType()
export class AcceptExternal {
  @Field(() => AcceptExternalModeEnum) mode!: AcceptExternalMode;
  @Field(() => [String]) issuers!: string[];
}

@ObjectType()
export class PathwayStep {
  @Field(() => Int, { description: 'The element of the top-level SEQUENCE (or how many top-level groups are done).' }) step!: number;
  @Field(() => Int, { description: 'Recipients who are there and not done.' }) recipients!: number;
}

@ObjectType({ description: 'How many of those not done stopped in one group, at one step of it.' })
export class PathwayGroupStop {
  @Field(() => ID, { description: 'The group (its path id; `r` is the whole requirement).' }) nodeId!: string;
  @Field(() => Int, { description: 'A SEQUENCE: the element they are on; ALL_OF and N_OF: how many of its children they have done.' }) step!: number;
  @Field(() => Int, {
    description: 'Recipients not done with the pathway who are there: in the group (the root always; below it, a group they made progress in, and in a SEQUENCE only the element they are on) and have not satisfied it.',
  })
  recipients!: number;
}

export const PathwayBackfillStateEnum = enumOf<'PENDING' | 'DONE'>(['PENDING', 'DONE']);
registerEnumType(PathwayBackfillStateEnum, { name: 'PathwayBackfillState', description: 'PENDING: recipients who held member credentials before publication are still being given their progress.' });

@ObjectType({
  description:
    'The back-fill that gives recipients who already held member credentials when the version was published their progress. ' +
    'While PENDING, stats count only the holders processed so far, and progress(recipientId) is null for a holder not reached yet.',
})
export class PathwayBackfill {
  @Field(() => PathwayBackfillStateEnum) state!: 'PENDING' | 'DONE';
  @Field(() => Int, { description: 'Holders given their progress so far.' }) holdersProcessed!: number;
  @Field(() => GraphQLDateTime, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType({ description: 'How a published pathway version is doing (the issuer’s members and operators).' })
export class PathwayStats {
  @Field(() => PathwayBackfill, { nullable: true, description: 'Null for a version published before back-fills were jobs (it was back-filled when published).' })
  backfill!: PathwayBackfill | null;
  @Field(() => Int, { description: 'Recipients holding at least one member credential, following or not.' }) started!: number;
  @Field(() => Int) following!: number;
  @Field(() => Int) completed!: number;
  @Field(() => Float, { description: 'completed / started, 0 when nobody started.' }) completionRate!: number;
  @Field(() => Float, { nullable: true, description: 'Median days from first counted credential to completion.' }) medianDaysToComplete!: number | null;
  @Field(() => [PathwayStep], { description: 'Where those not done are: drop-off per step of the top level.' }) dropOff!: PathwayStep[];
  @Field(() => [PathwayGroupStop], { description: 'Drop-off in every group, nested ones too: where those not done stopped, per group and step.' })
  dropOffByGroup!: PathwayGroupStop[];
}

@ObjectType()
export class LapsedCredential {
  @Field(() => ID) credentialId!: string;
  @Field(() => LapseReasonEnum) reason!: LapseReason;
}

@ObjectType()
export class NodeProgress {
  @Field(() => ID) nodeId!: string;
  @Field(() => Boolean) satisfied!: boolean;
  @Field(() => GraphQLDateTime, { nullable: true }) satisfiedAt!: Date | null;
  @Field(() => [ID], { description: 'The wallet credentials that satisfied this node.' }) credentialIds!: string[];
  @Field(() => [LapsedCredential], { description: 'Matching credentials that do not count, and why (e.g. revoked).' }) lapsed!: LapsedCredential[];
  @Field(() => Int) percent!: number;
  @Field(() => Int, { nullable: true, description: 'For a SEQUENCE: the index of the element the recipient is on.' }) currentStep!: number | null;
}

@ObjectType()
export class PathwayAward {
  @Field(() => ID, { description: '`r` for the pathway’s award, else the group of a milestone.' }) nodeId!: string;
  /** Resolved to `achievement`. */
  achievementId!: string;
  @Field(() => Achievement, { nullable: true }) achievement?: unknown;
  @Field(() => AwardStandingEnum) standing!: AwardStanding;
  @Field(() => [ID]) credentialIds!: string[];
  @Field(() => GraphQLDateTime) awardedAt!: Date;
}

@ObjectType('PathwayProgress', { description: 'A recipient’s progress on one pathway version.' })
export class PathwayProgressView {
  /** Resolved to `pathway`. */
  pathwayId!: string;
  @Field(() => ID) recipientId!: string;
  @Field(() => Int) version!: number;
  @Field(() => Boolean) satisfied!: boolean;
  @Field(() => GraphQLDateTime, { nullable: true }) completedAt!: Date | null;
  @Field(() => Int) percent!: number;
  @Field(() => [ID], { description: 'The leaves that would advance the pathway soonest, respecting sequences.' }) next!: string[];
  @Field(() => [NodeProgress]) nodes!: NodeProgress[];
  @Field(() => [PathwayAward], { description: 'The pathway’s award and milestone awards made.' }) awards!: PathwayAward[];
  @Field(() => Boolean) following!: boolean;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Stackable credentials: a requirement tree whose completion earns an award. Versions work as for achievements.' })
export class Pathway {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => AchievementVersionStatusEnum) status!: VersionStatus;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true }) imageUrl!: string | null;
  @Field(() => Issuer) issuer!: Issuer;
  @Field(() => [RequirementNode]) requirement!: RequirementNode[];
  @Field(() => GraphQLJSONObject, { description: 'The requirement as a tree (the same nodes, nested).' }) requirementTree!: Record<string, unknown>;
  @Field(() => Achievement, { nullable: true, description: 'What completing the pathway earns.' }) award?: unknown;
  @Field(() => AcceptExternal) acceptExternal!: AcceptExternal;
  @Field(() => RevocationPolicyEnum) revocationPolicy!: RevocationPolicy;
  @Field(() => Int, { nullable: true, description: 'Everything earned within this many months; null = no window.' }) windowMonths!: number | null;
  @Field(() => [Pathway]) versions!: Pathway[];
  @Field(() => PathwayProgressView, { nullable: true }) progress!: PathwayProgressView | null;
  @Field(() => PathwayStats) stats!: PathwayStats;
  @Field(() => GraphQLDateTime, { nullable: true }) publishedAt!: Date | null;
}
