import { describe, expect, test } from 'vitest';
import { thrownBy } from '../../../test/helpers/errors.js';
import {
  applyAchievementChanges,
  normaliseAchievementDefinition,
  resolveCompetencyBased,
  type AchievementDefinitionInput,
  type DraftDefinition,
} from './achievement-definition.js';

const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const valid: AchievementDefinitionInput = {
  issuerId,
  name: 'Welding Level 1',
  description: 'Can run a clean MIG bead on mild steel.',
  criteria: { narrative: 'Pass the practical assessment.' },
};

const definitionOf = (input: AchievementDefinitionInput) => normaliseAchievementDefinition(input).definition;
const fieldOf = (input: AchievementDefinitionInput) => {
  const error = thrownBy(() => normaliseAchievementDefinition(input));
  expect(error?.code).toBe('BAD_USER_INPUT');
  return error?.details.field;
};

describe('achievement definition rules', () => {
  test('trims name, description and narrative, and normalises the criteria url', () => {
    const { issuerId: issuer, definition } = normaliseAchievementDefinition({
      issuerId,
      name: '  Welding Level 1 ',
      description: ' Can weld. ',
      criteria: { narrative: '  # Steps\n\n1. Weld  ', url: ' https://acme.example/criteria ' },
    });
    expect(issuer).toBe(issuerId);
    expect(definition).toMatchObject({
      name: 'Welding Level 1',
      description: 'Can weld.',
      criteria: { narrative: '# Steps\n\n1. Weld', url: 'https://acme.example/criteria' },
    });
  });

  test('the old input (name, description, criteria) still makes a complete definition with empty lists and nulls', () => {
    expect(definitionOf(valid)).toEqual({
      name: 'Welding Level 1',
      description: 'Can run a clean MIG bead on mild steel.',
      criteria: { narrative: 'Pass the practical assessment.', url: null },
      image: null,
      achievementType: null,
      alignments: [],
      skills: [],
      tags: [],
      language: null,
      creditsAvailable: null,
      estimatedLearningHours: null,
      validity: null,
      resultDescriptions: [],
      evidenceRules: [],
      competencyBased: null,
      euProfile: null,
    });
  });

  test('name is required and at most 200 characters', () => {
    expect(fieldOf({ ...valid, name: '   ' })).toBe('name');
    expect(fieldOf({ ...valid, name: 'x'.repeat(201) })).toBe('name');
    expect(definitionOf({ ...valid, name: 'x'.repeat(200) }).name).toHaveLength(200);
  });

  test('description is required and at most 10,000 characters', () => {
    expect(fieldOf({ ...valid, description: '' })).toBe('description');
    expect(fieldOf({ ...valid, description: 'x'.repeat(10_001) })).toBe('description');
    expect(definitionOf({ ...valid, description: 'x'.repeat(10_000) }).description).toHaveLength(10_000);
  });

  test('criteria need a narrative or a url, either alone is enough', () => {
    expect(fieldOf({ ...valid, criteria: {} })).toBe('criteria');
    expect(fieldOf({ ...valid, criteria: { narrative: '  ', url: ' ' } })).toBe('criteria');
    expect(definitionOf({ ...valid, criteria: { url: 'http://acme.example/c' } }).criteria).toEqual({ narrative: null, url: 'http://acme.example/c' });
  });

  test('the criteria url must be an absolute http(s) URL', () => {
    expect(fieldOf({ ...valid, criteria: { url: 'acme.example/criteria' } })).toBe('criteria.url');
    expect(fieldOf({ ...valid, criteria: { narrative: 'ok', url: 'javascript:alert(1)' } })).toBe('criteria.url');
  });

  test('the issuer id must be a UUID', () => {
    expect(fieldOf({ ...valid, issuerId: 'acme' })).toBe('issuerId');
  });

  test('achievementType is an OB AchievementType or ext:Name; anything else is BAD_USER_INPUT', () => {
    expect(definitionOf({ ...valid, achievementType: 'MicroCredential' }).achievementType).toBe('MicroCredential');
    expect(definitionOf({ ...valid, achievementType: 'ext:Bootcamp' }).achievementType).toBe('ext:Bootcamp');
    expect(definitionOf({ ...valid, achievementType: '  ' }).achievementType).toBeNull();
    expect(fieldOf({ ...valid, achievementType: 'Nanodegree' })).toBe('achievementType');
  });

  test('the image is an http(s) URL or an uploaded PNG/SVG data: URI; its caption is optional', () => {
    expect(definitionOf({ ...valid, image: { url: 'https://acme.example/b.png', caption: ' Torch ' } }).image).toEqual({
      url: 'https://acme.example/b.png',
      caption: 'Torch',
    });
    expect(definitionOf({ ...valid, image: { url: 'data:image/png;base64,AAAA' } }).image).toEqual({ url: 'data:image/png;base64,AAAA', caption: null });
    expect(fieldOf({ ...valid, image: { url: 'data:text/html;base64,AAAA' } })).toBe('image.url');
    expect(fieldOf({ ...valid, image: { url: 'ftp://acme.example/b.png' } })).toBe('image.url');
  });

  test('the validity period is an ISO 8601 duration, stored in canonical form', () => {
    expect(definitionOf({ ...valid, validity: 'P2Y0M' }).validity).toBe('P2Y');
    expect(fieldOf({ ...valid, validity: '2 years' })).toBe('validity');
    expect(fieldOf({ ...valid, validity: 'P0D' })).toBe('validity');
  });

  test('a competency-based achievement refuses rules made only of ATTENDANCE', () => {
    const attendance = [{ kind: 'ATTENDANCE', minCount: 3 }];
    expect(fieldOf({ ...valid, achievementType: 'Competency', evidenceRules: attendance })).toBe('evidenceRules');
    expect(fieldOf({ ...valid, evidenceRules: attendance })).toBe('evidenceRules'); // no type: competency-based
    expect(definitionOf({ ...valid, achievementType: 'CertificateOfCompletion', evidenceRules: attendance }).evidenceRules).toEqual(attendance);
    expect(definitionOf({ ...valid, competencyBased: false, evidenceRules: attendance }).evidenceRules).toEqual(attendance);
  });

  test('competencyBased defaults from the achievement type unless the issuer sets it', () => {
    expect(resolveCompetencyBased(definitionOf({ ...valid, achievementType: 'MicroCredential' }))).toBe(true);
    expect(resolveCompetencyBased(definitionOf({ ...valid, achievementType: 'Course' }))).toBe(false);
    expect(resolveCompetencyBased(definitionOf({ ...valid, achievementType: 'Course', competencyBased: true }))).toBe(true);
    expect(definitionOf({ ...valid, achievementType: 'Course' }).competencyBased).toBeNull();
  });
});

describe('changing a definition', () => {
  const base: DraftDefinition = definitionOf({
    ...valid,
    achievementType: 'CertificateOfCompletion',
    tags: ['welding'],
    validity: 'P1Y',
    evidenceRules: [{ kind: 'ATTENDANCE', minCount: 5 }],
    resultDescriptions: [{ id: 'urn:example:grade', name: 'Grade', resultType: 'LetterGrade' }],
  });

  test('fields left out keep their value; given ones replace it', () => {
    const changed = applyAchievementChanges(base, { name: 'Welding Level 2', tags: ['welding', 'steel'] });
    expect(changed).toEqual({ ...base, name: 'Welding Level 2', tags: ['welding', 'steel'] });
  });

  test('null clears an optional field and empties a list', () => {
    const changed = applyAchievementChanges(base, { validity: null, tags: null, resultDescriptions: null });
    expect(changed).toMatchObject({ validity: null, tags: [], resultDescriptions: [] });
  });

  test('null is not a value for a required field', () => {
    expect(thrownBy(() => applyAchievementChanges(base, { name: null }))?.details.field).toBe('name');
    expect(thrownBy(() => applyAchievementChanges(base, { criteria: null }))?.details.field).toBe('criteria');
  });

  test('the whole definition is checked again: a change can make an unchanged field invalid', () => {
    // Attendance-only rules were fine for a completion certificate; a competency is another matter.
    expect(thrownBy(() => applyAchievementChanges(base, { achievementType: 'Competency' }))?.details.field).toBe('evidenceRules');
    expect(thrownBy(() => applyAchievementChanges(base, { competencyBased: true }))?.details.field).toBe('evidenceRules');
  });

  test('a stored definition passes through unchanged (normalising is idempotent)', () => {
    expect(applyAchievementChanges(base, {})).toEqual(base);
  });
});
