import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { RevocationPolicy } from '../domain/pathway-awards.js';
import type { AcceptExternalMode } from '../domain/pathway-definition.js';
import type { RequirementKind } from '../domain/pathway-requirement.js';
import { AcceptExternalModeEnum, Pathway, RequirementKindEnum, RevocationPolicyEnum } from './pathway.type.js';

@InputType()
export class RequirementSkillInput {
  @Field(() => String, { description: 'ESCO, ONET, LIGHTCAST or CUSTOM.' }) framework!: string;
  @Field(() => String) code!: string;
}

@InputType({ description: 'A node of the requirement tree: a group with children, or a leaf (an achievement or a skill). At most 8 levels deep.' })
export class RequirementInput {
  @Field(() => RequirementKindEnum) kind!: RequirementKind;
  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => Int, { nullable: true, description: 'N_OF only: how many children must be satisfied (at most the number of children).' }) n?: number | null;
  @Field(() => [RequirementInput], { nullable: true, description: 'Groups only; never empty.' }) children?: RequirementInput[] | null;
  @Field(() => String, { nullable: true, description: 'ACHIEVEMENT leaves: an achievement id of this hub (published), or another hub’s Achievement.id URL.' })
  achievement?: string | null;
  @Field(() => RequirementSkillInput, { nullable: true, description: 'SKILL leaves: any verified credential aligned to it counts.' }) skill?: RequirementSkillInput | null;
  @Field(() => Float, { nullable: true, description: 'Leaves: the credential must carry a numeric result at least this high.' }) minResult?: number | null;
  @Field(() => ID, { nullable: true, description: 'Groups: an achievement of the pathway’s issuer awarded when the group is satisfied.' })
  milestoneAchievementId?: string | null;
}

@InputType()
export class PathwayAwardInput {
  @Field(() => ID, { description: 'An achievement of the pathway’s own issuer.' }) achievementId!: string;
}

@InputType()
export class AcceptExternalInput {
  @Field(() => AcceptExternalModeEnum) mode!: AcceptExternalMode;
  @Field(() => [String], { nullable: true, description: 'LIST only: issuer ids of this hub, DIDs or issuer URLs.' }) issuers?: string[] | null;
}

@InputType()
export class CreatePathwayInput {
  @Field(() => ID) issuerId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => RequirementInput) requirement!: RequirementInput;
  @Field(() => PathwayAwardInput) award!: PathwayAwardInput;
  @Field(() => AcceptExternalInput, { nullable: true, description: 'Default: NONE.' }) acceptExternal?: AcceptExternalInput | null;
  @Field(() => RevocationPolicyEnum, { nullable: true, description: 'Default: KEEP.' }) revocationPolicy?: RevocationPolicy | null;
  @Field(() => Int, { nullable: true, description: 'All credentials earned within this many months (1–120).' }) windowMonths?: number | null;
}

@InputType({ description: 'A field left out keeps its value; null clears it.' })
export class UpdatePathwayInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => RequirementInput, { nullable: true }) requirement?: RequirementInput | null;
  @Field(() => PathwayAwardInput, { nullable: true }) award?: PathwayAwardInput | null;
  @Field(() => AcceptExternalInput, { nullable: true }) acceptExternal?: AcceptExternalInput | null;
  @Field(() => RevocationPolicyEnum, { nullable: true }) revocationPolicy?: RevocationPolicy | null;
  @Field(() => Int, { nullable: true }) windowMonths?: number | null;
}

@InputType()
export class PathwayIdInput {
  @Field(() => ID) id!: string;
}

@InputType()
export class FollowPathwayInput {
  @Field(() => ID) pathwayId!: string;
  @Field(() => [ID], { nullable: true, description: 'An issuer enrolling a cohort: the recipients. Left out, the signed-in recipient follows.' })
  recipientIds?: string[] | null;
}

@ObjectType()
export class CreatePathwayPayload {
  @Field(() => Pathway) pathway!: Pathway;
}

@ObjectType()
export class UpdatePathwayPayload {
  @Field(() => Pathway) pathway!: Pathway;
}

@ObjectType()
export class PublishPathwayPayload {
  @Field(() => Pathway) pathway!: Pathway;
}

@ObjectType()
export class ArchivePathwayPayload {
  @Field(() => Pathway) pathway!: Pathway;
}

@ObjectType()
export class FollowPathwayPayload {
  @Field(() => Pathway) pathway!: Pathway;
  @Field(() => Int, { description: 'Recipients who follow it now and did not before.' }) followed!: number;
}

@ArgsType()
export class PathwayArgs {
  @Field(() => ID) id!: string;
  @Field(() => Int, { nullable: true, description: 'Default: the current version.' }) version?: number | null;
}
