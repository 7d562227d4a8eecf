import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, test } from 'vitest';
import { readBundledJson } from '../crypto/bundled-files.js';
import { achievementDefinition } from '../../test/helpers/achievements.js';
import { achievementUri, toObAchievement, type AchievementDefinition } from './achievement.js';

/** The 1EdTech JSON Schema as bundled (lib/crypto/contexts.test.ts holds it to its recorded official digest). */
const schema = readBundledJson('schemas/ob_v3p0_achievementcredential_schema.json') as { $id: string };
const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
ajv.addSchema(schema);
const validateAchievement = ajv.getSchema(`${schema.$id}#/$defs/Achievement`)!;

const id = 'https://hub.example/achievements/0190a0a0-0000-7000-8000-0000000000ac/versions/3';

const minimal = achievementDefinition({
  name: 'Welding Level 1',
  description: 'Runs a clean MIG bead on mild steel.',
  criteria: { narrative: 'Pass the practical assessment.', url: null },
  achievementType: null,
  evidenceRules: [],
});

const full: AchievementDefinition = {
  ...minimal,
  version: 3,
  criteria: { narrative: '# Steps\n\n1. Weld', url: 'https://acme.example/criteria' },
  image: { url: 'https://acme.example/badge.png', caption: 'A welding torch' },
  achievementType: 'MicroCredential',
  alignments: [
    {
      targetName: 'Welding fundamentals',
      targetUrl: 'https://case.example/items/42',
      targetCode: 'W-1',
      targetDescription: null,
      targetFramework: 'Acme Trades Framework',
      targetType: 'CFItem',
    },
  ],
  skills: [
    { framework: 'ESCO', code: 'http://data.europa.eu/esco/skill/abc', name: 'weld metal', url: 'http://data.europa.eu/esco/skill/abc' },
    { framework: 'CUSTOM', code: 'acme-weld-3', name: 'Acme weld', url: 'https://acme.example/skills/weld-3' },
  ],
  tags: ['welding', 'trades'],
  language: 'en-GB',
  creditsAvailable: 1.5,
  estimatedLearningHours: 12,
  validity: 'P2Y',
  resultDescriptions: [
    {
      id: 'urn:uuid:0190a0a0-0000-7000-8000-0000000000rd',
      name: 'Practical grade',
      resultType: 'LetterGrade',
      allowedValues: ['A', 'B', 'C'],
      requiredValue: 'C',
      valueMin: null,
      valueMax: null,
    },
    { id: 'urn:example:score', name: 'Score', resultType: 'ext:Points', allowedValues: [], requiredValue: null, valueMin: '0', valueMax: '100' },
  ],
  evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }],
};

/** Every null, and every multi-valued OB property that is not a non-empty array, with its path. */
function serializationProblems(value: unknown, path = '$'): string[] {
  if (value === null || value === undefined) return [`${path} is ${value}`];
  if (Array.isArray(value)) {
    return value.length === 0 ? [`${path} is an empty array`] : value.flatMap((item, index) => serializationProblems(item, `${path}[${index}]`));
  }
  if (typeof value !== 'object') return [];
  const multiValued = new Set(['alignment', 'tag', 'resultDescription', 'allowedValue']);
  return Object.entries(value).flatMap(([key, item]) => [
    ...((multiValued.has(key) || (key === 'type' && !path.endsWith('.image'))) && !Array.isArray(item) ? [`${path}.${key} is not an array`] : []),
    ...serializationProblems(item, `${path}.${key}`),
  ]);
}

describe('OB 3.0 Achievement from a definition', () => {
  test('a full definition passes the 1EdTech Achievement schema', () => {
    const achievement = toObAchievement(full, { id });
    expect(validateAchievement(achievement), JSON.stringify(validateAchievement.errors)).toBe(true);
  });

  test('a minimal definition passes the schema too', () => {
    expect(validateAchievement(toObAchievement(minimal, { id })), JSON.stringify(validateAchievement.errors)).toBe(true);
  });

  test('(the schema check is real: single values where OB wants arrays fail it)', () => {
    expect(validateAchievement({ ...toObAchievement(full, { id }), tag: 'welding' })).toBe(false);
    expect(validateAchievement({ ...toObAchievement(full, { id }), type: 'Achievement' })).toBe(false);
  });

  test('plain JSON: arrays for every multi-valued property, no nulls, no empty arrays (serialization.md)', () => {
    expect(serializationProblems(toObAchievement(full, { id }))).toEqual([]);
    expect(serializationProblems(toObAchievement(minimal, { id }))).toEqual([]);
  });

  test('a minimal definition has only the required properties and the version', () => {
    expect(toObAchievement(minimal, { id })).toEqual({
      id,
      type: ['Achievement'],
      name: 'Welding Level 1',
      description: 'Runs a clean MIG bead on mild steel.',
      criteria: { narrative: 'Pass the practical assessment.' },
      version: '1',
    });
  });

  test('every defined property maps to its OB name; the image is an Image with a string type', () => {
    const achievement = toObAchievement(full, { id });
    expect(achievement).toMatchObject({
      criteria: { id: 'https://acme.example/criteria', narrative: '# Steps\n\n1. Weld' },
      image: { id: 'https://acme.example/badge.png', type: 'Image', caption: 'A welding torch' },
      achievementType: 'MicroCredential',
      tag: ['welding', 'trades'],
      inLanguage: 'en-GB',
      creditsAvailable: 1.5,
      version: '3',
    });
    expect(achievement.resultDescription).toEqual([
      {
        id: 'urn:uuid:0190a0a0-0000-7000-8000-0000000000rd',
        type: ['ResultDescription'],
        name: 'Practical grade',
        resultType: 'LetterGrade',
        allowedValue: ['A', 'B', 'C'],
        requiredValue: 'C',
      },
      { id: 'urn:example:score', type: ['ResultDescription'], name: 'Score', resultType: 'ext:Points', valueMin: '0', valueMax: '100' },
    ]);
  });

  test('skills become alignments to competencies after the issuer’s own alignments', () => {
    expect(toObAchievement(full, { id }).alignment).toEqual([
      {
        type: ['Alignment'],
        targetName: 'Welding fundamentals',
        targetUrl: 'https://case.example/items/42',
        targetCode: 'W-1',
        targetFramework: 'Acme Trades Framework',
        targetType: 'CFItem',
      },
      {
        type: ['Alignment'],
        targetName: 'weld metal',
        targetUrl: 'http://data.europa.eu/esco/skill/abc',
        targetCode: 'http://data.europa.eu/esco/skill/abc',
        targetFramework: 'ESCO',
        targetType: 'ceasn:Competency',
      },
      {
        type: ['Alignment'],
        targetName: 'Acme weld',
        targetUrl: 'https://acme.example/skills/weld-3',
        targetCode: 'acme-weld-3',
        targetType: 'ceasn:Competency',
      },
    ]);
  });

  test('Cairn-only rules (evidence, validity, learning hours, competency) stay out of the OB document', () => {
    const achievement = toObAchievement(full, { id }) as unknown as Record<string, unknown>;
    for (const key of ['evidenceRules', 'validity', 'estimatedLearningHours', 'competencyBased', 'skills']) expect(achievement).not.toHaveProperty(key);
  });

  test('the output shares no arrays with the definition', () => {
    const achievement = toObAchievement(full, { id });
    achievement.tag!.push('mutated');
    expect(full.tags).toEqual(['welding', 'trades']);
  });

  test('each version has its own id under the public base URL', () => {
    expect(achievementUri('https://hub.example/', '0190a0a0-0000-7000-8000-0000000000ac', 3)).toBe(id);
  });
});
