import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../../../lib/graphql/pagination.js';
import type { SkillFramework } from '../../../lib/ob/achievement.js';
import type { EvidenceKind } from '../../../lib/ob/evidence-rules.js';
import type { AchievementStatus } from '../domain/lifecycle.js';
import type { AchievementProfile } from '../domain/eu-profile.js';
import type { ParticipationForm } from '../../../lib/ob/eu-microcredential.js';
import { Achievement, AchievementProfileEnum, AchievementStatusEnum, AchievementWarning, EvidenceKindEnum, ParticipationFormEnum } from './achievement.type.js';
import { SkillFrameworkEnum } from './skill.type.js';

@InputType()
export class CriteriaInput {
  @Field(() => String, { nullable: true, description: 'The criteria in Markdown.' }) narrative?: string | null;
  @Field(() => String, { nullable: true, description: 'An http(s) page that describes the criteria.' }) url?: string | null;
}

@InputType()
export class ImageInput {
  @Field(() => String, { description: 'An http(s) URL of the image.' }) url!: string;
  @Field(() => String, { nullable: true }) caption?: string | null;
}

@InputType()
export class AlignmentInput {
  @Field(() => String) targetName!: string;
  @Field(() => String, { description: 'An http(s) URL.' }) targetUrl!: string;
  @Field(() => String, { nullable: true }) targetCode?: string | null;
  @Field(() => String, { nullable: true }) targetDescription?: string | null;
  @Field(() => String, { nullable: true }) targetFramework?: string | null;
  @Field(() => String, { nullable: true, description: 'An OB AlignmentTargetType (ceasn:Competency, ceterms:Credential, CFItem, CFRubric, CFRubricCriterion, CFRubricCriterionLevel, CTDL) or ext:Name.' })
  targetType?: string | null;
}

@InputType({ description: 'A skill, found or added by (framework, code). An existing skill keeps its name and URL (a warning says so).' })
export class SkillInput {
  @Field(() => SkillFrameworkEnum) framework!: SkillFramework;
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Required unless the code is itself a URL (as ESCO concept URIs are).' }) url?: string | null;
}

@InputType()
export class ResultDescriptionInput {
  @Field(() => String, { nullable: true, description: 'A URI; minted (urn:uuid:…) when left out. Send it back when editing to keep it.' })
  id?: string | null;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'An OB ResultType (GradePointAverage, LetterGrade, Percent, PerformanceLevel, PredictedScore, RawScore, Result, RubricCriterion, RubricCriterionLevel, RubricScore, ScaledScore, Status) or ext:Name.' })
  resultType!: string;
  @Field(() => [String], { nullable: true }) allowedValues?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Must be one of allowedValues when those are given.' }) requiredValue?: string | null;
  @Field(() => String, { nullable: true }) valueMin?: string | null;
  @Field(() => String, { nullable: true }) valueMax?: string | null;
}

@InputType()
export class EvidenceRuleInput {
  @Field(() => EvidenceKindEnum) kind!: EvidenceKind;
  @Field(() => Int, { description: 'At least 1.' }) minCount!: number;
}

@InputType({ description: 'A learning outcome of a micro-credential, optionally the ESCO skill it stands for.' })
export class LearningOutcomeInput {
  @Field(() => String) text!: string;
  @Field(() => String, { nullable: true, description: 'An ESCO concept URI (http://data.europa.eu/esco/skill/…).' }) escoSkillUri?: string | null;
}

@InputType({
  description:
    'The elements of the Council Recommendation on micro-credentials (2022/C 243/02) that Open Badges lacks. Workload is ' +
    '`creditsAvailable` (ECTS) and/or `estimatedLearningHours`. All optional until published with profile EU_MICROCREDENTIAL.',
})
export class EuProfileInput {
  @Field(() => String, { nullable: true, description: 'The awarding body’s country: ISO 3166-1 alpha-3 (DEU, SVN, …), as the EU country table codes it.' })
  awardingBodyCountry?: string | null;
  @Field(() => [LearningOutcomeInput], { nullable: true }) learningOutcomes?: LearningOutcomeInput[] | null;
  @Field(() => Int, { nullable: true, description: 'European Qualifications Framework level, 1 to 8.' }) eqfLevel?: number | null;
  @Field(() => String, { nullable: true, description: 'Type of assessment, e.g. "Written exam and graded project".' }) assessmentType?: string | null;
  @Field(() => ParticipationFormEnum, { nullable: true }) participationForm?: ParticipationForm | null;
  @Field(() => String, { nullable: true, description: 'Type of quality assurance underpinning the micro-credential.' }) qualityAssurance?: string | null;
  @Field(() => String, { nullable: true, description: 'Optional element: prerequisites to enrol.' }) prerequisites?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Optional element: whether it stacks into a larger credential.' }) stackable?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Which larger credential, and how.' }) stackabilityNote?: string | null;
}

/** The optional parts of a definition, shared by create and update. */
interface AchievementDetailsInput {
  image?: ImageInput | null;
  achievementType?: string | null;
  alignments?: AlignmentInput[] | null;
  skills?: SkillInput[] | null;
  tags?: string[] | null;
  language?: string | null;
  creditsAvailable?: number | null;
  estimatedLearningHours?: number | null;
  validity?: string | null;
  resultDescriptions?: ResultDescriptionInput[] | null;
  evidenceRules?: EvidenceRuleInput[] | null;
  competencyBased?: boolean | null;
  euProfile?: EuProfileInput | null;
}

/**
 * Declares the detail fields on an input class, after its own fields: type-graphql lists a superclass's fields
 * first, and the SDL reads better with the identifying and required fields on top.
 */
function declareDetailFields(target: { prototype: object }): void {
  const field = (name: keyof AchievementDetailsInput, type: Parameters<typeof Field>[0], description?: string) =>
    Field(type, { nullable: true, description })(target.prototype, name);
  field('image', () => ImageInput);
  field('achievementType', () => String, 'An OB AchievementType (Badge, Certificate, Competency, MicroCredential, …) or ext:Name.');
  field('alignments', () => [AlignmentInput]);
  field('skills', () => [SkillInput]);
  field('tags', () => [String]);
  field('language', () => String, 'BCP 47: a language, an optional script and an optional region (en, en-GB, zh-Hant-TW).');
  field('creditsAvailable', () => Float);
  field('estimatedLearningHours', () => Float, 'More than 0; outside 5–40 is allowed, with a warning.');
  field('validity', () => String, 'ISO 8601 duration such as P2Y, P18M or P90D: credentials expire this long after issue.');
  field('resultDescriptions', () => [ResultDescriptionInput]);
  field('evidenceRules', () => [EvidenceRuleInput], 'Each kind once. A competency-based achievement may not require ATTENDANCE alone.');
  field(
    'competencyBased',
    () => Boolean,
    'Default: true when achievementType is missing or one of ApprenticeshipCertificate, Assessment, Badge, Certificate, Certification, Competency, ' +
      'JourneymanCertificate, License, MasterCertificate, MicroCredential; false otherwise. Null resets to that default.',
  );
  field('euProfile', () => EuProfileInput, 'The EU micro-credential elements OB lacks; replaced whole when given, null clears them.');
}

@InputType({ description: 'Creates version 1 as a DRAFT. Give criteria a narrative, a url, or both.' })
export class CreateAchievementInput {
  @Field(() => ID) issuerId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => CriteriaInput) criteria!: CriteriaInput;
}
export interface CreateAchievementInput extends AchievementDetailsInput {}
declareDetailFields(CreateAchievementInput);

@InputType({
  description:
    'Changes a draft in place; a published achievement gets a new DRAFT version with the changes (the published one stays issuable). ' +
    'A field left out keeps its value; null clears it; an object or list replaces the old one whole.',
})
export class UpdateAchievementInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => CriteriaInput, { nullable: true }) criteria?: CriteriaInput | null;
}
export interface UpdateAchievementInput extends AchievementDetailsInput {}
declareDetailFields(UpdateAchievementInput);

@InputType({ description: 'Publishes the achievement’s draft version; it supersedes the previously published one.' })
export class PublishAchievementInput {
  @Field(() => ID) id!: string;
  @Field(() => AchievementProfileEnum, {
    nullable: true,
    description: 'Publish under a profile: EU_MICROCREDENTIAL refuses a draft that lacks a mandatory Council element, naming each (extensions.missing).',
  })
  profile?: AchievementProfile | null;
}

@InputType({ description: 'Stops new issuance; every published version stays readable. Archiving twice changes nothing.' })
export class ArchiveAchievementInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class CreateAchievementPayload {
  @Field(() => Achievement, { description: 'Version 1, a draft.' }) achievement!: Achievement;
  @Field(() => [AchievementWarning]) warnings!: AchievementWarning[];
}

@ObjectType()
export class UpdateAchievementPayload {
  @Field(() => Achievement, { description: 'The draft version that was written.' }) achievement!: Achievement;
  @Field(() => [AchievementWarning]) warnings!: AchievementWarning[];
}

@ObjectType()
export class PublishAchievementPayload {
  @Field(() => Achievement, { description: 'The version just published.' }) achievement!: Achievement;
  @Field(() => [AchievementWarning]) warnings!: AchievementWarning[];
}

@ObjectType()
export class ArchiveAchievementPayload {
  @Field(() => Achievement) achievement!: Achievement;
  @Field(() => [AchievementWarning]) warnings!: AchievementWarning[];
}

@ArgsType()
export class AchievementArgs {
  @Field(() => ID) id!: string;
  @Field(() => Int, { nullable: true, description: 'A version number; every published version stays readable. Default: the current version.' })
  version?: number | null;
}

@ArgsType()
export class IssuerAchievementsArgs extends PageArgs {
  @Field(() => AchievementStatusEnum, {
    nullable: true,
    description: 'Default: PUBLISHED, plus DRAFT for the issuer’s members and operators. Drafts are never shown to others.',
  })
  status?: AchievementStatus | null;
}
