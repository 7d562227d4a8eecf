import { describe, expect, test } from 'vitest';
import { factsFromDocument } from './held-credential.js';

describe('factsFromDocument', () => {
  test('reads the embedded achievement, its skills by framework, numeric results, dates and issuer', () => {
    const facts = factsFromDocument({
      issuer: { id: 'did:web:uni.example', type: ['Profile'] },
      validFrom: '2026-03-01T00:00:00Z',
      validUntil: '2028-03-01T00:00:00Z',
      credentialSubject: {
        achievement: {
          id: 'https://uni.example/achievements/sql',
          alignment: [
            { targetFramework: 'ESCO', targetCode: 'S1.1', targetType: 'ceasn:Competency' },
            { targetFramework: 'O*NET', targetCode: '15-1243.00' },
            { targetCode: 'sql-joins', targetType: 'ceasn:Competency' },
            { targetName: 'no code' },
          ],
        },
        result: [{ value: '82' }, { value: '91.5%' }, { value: 'B+' }],
      },
    });
    expect(facts).toEqual({
      achievementUrl: 'https://uni.example/achievements/sql',
      skills: ['ESCO|S1.1', 'ONET|15-1243.00', 'CUSTOM|sql-joins'],
      results: [82, 91.5],
      earnedAt: new Date('2026-03-01T00:00:00Z'),
      validUntil: new Date('2028-03-01T00:00:00Z'),
      issuerRef: 'did:web:uni.example',
    });
  });

  test('VC 1.1 field names and a string issuer are read too; missing parts are null or empty', () => {
    expect(factsFromDocument({ issuer: 'https://old.example/issuer', issuanceDate: '2020-01-01T00:00:00Z', credentialSubject: {} })).toEqual({
      achievementUrl: null,
      skills: [],
      results: [],
      earnedAt: new Date('2020-01-01T00:00:00Z'),
      validUntil: null,
      issuerRef: 'https://old.example/issuer',
    });
  });
});
