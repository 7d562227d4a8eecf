import { describe, expect, test } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { missingEuElements } from '../../../lib/ob/eu-microcredential.js';
import { normaliseAchievementDefinition } from './achievement-definition.js';
import { assertProfileComplete, normaliseEuProfile } from './eu-profile.js';

const base = { issuerId: '0190a0a0-0000-7000-8000-000000000001', name: 'Data literacy', description: 'Reads data.', criteria: { narrative: 'Pass.' } };
const completeProfile = {
  awardingBodyCountry: 'deu',
  learningOutcomes: [{ text: 'Cleans a data set', escoSkillUri: 'http://data.europa.eu/esco/skill/abc-123' }],
  eqfLevel: 5,
  assessmentType: 'Graded project',
  participationForm: 'ONLINE' as const,
  qualityAssurance: 'Internal QA of the faculty',
};

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('EU micro-credential profile', () => {
  test('an achievement with no EU element set stores no profile and misses every mandatory element', () => {
    const { definition } = normaliseAchievementDefinition(base);
    expect(definition.euProfile).toBeNull();
    expect(missingEuElements(definition)).toEqual([
      'AWARDING_BODY_COUNTRY',
      'LEARNING_OUTCOMES',
      'WORKLOAD',
      'EQF_LEVEL',
      'ASSESSMENT_TYPE',
      'PARTICIPATION_FORM',
      'QUALITY_ASSURANCE',
    ]);
  });

  test('workload is complete with ECTS credits or with hours', () => {
    const credits = normaliseAchievementDefinition({ ...base, euProfile: completeProfile, creditsAvailable: 2 }).definition;
    const hours = normaliseAchievementDefinition({ ...base, euProfile: completeProfile, estimatedLearningHours: 25 }).definition;
    expect(missingEuElements(credits)).toEqual([]);
    expect(missingEuElements(hours)).toEqual([]);
    expect(credits.euProfile?.awardingBodyCountry).toBe('DEU');
  });

  test('publishing under EU_MICROCREDENTIAL names every missing element; without the profile it is not checked', () => {
    const { definition } = normaliseAchievementDefinition({ ...base, euProfile: { eqfLevel: 4 } });
    const error = thrown(() => assertProfileComplete(definition, 'EU_MICROCREDENTIAL'));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details.missing).toEqual(['AWARDING_BODY_COUNTRY', 'LEARNING_OUTCOMES', 'WORKLOAD', 'ASSESSMENT_TYPE', 'PARTICIPATION_FORM', 'QUALITY_ASSURANCE']);
    expect(() => assertProfileComplete(definition, null)).not.toThrow();
  });

  test.each([
    [{ awardingBodyCountry: 'DE' }, 'euProfile.awardingBodyCountry'],
    [{ eqfLevel: 9 }, 'euProfile.eqfLevel'],
    [{ eqfLevel: 2.5 }, 'euProfile.eqfLevel'],
    [{ learningOutcomes: [{ text: 'x', escoSkillUri: 'https://example.com/skill' }] }, 'euProfile.learningOutcomes[0].escoSkillUri'],
    [{ learningOutcomes: [{ text: '  ' }] }, 'euProfile.learningOutcomes[0].text'],
    [{ participationForm: 'HYBRID' as never }, 'euProfile.participationForm'],
  ])('refuses %j, naming %s', (profile, field) => {
    expect(thrown(() => normaliseEuProfile(profile)).details.field).toBe(field);
  });

  test('normalising a stored profile again changes nothing', () => {
    const once = normaliseEuProfile(completeProfile);
    expect(normaliseEuProfile(once)).toEqual(once);
  });
});
