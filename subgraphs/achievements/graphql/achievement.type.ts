import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../../../lib/graphql/pagination.js';
import { EVIDENCE_KINDS, type EvidenceKind } from '../../../lib/ob/evidence-rules.js';
import type { AchievementStatus, VersionStatus } from '../domain/lifecycle.js';
import { ACHIEVEMENT_PROFILES, type AchievementProfile } from '../domain/eu-profile.js';
import { EU_MANDATORY_ELEMENTS, PARTICIPATION_FORMS, type EuMandatoryElement, type ParticipationForm } from '../../../lib/ob/eu-microcredential.js';
import { Issuer } from './issuer.entity.js';
import { Skill } from './skill.type.js';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((value) => [value, value])) as { [V in T]: V };

export const AchievementStatusEnum = enumOf<AchievementStatus>(['DRAFT', 'PUBLISHED', 'ARCHIVED']);
registerEnumType(AchievementStatusEnum, {
  name: 'AchievementStatus',
  description: 'Where an achievement is in its life.',
  valuesConfig: {
    DRAFT: { description: 'Never published: visible only to the issuer’s members and operators.' },
    PUBLISHED: { description: 'A published version is issuable (a newer draft may be in progress).' },
    ARCHIVED: { description: 'No new credentials; every published version stays readable.' },
  },
});

export const AchievementVersionStatusEnum = enumOf<VersionStatus>(['DRAFT', 'PUBLISHED', 'SUPERSEDED', 'ARCHIVED']);
registerEnumType(AchievementVersionStatusEnum, {
  name: 'AchievementVersionStatus',
  description: 'Where one version of an achievement is in its life.',
  valuesConfig: {
    DRAFT: { description: 'Being edited; not issuable; visible only to the issuer’s members and operators.' },
    PUBLISHED: { description: 'The version new credentials get. Never changes again.' },
    SUPERSEDED: { description: 'A newer version was published; credentials that embed this one stay valid.' },
    ARCHIVED: { description: 'The achievement was archived while this was its published version (or its draft).' },
  },
});

export const EvidenceKindEnum = enumOf<EvidenceKind>(EVIDENCE_KINDS);
registerEnumType(EvidenceKindEnum, { name: 'EvidenceKind', description: 'A kind of evidence an achievement can require.' });

export const ParticipationFormEnum = enumOf<ParticipationForm>(PARTICIPATION_FORMS);
registerEnumType(ParticipationFormEnum, { name: 'ParticipationForm', description: 'Form of participation in the learning activity.' });

export const AchievementProfileEnum = enumOf<AchievementProfile>(ACHIEVEMENT_PROFILES);
registerEnumType(AchievementProfileEnum, {
  name: 'AchievementProfile',
  description: 'A profile an achievement can be published under.',
  valuesConfig: { EU_MICROCREDENTIAL: { description: 'The Council Recommendation on micro-credentials (2022/C 243/02): every mandatory element set.' } },
});

export const EuMandatoryElementEnum = enumOf<EuMandatoryElement>(EU_MANDATORY_ELEMENTS);
registerEnumType(EuMandatoryElementEnum, {
  name: 'EuMicroCredentialElement',
  description: 'A mandatory element of an EU micro-credential that the issuer sets on the achievement (WORKLOAD: ECTS credits or hours).',
});

@ObjectType('LearningOutcome', { description: 'A learning outcome of a micro-credential.' })
export class LearningOutcome {
  @Field(() => String) text!: string;
  @Field(() => String, { nullable: true, description: 'The ESCO skill it stands for (a concept URI).' }) escoSkillUri!: string | null;
}

@ObjectType('EuProfile', {
  description: 'The EU micro-credential profile of an achievement (Council Recommendation 2022/C 243/02): its elements and which mandatory ones are missing.',
})
export class EuProfile {
  @Field(() => Boolean, { description: 'True when every mandatory element is set: publishing with profile EU_MICROCREDENTIAL is allowed.' })
  complete!: boolean;
  @Field(() => [EuMandatoryElementEnum]) missing!: EuMandatoryElement[];
  @Field(() => String, { nullable: true }) awardingBodyCountry!: string | null;
  @Field(() => [LearningOutcome]) learningOutcomes!: LearningOutcome[];
  @Field(() => Int, { nullable: true }) eqfLevel!: number | null;
  @Field(() => String, { nullable: true }) assessmentType!: string | null;
  @Field(() => ParticipationFormEnum, { nullable: true }) participationForm!: ParticipationForm | null;
  @Field(() => String, { nullable: true }) qualityAssurance!: string | null;
  @Field(() => String, { nullable: true }) prerequisites!: string | null;
  @Field(() => Boolean, { nullable: true }) stackable!: boolean | null;
  @Field(() => String, { nullable: true }) stackabilityNote!: string | null;
  /** Whose profile this is (not a field): what `stacksInto` looks pathways up by. */
  achievementId!: string;
}

@ObjectType('Criteria', { description: 'How an achievement is earned (an Open Badges 3.0 Criteria).' })
export class Criteria {
  @Field(() => String, { nullable: true, description: 'The URL of a page that describes the criteria.' }) id!: string | null;
  @Field(() => String, { nullable: true, description: 'The criteria in Markdown.' }) narrative!: string | null;
}

@ObjectType('AchievementImage', { description: 'An achievement’s image (an Open Badges 3.0 Image).' })
export class AchievementImage {
  @Field(() => String, { description: 'The image URL.' }) id!: string;
  @Field(() => String, { nullable: true }) caption!: string | null;
}

@ObjectType('Alignment', { description: 'An alignment to a framework, standard or competency (an Open Badges 3.0 Alignment).' })
export class Alignment {
  @Field(() => String) targetName!: string;
  @Field(() => String) targetUrl!: string;
  @Field(() => String, { nullable: true }) targetCode!: string | null;
  @Field(() => String, { nullable: true }) targetDescription!: string | null;
  @Field(() => String, { nullable: true }) targetFramework!: string | null;
  @Field(() => String, { nullable: true, description: 'An OB AlignmentTargetType (ceasn:Competency, CFItem, CTDL, …) or ext:Name.' })
  targetType!: string | null;
}

@ObjectType('ResultDescription', { description: 'A result a credential for this achievement can report (an Open Badges 3.0 ResultDescription).' })
export class ResultDescription {
  @Field(() => String, { description: 'A URI; results in credentials point at it.' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'An OB ResultType (LetterGrade, Percent, RubricScore, …) or ext:Name.' }) resultType!: string;
  @Field(() => [String]) allowedValues!: string[];
  @Field(() => String, { nullable: true }) requiredValue!: string | null;
  @Field(() => String, { nullable: true }) valueMin!: string | null;
  @Field(() => String, { nullable: true }) valueMax!: string | null;
}

@ObjectType('EvidenceRule', { description: 'Credentials for the achievement need at least `minCount` pieces of evidence of `kind`.' })
export class EvidenceRule {
  @Field(() => EvidenceKindEnum) kind!: EvidenceKind;
  @Field(() => Int) minCount!: number;
}

@ObjectType('AchievementWarning', { description: 'Something worth checking that did not stop the change.' })
export class AchievementWarning {
  @Field(() => String, { description: 'Stable: LEARNING_HOURS_OUTSIDE_RANGE, SHARED_SKILL_KEPT.' }) code!: string;
  @Field(() => String) message!: string;
  @Field(() => String, { nullable: true, description: 'The input field it is about, e.g. "estimatedLearningHours".' }) field!: string | null;
}

// Fields without a column (criteria, image, lists, issuer, …) are field resolvers: see achievement.resolver.ts.
@Directive('@key(fields: "id")')
@Directive('@key(fields: "id version")')
@ObjectType('Achievement', {
  description:
    'Something an issuer recognises with a credential (an Open Badges 3.0 Achievement), at one version. By `id` alone it is the ' +
    'current version (the newest published one; before any is published, the draft). Versions share the `id`: cache them by `id` and `version`.',
})
export class Achievement {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Credentials reference (id, version); published versions never change.' }) version!: number;
  @Field(() => AchievementVersionStatusEnum) status!: VersionStatus;
  @Field(() => String, { description: 'The Open Badges id of this version (a URL under the hub’s public address).' }) uri!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Criteria) criteria!: Criteria;
  @Field(() => AchievementImage, { nullable: true }) image!: AchievementImage | null;
  @Field(() => String, { nullable: true, description: 'An OB AchievementType (Badge, Competency, MicroCredential, …) or ext:Name.' })
  achievementType!: string | null;
  @Field(() => [Alignment]) alignments!: Alignment[];
  @Field(() => [Skill]) skills!: Skill[];
  @Field(() => [String]) tags!: string[];
  @Field(() => String, { nullable: true, description: 'BCP 47 language tag (OB inLanguage).' }) language!: string | null;
  @Field(() => Float, { nullable: true }) creditsAvailable!: number | null;
  @Field(() => Float, { nullable: true, description: 'Micro-credentials usually take 5–40 hours; outside that range is allowed, with a warning.' })
  estimatedLearningHours!: number | null;
  @Field(() => String, { nullable: true, description: 'ISO 8601 duration (e.g. P2Y): credentials expire this long after issue; null = never.' })
  validity!: string | null;
  @Field(() => [ResultDescription]) resultDescriptions!: ResultDescription[];
  @Field(() => [EvidenceRule], { description: 'Evidence a credential needs before it is issued.' }) evidenceRules!: EvidenceRule[];
  @Field(() => Boolean, { description: 'Attendance alone never earns a competency-based achievement.' }) competencyBased!: boolean;
  @Field(() => EuProfile, { description: 'The EU micro-credential elements and which mandatory ones are missing (always answered, even when none is set).' })
  euProfile!: EuProfile;
  @Field(() => Issuer, { description: 'The issuer that defines this achievement.' }) issuer!: Issuer;
  @Field(() => [Achievement], { description: 'Every version you may see, oldest first (drafts only for the issuer’s members).' })
  versions!: Achievement[];
  @Field(() => GraphQLJSONObject, { description: 'This version as an Open Badges 3.0 Achievement, as credentials embed it.' })
  openBadge!: Record<string, unknown>;
  @Field(() => GraphQLDateTime, { description: 'When this version was created.' }) createdAt!: Date;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) publishedAt!: Date | null;
}

export const AchievementConnection = ConnectionType(Achievement, 'Achievement');
