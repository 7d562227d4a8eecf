import { describe, expect, test } from 'vitest';
import { thrownBy } from '../../test/helpers/errors.js';
import { ACHIEVEMENT_TYPE, ALIGNMENT_TARGET_TYPE, RESULT_TYPE, isExtensionTerm, vocabularyTerm } from './vocabulary.js';

describe('OB 3.0 extensible vocabularies', () => {
  test('every achievementType of the OB enum is accepted as spelled', () => {
    for (const term of ACHIEVEMENT_TYPE.terms) expect(vocabularyTerm(term, ACHIEVEMENT_TYPE, 'achievementType')).toBe(term);
  });

  test('a known term in another case is spelled as the spec does', () => {
    expect(vocabularyTerm(' microcredential ', ACHIEVEMENT_TYPE, 'achievementType')).toBe('MicroCredential');
    expect(vocabularyTerm('CEASN:COMPETENCY', ALIGNMENT_TARGET_TYPE, 'targetType')).toBe('ceasn:Competency');
  });

  test('ext:Name extends any vocabulary; the name may use letters, digits, dots, dashes and underscores', () => {
    expect(vocabularyTerm('ext:Apprenticeship-Module_2.1', ACHIEVEMENT_TYPE, 'achievementType')).toBe('ext:Apprenticeship-Module_2.1');
    expect(vocabularyTerm('ext:RubricPoints', RESULT_TYPE, 'resultType')).toBe('ext:RubricPoints');
    expect(isExtensionTerm('ext:')).toBe(false);
    expect(isExtensionTerm('ext:two words')).toBe(false);
    expect(isExtensionTerm('EXT:Name')).toBe(false);
  });

  test('anything else is BAD_USER_INPUT naming the field', () => {
    const error = thrownBy(() => vocabularyTerm('Nanodegree', ACHIEVEMENT_TYPE, 'achievementType'));
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.details.field).toBe('achievementType');
    expect(error?.message).toMatch(/ext:YourName/);
    expect(thrownBy(() => vocabularyTerm('Competency', ALIGNMENT_TARGET_TYPE, 'alignments[2].targetType'))?.details.field).toBe(
      'alignments[2].targetType',
    );
    expect(thrownBy(() => vocabularyTerm('Grade', RESULT_TYPE, 'resultDescriptions[0].resultType'))?.code).toBe('BAD_USER_INPUT');
  });

  test('alignment target types are the OB list (CASE, CTDL, CE terms), not achievement types', () => {
    for (const term of ['ceasn:Competency', 'ceterms:Credential', 'CFItem', 'CFRubric', 'CFRubricCriterion', 'CFRubricCriterionLevel', 'CTDL']) {
      expect(vocabularyTerm(term, ALIGNMENT_TARGET_TYPE, 'targetType')).toBe(term);
    }
    expect(thrownBy(() => vocabularyTerm('Badge', ALIGNMENT_TARGET_TYPE, 'targetType'))?.code).toBe('BAD_USER_INPUT');
  });
});
