import { describe, expect, test } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { normaliseAchievementDefinition, type AchievementDefinitionInput } from './achievement-definition.js';

const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const valid: AchievementDefinitionInput = {
  issuerId,
  name: 'Welding Level 1',
  description: 'Can run a clean MIG bead on mild steel.',
  criteria: { narrative: 'Pass the practical assessment.' },
};

function fieldOf(input: AchievementDefinitionInput): unknown {
  try {
    normaliseAchievementDefinition(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_USER_INPUT');
    return (error as AppError).details.field;
  }
  return expect.unreachable();
}

describe('achievement definition rules', () => {
  test('trims name, description and narrative, and normalises the criteria url', () => {
    expect(
      normaliseAchievementDefinition({
        issuerId,
        name: '  Welding Level 1 ',
        description: ' Can weld. ',
        criteria: { narrative: '  # Steps\n\n1. Weld  ', url: ' https://acme.example/criteria ' },
      }),
    ).toEqual({
      issuerId,
      name: 'Welding Level 1',
      description: 'Can weld.',
      criteriaNarrative: '# Steps\n\n1. Weld',
      criteriaUrl: 'https://acme.example/criteria',
    });
  });

  test('name is required and at most 200 characters', () => {
    expect(fieldOf({ ...valid, name: '   ' })).toBe('name');
    expect(fieldOf({ ...valid, name: 'x'.repeat(201) })).toBe('name');
    expect(normaliseAchievementDefinition({ ...valid, name: 'x'.repeat(200) }).name).toHaveLength(200);
  });

  test('description is required and at most 10,000 characters', () => {
    expect(fieldOf({ ...valid, description: '' })).toBe('description');
    expect(fieldOf({ ...valid, description: 'x'.repeat(10_001) })).toBe('description');
    expect(normaliseAchievementDefinition({ ...valid, description: 'x'.repeat(10_000) }).description).toHaveLength(10_000);
  });

  test('criteria need a narrative or a url, either alone is enough', () => {
    expect(fieldOf({ ...valid, criteria: {} })).toBe('criteria');
    expect(fieldOf({ ...valid, criteria: { narrative: '  ', url: ' ' } })).toBe('criteria');
    expect(normaliseAchievementDefinition({ ...valid, criteria: { url: 'http://acme.example/c' } })).toMatchObject({
      criteriaNarrative: null,
      criteriaUrl: 'http://acme.example/c',
    });
    expect(normaliseAchievementDefinition(valid)).toMatchObject({ criteriaNarrative: 'Pass the practical assessment.', criteriaUrl: null });
  });

  test('the criteria url must be an absolute http(s) URL', () => {
    expect(fieldOf({ ...valid, criteria: { url: 'acme.example/criteria' } })).toBe('criteria.url');
    expect(fieldOf({ ...valid, criteria: { narrative: 'ok', url: 'javascript:alert(1)' } })).toBe('criteria.url');
  });

  test('the issuer id must be a UUID', () => {
    expect(fieldOf({ ...valid, issuerId: 'acme' })).toBe('issuerId');
  });
});
