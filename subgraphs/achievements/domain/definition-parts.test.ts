import { describe, expect, test } from 'vitest';
import { thrownBy } from '../../../test/helpers/errors.js';
import {
  normaliseAlignments,
  normaliseCredits,
  normaliseLanguage,
  normaliseLearningHours,
  normaliseResultDescriptions,
  normaliseSkills,
  normaliseTags,
} from './definition-parts.js';

const fieldOf = (run: () => unknown) => {
  const error = thrownBy(run);
  expect(error?.code).toBe('BAD_USER_INPUT');
  return error?.details.field;
};

describe('alignments', () => {
  const alignment = { targetName: ' Welding fundamentals ', targetUrl: 'https://case.example/items/42' };

  test('targetName and targetUrl are required; the rest is optional and trimmed', () => {
    expect(normaliseAlignments([{ ...alignment, targetCode: ' W-1 ', targetFramework: '' }])).toEqual([
      {
        targetName: 'Welding fundamentals',
        targetUrl: 'https://case.example/items/42',
        targetCode: 'W-1',
        targetDescription: null,
        targetFramework: null,
        targetType: null,
      },
    ]);
    expect(fieldOf(() => normaliseAlignments([alignment, { ...alignment, targetName: ' ' }]))).toBe('alignments[1].targetName');
    expect(fieldOf(() => normaliseAlignments([{ ...alignment, targetUrl: 'case.example/42' }]))).toBe('alignments[0].targetUrl');
  });

  test('targetType is an OB AlignmentTargetType or ext:Name', () => {
    expect(normaliseAlignments([{ ...alignment, targetType: 'ceasn:Competency' }])[0]!.targetType).toBe('ceasn:Competency');
    expect(normaliseAlignments([{ ...alignment, targetType: 'ext:OpenSkill' }])[0]!.targetType).toBe('ext:OpenSkill');
    expect(fieldOf(() => normaliseAlignments([{ ...alignment, targetType: 'Competency' }]))).toBe('alignments[0].targetType');
  });

  test('at most 50', () => {
    expect(fieldOf(() => normaliseAlignments(Array.from({ length: 51 }, () => alignment)))).toBe('alignments');
  });
});

describe('skills', () => {
  test('an ESCO code that is a URI serves as the skill URL; other codes need one', () => {
    expect(normaliseSkills([{ framework: 'ESCO', code: 'http://data.europa.eu/esco/skill/abc', name: 'weld metal' }])).toEqual([
      { framework: 'ESCO', code: 'http://data.europa.eu/esco/skill/abc', name: 'weld metal', url: 'http://data.europa.eu/esco/skill/abc' },
    ]);
    expect(fieldOf(() => normaliseSkills([{ framework: 'ONET', code: '2.A.1.a', name: 'Reading Comprehension' }]))).toBe('skills[0].url');
  });

  test('the same (framework, code) named twice is kept once', () => {
    const skill = { framework: 'CUSTOM', code: 'weld-3', name: 'Weld', url: 'https://acme.example/s/3' };
    expect(normaliseSkills([skill, { ...skill, name: 'Other name' }, { ...skill, framework: 'LIGHTCAST' }])).toHaveLength(2);
  });

  test('an unknown framework is BAD_USER_INPUT', () => {
    expect(fieldOf(() => normaliseSkills([{ framework: 'SFIA', code: 'x', name: 'x', url: 'https://x.example' }]))).toBe('skills[0].framework');
  });
});

describe('tags, language, numbers', () => {
  test('tags are trimmed and kept once, ignoring case', () => {
    expect(normaliseTags([' welding ', 'Welding', 'steel'])).toEqual(['welding', 'steel']);
    expect(fieldOf(() => normaliseTags(['ok', ' ']))).toBe('tags[1]');
  });

  test('language is BCP 47 in canonical case, in the form the OB schema accepts', () => {
    expect(normaliseLanguage('en-gb')).toBe('en-GB');
    expect(normaliseLanguage('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(normaliseLanguage('es-419')).toBe('es-419');
    expect(normaliseLanguage(' ')).toBeNull();
    expect(fieldOf(() => normaliseLanguage('english'))).toBe('language');
    expect(fieldOf(() => normaliseLanguage('en_GB'))).toBe('language');
    // Well-formed BCP 47, but the OB inLanguage pattern has no variants.
    expect(fieldOf(() => normaliseLanguage('de-CH-1996'))).toBe('language');
  });

  test('credits are 0 or more; learning hours more than 0', () => {
    expect(normaliseCredits(0)).toBe(0);
    expect(fieldOf(() => normaliseCredits(-1))).toBe('creditsAvailable');
    expect(fieldOf(() => normaliseCredits(Number.NaN))).toBe('creditsAvailable');
    expect(normaliseLearningHours(2)).toBe(2);
    expect(fieldOf(() => normaliseLearningHours(0))).toBe('estimatedLearningHours');
    expect(fieldOf(() => normaliseLearningHours(10_001))).toBe('estimatedLearningHours');
  });
});

describe('result descriptions', () => {
  const mint = () => 'urn:uuid:0190a0a0-0000-7000-8000-0000000000r1';
  const grade = { name: 'Grade', resultType: 'LetterGrade', allowedValues: ['A', 'B', 'C'], requiredValue: 'B' };

  test('an id is minted when none is given, and kept when given', () => {
    expect(normaliseResultDescriptions([grade], mint)[0]!.id).toBe('urn:uuid:0190a0a0-0000-7000-8000-0000000000r1');
    expect(normaliseResultDescriptions([{ ...grade, id: 'https://acme.example/results/grade' }], mint)[0]!.id).toBe(
      'https://acme.example/results/grade',
    );
    expect(fieldOf(() => normaliseResultDescriptions([{ ...grade, id: 'grade' }]))).toBe('resultDescriptions[0].id');
    expect(fieldOf(() => normaliseResultDescriptions([{ ...grade, id: 'urn:x:1' }, { ...grade, id: 'urn:x:1' }]))).toBe('resultDescriptions[1].id');
  });

  test('resultType is an OB ResultType or ext:Name', () => {
    expect(normaliseResultDescriptions([{ ...grade, resultType: 'ext:Stars' }], mint)[0]!.resultType).toBe('ext:Stars');
    expect(fieldOf(() => normaliseResultDescriptions([{ ...grade, resultType: 'Grade' }]))).toBe('resultDescriptions[0].resultType');
  });

  test('requiredValue must be an allowed value; valueMin may not exceed valueMax', () => {
    expect(fieldOf(() => normaliseResultDescriptions([{ ...grade, requiredValue: 'D' }]))).toBe('resultDescriptions[0].requiredValue');
    const score = { name: 'Score', resultType: 'RawScore', valueMin: '0', valueMax: '100' };
    expect(normaliseResultDescriptions([score], mint)[0]).toMatchObject({ valueMin: '0', valueMax: '100', allowedValues: [] });
    expect(fieldOf(() => normaliseResultDescriptions([{ ...score, valueMin: '50', valueMax: '10' }]))).toBe('resultDescriptions[0].valueMax');
  });
});
