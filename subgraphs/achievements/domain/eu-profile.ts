import { AppError } from '../../../lib/errors.js';
import {
  ESCO_URI_PATTERN,
  PARTICIPATION_FORMS,
  missingEuElements,
  type EuMicroCredentialProfile,
  type ParticipationForm,
} from '../../../lib/ob/eu-microcredential.js';
import { optionalText, requiredText } from '../../../lib/validation.js';
import { MAX_LIST_LENGTH } from './definition-parts.js';
import type { DraftDefinition } from './achievement-definition.js';

/** The Council Recommendation's elements as an issuer sends them; every field optional until publication. */
export interface EuProfileInput {
  awardingBodyCountry?: string | null;
  learningOutcomes?: { text: string; escoSkillUri?: string | null }[] | null;
  eqfLevel?: number | null;
  assessmentType?: string | null;
  participationForm?: ParticipationForm | null;
  qualityAssurance?: string | null;
  prerequisites?: string | null;
  stackable?: boolean | null;
  stackabilityNote?: string | null;
}

/** The profiles an achievement can be published under; each adds requirements to publication. */
export const ACHIEVEMENT_PROFILES = ['EU_MICROCREDENTIAL'] as const;
export type AchievementProfile = (typeof ACHIEVEMENT_PROFILES)[number];

/** @default 2_000 */
const MAX_TEXT = 2_000;

const invalid = (field: string, message: string): never => {
  throw new AppError('BAD_USER_INPUT', message, { field });
};

/**
 * Checks and normalises the EU profile; null when the issuer set none of it (so an achievement without the profile
 * stores nothing). Idempotent, like the rest of a definition.
 */
export function normaliseEuProfile(input: EuProfileInput | null | undefined): EuMicroCredentialProfile | null {
  if (!input) return null;
  const country = input.awardingBodyCountry?.trim().toUpperCase() || null;
  // The EU country authority table (which EDC documents point at) uses three-letter codes.
  if (country !== null && !/^[A-Z]{3}$/.test(country)) {
    invalid('euProfile.awardingBodyCountry', 'euProfile.awardingBodyCountry must be an ISO 3166-1 alpha-3 code such as DEU or SVN');
  }
  const outcomes = input.learningOutcomes ?? [];
  if (outcomes.length > MAX_LIST_LENGTH) invalid('euProfile.learningOutcomes', `euProfile.learningOutcomes may have at most ${MAX_LIST_LENGTH} entries`);
  const learningOutcomes = outcomes.map((outcome, index) => {
    const field = `euProfile.learningOutcomes[${index}]`;
    const escoSkillUri = outcome.escoSkillUri?.trim() || null;
    if (escoSkillUri !== null && !ESCO_URI_PATTERN.test(escoSkillUri)) {
      invalid(`${field}.escoSkillUri`, `${field}.escoSkillUri must be an ESCO concept URI (http://data.europa.eu/esco/skill/…)`);
    }
    return { text: requiredText(outcome.text, `${field}.text`, MAX_TEXT), escoSkillUri };
  });
  const eqfLevel = input.eqfLevel ?? null;
  if (eqfLevel !== null && !(Number.isInteger(eqfLevel) && eqfLevel >= 1 && eqfLevel <= 8)) {
    invalid('euProfile.eqfLevel', 'euProfile.eqfLevel must be a whole number from 1 to 8');
  }
  const participationForm = input.participationForm ?? null;
  if (participationForm !== null && !PARTICIPATION_FORMS.includes(participationForm)) {
    invalid('euProfile.participationForm', `euProfile.participationForm must be one of ${PARTICIPATION_FORMS.join(', ')}`);
  }
  const profile: EuMicroCredentialProfile = {
    awardingBodyCountry: country,
    learningOutcomes,
    eqfLevel,
    assessmentType: optionalText(input.assessmentType, 'euProfile.assessmentType', MAX_TEXT),
    participationForm,
    qualityAssurance: optionalText(input.qualityAssurance, 'euProfile.qualityAssurance', MAX_TEXT),
    prerequisites: optionalText(input.prerequisites, 'euProfile.prerequisites', MAX_TEXT),
    stackable: input.stackable ?? null,
    stackabilityNote: optionalText(input.stackabilityNote, 'euProfile.stackabilityNote', MAX_TEXT),
  };
  const empty = Object.values(profile).every((value) => value === null || (Array.isArray(value) && value.length === 0));
  return empty ? null : profile;
}

/** Publishing under the EU profile refuses a definition that lacks a mandatory element, naming every one missing. */
export function assertProfileComplete(definition: DraftDefinition, profile: AchievementProfile | null): void {
  if (profile !== 'EU_MICROCREDENTIAL') return;
  const missing = missingEuElements(definition);
  if (missing.length > 0) {
    throw new AppError('BAD_USER_INPUT', `The EU micro-credential profile needs: ${missing.join(', ')}`, { field: 'euProfile', missing });
  }
}
