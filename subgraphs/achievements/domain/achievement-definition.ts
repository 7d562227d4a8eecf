import { AppError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { AchievementDefinition } from '../../../lib/ob/achievement.js';
import { normaliseDuration } from '../../../lib/ob/duration.js';
import { competencyBasedByDefault, normaliseEvidenceRules } from '../../../lib/ob/evidence-rules.js';
import { ACHIEVEMENT_TYPE, vocabularyTerm } from '../../../lib/ob/vocabulary.js';
import { httpUrl, imageUrl, optionalText, requiredText } from '../../../lib/validation.js';
import {
  normaliseAlignments,
  normaliseCredits,
  normaliseLanguage,
  normaliseLearningHours,
  normaliseResultDescriptions,
  normaliseSkills,
  normaliseTags,
  type AlignmentInput,
  type ResultDescriptionInput,
  type SkillInput,
} from './definition-parts.js';
import { normaliseEuProfile, type EuProfileInput } from './eu-profile.js';

/**
 * The fields an issuer sets on an achievement. In an update, a field left out keeps its value, null clears it
 * (for `competencyBased`: back to the default for the type), and an object or list given replaces the old one whole.
 */
export interface AchievementFieldsInput {
  name?: string | null;
  description?: string | null;
  criteria?: { narrative?: string | null; url?: string | null } | null;
  image?: { url: string; caption?: string | null } | null;
  achievementType?: string | null;
  alignments?: AlignmentInput[] | null;
  skills?: SkillInput[] | null;
  tags?: string[] | null;
  language?: string | null;
  creditsAvailable?: number | null;
  estimatedLearningHours?: number | null;
  validity?: string | null;
  resultDescriptions?: ResultDescriptionInput[] | null;
  evidenceRules?: { kind: string; minCount: number }[] | null;
  competencyBased?: boolean | null;
  euProfile?: EuProfileInput | null;
}

export interface AchievementDefinitionInput extends AchievementFieldsInput {
  issuerId: string;
  name: string;
  description: string;
  criteria: { narrative?: string | null; url?: string | null };
}

/**
 * A version's definition as the issuer set it: like the OB definition, but `competencyBased` is null when the
 * issuer left it to the achievement type, so changing the type later also changes the default.
 */
export type DraftDefinition = Omit<AchievementDefinition, 'version' | 'competencyBased' | 'euProfile'> & {
  competencyBased: boolean | null;
  euProfile: NonNullable<AchievementDefinition['euProfile']> | null;
};

/** @default 200 // same as an issuer's name: it is shown on badges and in wallets */
const MAX_NAME_LENGTH = 200;
/** @default 10_000 */
const MAX_DESCRIPTION_LENGTH = 10_000;
/** @default 10_000 */
const MAX_NARRATIVE_LENGTH = 10_000;

export function resolveCompetencyBased(definition: Pick<DraftDefinition, 'achievementType' | 'competencyBased'>): boolean {
  return definition.competencyBased ?? competencyBasedByDefault(definition.achievementType);
}

/** Every field present (null when unset): what `normaliseDraft` checks. */
type CompleteInput = { [K in keyof AchievementFieldsInput]-?: AchievementFieldsInput[K] | null };

/**
 * Checks and normalises a whole definition, rejecting what would make an invalid OB 3.0 Achievement (it needs a
 * name, a description and criteria with a narrative, a URL or both) or break Cairn's issuance rules.
 * Idempotent: a stored definition passes through unchanged, which is what lets an update re-check it whole.
 */
function normaliseDraft(input: CompleteInput): DraftDefinition {
  const name = requiredText(input.name ?? '', 'name', MAX_NAME_LENGTH);
  const description = requiredText(input.description ?? '', 'description', MAX_DESCRIPTION_LENGTH);
  const criteriaNarrative = optionalText(input.criteria?.narrative, 'criteria.narrative', MAX_NARRATIVE_LENGTH);
  const url = input.criteria?.url?.trim() || null;
  const criteriaUrl = url ? httpUrl(url, 'criteria.url') : null;
  if (!criteriaNarrative && !criteriaUrl) {
    throw new AppError('BAD_USER_INPUT', 'criteria needs a narrative, a url, or both', { field: 'criteria' });
  }
  const achievementType = input.achievementType?.trim() ? vocabularyTerm(input.achievementType, ACHIEVEMENT_TYPE, 'achievementType') : null;
  const competencyBased = input.competencyBased ?? null;
  return {
    name,
    description,
    criteria: { narrative: criteriaNarrative, url: criteriaUrl },
    image: input.image
      ? { url: imageUrl(input.image.url, 'image.url'), caption: optionalText(input.image.caption, 'image.caption', 500) }
      : null,
    achievementType,
    alignments: normaliseAlignments(input.alignments),
    skills: normaliseSkills(input.skills),
    tags: normaliseTags(input.tags),
    language: normaliseLanguage(input.language),
    creditsAvailable: normaliseCredits(input.creditsAvailable),
    estimatedLearningHours: normaliseLearningHours(input.estimatedLearningHours),
    validity: input.validity?.trim() ? normaliseDuration(input.validity, 'validity') : null,
    resultDescriptions: normaliseResultDescriptions(input.resultDescriptions),
    evidenceRules: normaliseEvidenceRules(input.evidenceRules ?? [], resolveCompetencyBased({ achievementType, competencyBased })),
    competencyBased,
    euProfile: normaliseEuProfile(input.euProfile),
  };
}

const FIELDS = [
  'name',
  'description',
  'criteria',
  'image',
  'achievementType',
  'alignments',
  'skills',
  'tags',
  'language',
  'creditsAvailable',
  'estimatedLearningHours',
  'validity',
  'resultDescriptions',
  'evidenceRules',
  'competencyBased',
  'euProfile',
] as const satisfies readonly (keyof AchievementFieldsInput)[];

/** The definition of a new achievement (version 1), for the issuer it names. */
export function normaliseAchievementDefinition(input: AchievementDefinitionInput): { issuerId: string; definition: DraftDefinition } {
  // The id is stored in a uuid column: a malformed one is the caller's mistake, not a database error.
  if (!isUuid(input.issuerId)) throw new AppError('BAD_USER_INPUT', 'issuerId is not a valid id', { field: 'issuerId' });
  const complete = Object.fromEntries(FIELDS.map((field) => [field, input[field] ?? null])) as CompleteInput;
  return { issuerId: input.issuerId, definition: normaliseDraft(complete) };
}

/**
 * `base` with `changes` applied (left out = unchanged, null = cleared), checked whole: a change can make another,
 * unchanged field invalid (e.g. declaring the achievement competency-based when its only rule is ATTENDANCE).
 */
export function applyAchievementChanges(base: DraftDefinition, changes: AchievementFieldsInput): DraftDefinition {
  const merged = Object.fromEntries(
    FIELDS.map((field) => [field, changes[field] === undefined ? base[field] : changes[field]]),
  ) as CompleteInput;
  return normaliseDraft(merged);
}
