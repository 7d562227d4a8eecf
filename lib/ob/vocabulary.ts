import { AppError } from '../errors.js';

/**
 * The Open Badges 3.0 extensible vocabularies Cairn writes into achievements. Each one is a closed list of
 * terms plus any `ext:Name` (the spec's extension convention); anything else makes the credential fail the
 * OB JSON Schema, so it is refused at definition time rather than at issuance.
 */

/** OB 3.0 AchievementType (ob_v3p0 Achievement.achievementType). */
export const ACHIEVEMENT_TYPES = [
  'Achievement',
  'ApprenticeshipCertificate',
  'Assessment',
  'Assignment',
  'AssociateDegree',
  'Award',
  'Badge',
  'BachelorDegree',
  'Certificate',
  'CertificateOfCompletion',
  'Certification',
  'CommunityService',
  'Competency',
  'Course',
  'CoCurricular',
  'Degree',
  'Diploma',
  'DoctoralDegree',
  'Fieldwork',
  'GeneralEducationDevelopment',
  'JourneymanCertificate',
  'LearningProgram',
  'License',
  'Membership',
  'ProfessionalDoctorate',
  'QualityAssuranceCredential',
  'MasterCertificate',
  'MasterDegree',
  'MicroCredential',
  'ResearchDoctorate',
  'SecondarySchoolDiploma',
] as const;

/** OB 3.0 AlignmentTargetType (Alignment.targetType). */
export const ALIGNMENT_TARGET_TYPES = [
  'ceasn:Competency',
  'ceterms:Credential',
  'CFItem',
  'CFRubric',
  'CFRubricCriterion',
  'CFRubricCriterionLevel',
  'CTDL',
] as const;

/** OB 3.0 ResultType (ResultDescription.resultType). */
export const RESULT_TYPES = [
  'GradePointAverage',
  'LetterGrade',
  'Percent',
  'PerformanceLevel',
  'PredictedScore',
  'RawScore',
  'Result',
  'RubricCriterion',
  'RubricCriterionLevel',
  'RubricScore',
  'ScaledScore',
  'Status',
] as const;

export interface Vocabulary {
  /** How messages name it, e.g. "achievementType". */
  name: string;
  terms: readonly string[];
}

export const ACHIEVEMENT_TYPE: Vocabulary = { name: 'achievementType', terms: ACHIEVEMENT_TYPES };
export const ALIGNMENT_TARGET_TYPE: Vocabulary = { name: 'targetType', terms: ALIGNMENT_TARGET_TYPES };
export const RESULT_TYPE: Vocabulary = { name: 'resultType', terms: RESULT_TYPES };

/**
 * `ext:` followed by a name. The OB schema's own pattern is unanchored (`(ext:)[a-z|A-Z|0-9|.|-|_]+`), so it
 * accepts "xext:a b"; this is the intent of it, anchored.
 */
const EXTENSION_TERM = /^ext:[A-Za-z0-9._-]{1,100}$/;

export function isExtensionTerm(value: string): boolean {
  return EXTENSION_TERM.test(value);
}

/**
 * A term of `vocabulary` in its canonical spelling, or an `ext:` term as given. A known term typed in another
 * case ("competency") is accepted and spelled as the spec does ("Competency"): the intent is unambiguous.
 * Anything else is BAD_USER_INPUT naming `field`.
 */
export function vocabularyTerm(value: string, vocabulary: Vocabulary, field: string): string {
  const trimmed = value.trim();
  if (isExtensionTerm(trimmed)) return trimmed;
  const known = vocabulary.terms.find((term) => term.toLowerCase() === trimmed.toLowerCase());
  if (known) return known;
  throw new AppError(
    'BAD_USER_INPUT',
    `${vocabulary.name} "${trimmed}" is not an Open Badges 3.0 term; use one of ${vocabulary.terms.join(', ')}, or ext:YourName for an extension`,
    { field },
  );
}
