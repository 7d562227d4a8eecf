import { describe, expect, test } from 'vitest';
import { thrownBy } from '../../test/helpers/errors.js';
import { checkEvidence, competencyBasedByDefault, normaliseEvidenceRules, type EvidenceRequirements } from './evidence-rules.js';

const evidence = (...kinds: string[]) => kinds.map((kind, index) => ({ kind, name: `item ${index}` }));

describe('which achievements are competency-based by default', () => {
  test('types that certify ability are competency-based', () => {
    for (const type of ['Competency', 'MicroCredential', 'Badge', 'Certification', 'Certificate', 'License', 'Assessment']) {
      expect(competencyBasedByDefault(type)).toBe(true);
    }
  });

  test('completion, participation and membership types, degrees and extensions are not', () => {
    for (const type of ['CertificateOfCompletion', 'Course', 'Membership', 'CommunityService', 'BachelorDegree', 'Award', 'ext:Workshop']) {
      expect(competencyBasedByDefault(type)).toBe(false);
    }
  });

  test('an achievement without a type is competency-based (the stricter rule)', () => {
    expect(competencyBasedByDefault(null)).toBe(true);
  });
});

describe('evidence rules at definition time', () => {
  test('kinds are checked, each kind appears once, and rules come back in a stable order', () => {
    expect(
      normaliseEvidenceRules(
        [
          { kind: 'PROJECT', minCount: 1 },
          { kind: 'ASSESSMENT', minCount: 2 },
        ],
        true,
      ),
    ).toEqual([
      { kind: 'ASSESSMENT', minCount: 2 },
      { kind: 'PROJECT', minCount: 1 },
    ]);
  });

  test('minCount is a whole number of at least 1', () => {
    for (const minCount of [0, -1, 1.5, 101]) {
      expect(thrownBy(() => normaliseEvidenceRules([{ kind: 'PROJECT', minCount }], true))?.details.field).toBe('evidenceRules[0].minCount');
    }
  });

  test('an unknown kind or a kind given twice is BAD_USER_INPUT naming the rule', () => {
    expect(thrownBy(() => normaliseEvidenceRules([{ kind: 'VIBES', minCount: 1 }], false))?.details.field).toBe('evidenceRules[0].kind');
    const twice = [
      { kind: 'PROJECT', minCount: 1 },
      { kind: 'PROJECT', minCount: 2 },
    ];
    expect(thrownBy(() => normaliseEvidenceRules(twice, false))?.details.field).toBe('evidenceRules[1].kind');
  });

  test('a competency-based achievement refuses rules made only of ATTENDANCE: completion is not competency', () => {
    const error = thrownBy(() => normaliseEvidenceRules([{ kind: 'ATTENDANCE', minCount: 10 }], true));
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.details.field).toBe('evidenceRules');
    expect(error?.message).toMatch(/completion is not competency/);
  });

  test('attendance alongside another kind is fine, and attendance alone is fine when not competency-based', () => {
    expect(
      normaliseEvidenceRules(
        [
          { kind: 'ATTENDANCE', minCount: 10 },
          { kind: 'ASSESSMENT', minCount: 1 },
        ],
        true,
      ),
    ).toHaveLength(2);
    expect(normaliseEvidenceRules([{ kind: 'ATTENDANCE', minCount: 10 }], false)).toEqual([{ kind: 'ATTENDANCE', minCount: 10 }]);
  });

  test('no rules at all is a valid draft', () => {
    expect(normaliseEvidenceRules([], true)).toEqual([]);
  });
});

describe('checking evidence at issuance', () => {
  const welding: EvidenceRequirements = {
    competencyBased: true,
    rules: [
      { kind: 'ASSESSMENT', minCount: 1 },
      { kind: 'WORK_PRODUCT', minCount: 2 },
    ],
  };

  test('evidence meeting every rule passes; extra evidence of other kinds is welcome', () => {
    expect(() => checkEvidence(welding, evidence('WORK_PRODUCT', 'ASSESSMENT', 'WORK_PRODUCT', 'ATTENDANCE'))).not.toThrow();
  });

  test('missing evidence is BAD_USER_INPUT on the evidence field, naming every unmet rule with counts', () => {
    const error = thrownBy(() => checkEvidence(welding, evidence('WORK_PRODUCT')));
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.details).toEqual({
      field: 'evidence',
      missing: [
        { kind: 'ASSESSMENT', required: 1, provided: 0 },
        { kind: 'WORK_PRODUCT', required: 2, provided: 1 },
      ],
    });
    expect(error?.message).toMatch(/ASSESSMENT: 0 of 1; WORK_PRODUCT: 1 of 2/);
  });

  test('a competency-based achievement refuses attendance-only evidence even when its rules would allow it', () => {
    const lenient: EvidenceRequirements = { competencyBased: true, rules: [{ kind: 'ATTENDANCE', minCount: 1 }] };
    const error = thrownBy(() => checkEvidence(lenient, evidence('ATTENDANCE', 'ATTENDANCE')));
    expect(error?.details.missing).toEqual([{ kind: 'ANY_EXCEPT_ATTENDANCE', required: 1, provided: 0 }]);
    expect(error?.message).toMatch(/completion is not competency/);
    expect(thrownBy(() => checkEvidence({ competencyBased: true, rules: [] }, []))?.details.missing).toEqual([
      { kind: 'ANY_EXCEPT_ATTENDANCE', required: 1, provided: 0 },
    ]);
  });

  test('attendance-only evidence is enough for an achievement that is not competency-based', () => {
    expect(() => checkEvidence({ competencyBased: false, rules: [{ kind: 'ATTENDANCE', minCount: 2 }] }, evidence('ATTENDANCE', 'ATTENDANCE'))).not.toThrow();
    expect(() => checkEvidence({ competencyBased: false, rules: [] }, [])).not.toThrow();
  });

  test('evidence of an unknown kind is BAD_USER_INPUT naming the item', () => {
    expect(thrownBy(() => checkEvidence(welding, evidence('ASSESSMENT', 'SELFIE')))?.details.field).toBe('evidence[1].kind');
  });
});
