import { describe, expect, test } from 'vitest';
import { buildEdc as build, type EdcExportInput } from './edc-export.js';

const ESCO_SQL = 'http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742';
const credentialId = '0190a0a0-0000-7000-8000-0000000000aa';

function input(changes: { achievement?: Record<string, unknown>; issuer?: Record<string, unknown>; subject?: Record<string, unknown> } = {}, rest: Partial<EdcExportInput> = {}): EdcExportInput {
  return {
    document: {
      id: `urn:uuid:${credentialId}`,
      validFrom: '2026-03-01T00:00:00Z',
      validUntil: '2028-03-01T00:00:00Z',
      issuer: { id: 'did:web:hub.example:issuers:1', type: ['Profile'], name: 'Harbor Institute', url: 'https://harbor.example', ...changes.issuer },
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [{ type: 'IdentityObject', hashed: true, identityHash: 'sha256$00', identityType: 'emailAddress', salt: 's' }],
        achievement: { id: 'https://hub.example/achievements/a/versions/1', type: ['Achievement'], name: 'SQL basics', description: 'Queries.', criteria: { narrative: 'Pass the test.' }, ...changes.achievement },
        ...changes.subject,
      },
    },
    credentialId,
    credentialUrl: `https://hub.example/credentials/${credentialId}`,
    issuedAt: new Date('2026-03-01T10:00:00.123Z'),
    badgePng: Buffer.from('89504e470d0a1a0a', 'hex'),
    recipientName: null,
    ...rest,
  };
}
/** The export, its document as loose JSON for the assertions. */
const buildEdc = (exportInput: EdcExportInput) => build(exportInput) as { document: Record<string, any>; warnings: { code: string }[] };
const codes = (warnings: { code: string }[]) => warnings.map((warning) => warning.code);

describe('an OB credential as an unsigned EDC', () => {
  test('a plain badge: a learning achievement specification whose outcomes are its ESCO alignments, dates from the ledger and the credential', () => {
    const { document } = buildEdc(input({ achievement: { achievementType: 'Badge', alignment: [{ type: ['Alignment'], targetName: 'SQL', targetUrl: ESCO_SQL, targetFramework: 'ESCO' }] } }));
    const spec = document.credentialSubject.hasClaim.specifiedBy;
    expect(spec.type).toBe('LearningAchievementSpecification');
    expect(spec.learningOutcome).toEqual([expect.objectContaining({ title: { en: 'SQL' }, relatedESCOSkill: expect.objectContaining({ id: ESCO_SQL }) })]);
    expect(document).toMatchObject({ id: `urn:credential:${credentialId}`, issued: '2026-03-01T10:00:00Z', validFrom: '2026-03-01T00:00:00Z', expirationDate: '2028-03-01T00:00:00Z' });
  });

  test('without outcome or ESCO skill, the criteria narrative is the learning outcome', () => {
    const { document } = buildEdc(input());
    expect(document.credentialSubject.hasClaim.specifiedBy.learningOutcome).toEqual([expect.objectContaining({ title: { en: 'Pass the test.' } })]);
  });

  test('every field it could not fill is a warning: language, country, name, EU elements, display image', () => {
    const { document, warnings } = buildEdc(input({}, { badgePng: null }));
    expect(codes(warnings)).toEqual([
      'LANGUAGE_ASSUMED',
      'ISSUER_COUNTRY_MISSING',
      'ISSUER_LEGAL_IDENTIFIER',
      ...Array(7).fill('EU_ELEMENT_MISSING'),
      'RECIPIENT_NAME_MISSING',
      'DISPLAY_IMAGE_MISSING',
    ]);
    expect(document.issuer.location).toBeUndefined();
    expect(document.displayParameter.individualDisplay.displayDetail).toBeUndefined();
  });

  test('a language outside the EU’s official ones is declared English, and said so', () => {
    const { document, warnings } = buildEdc(input({ achievement: { inLanguage: 'ja' } }));
    expect(codes(warnings)).toContain('LANGUAGE_NOT_EU');
    expect(document.displayParameter.primaryLanguage.id).toBe('http://publications.europa.eu/resource/authority/language/ENG');
  });

  test('a three-letter OB address country stands for the awarding body’s country; a name does not', () => {
    expect(buildEdc(input({ issuer: { address: { type: ['Address'], addressCountry: 'irl' } } })).document.issuer.location.address.countryCode.id).toBe(
      'http://publications.europa.eu/resource/authority/country/IRL',
    );
    expect(codes(buildEdc(input({ issuer: { address: { type: ['Address'], addressCountry: 'Ireland' } } })).warnings)).toContain('ISSUER_COUNTRY_MISSING');
  });

  test('the learner’s results become the assessment that proves the achievement, with their values as the grade', () => {
    const { document } = buildEdc(input({ subject: { result: [{ type: ['Result'], value: 'A' }, { type: ['Result'], value: '92' }] } }, { recipientName: 'Grace Hopper' }));
    const claim = document.credentialSubject.hasClaim;
    expect(claim.provenBy).toMatchObject({ type: 'LearningAssessment', grade: { noteLiteral: { en: 'A, 92' } } });
    expect(claim.provenBy.awardedBy.awardingBody.id).toBe('did:web:hub.example:issuers:1');
    expect(document.credentialSubject.fullName).toEqual({ en: 'Grace Hopper' });
  });
});
