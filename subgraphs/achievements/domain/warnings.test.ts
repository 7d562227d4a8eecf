import { describe, expect, test } from 'vitest';
import { learningHoursWarnings, sharedSkillWarnings } from './warnings.js';

describe('warnings', () => {
  test('learning hours within 5–40 need no comment', () => {
    for (const hours of [5, 12.5, 40]) expect(learningHoursWarnings(hours)).toEqual([]);
    expect(learningHoursWarnings(null)).toEqual([]);
  });

  test('learning hours outside 5–40 are allowed, with a warning naming the field', () => {
    for (const hours of [1, 4.5, 40.5, 120]) {
      expect(learningHoursWarnings(hours)).toEqual([
        { code: 'LEARNING_HOURS_OUTSIDE_RANGE', field: 'estimatedLearningHours', message: expect.stringContaining(`${hours} learning hours`) },
      ]);
    }
  });

  test('naming a shared skill differently keeps the shared definition, with a warning', () => {
    const shared = { framework: 'ESCO' as const, code: 'http://esco/s/1', name: 'weld metal', url: 'http://esco/s/1' };
    expect(sharedSkillWarnings([shared], [shared])).toEqual([]);
    expect(sharedSkillWarnings([{ ...shared, name: 'Welding' }], [shared])).toEqual([
      { code: 'SHARED_SKILL_KEPT', field: 'skills[0]', message: expect.stringContaining('"weld metal"') },
    ]);
  });
});
