import { describe, expect, test } from 'vitest';
import { achievementDefinition } from '../../../test/helpers/achievements.js';
import { toObAchievement, type SkillDefinition } from '../../../lib/ob/achievement.js';
import { shownPathways, skillsOfDocument, stackSkills, strongestEvidenceOf, strongestEvidenceOfGenres } from './credential-skills.js';

const ESCO_SQL = 'http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742';

/** A credential document as Cairn issues it: the achievement embedded, skills as competency alignments. */
function cairnDocument(skills: SkillDefinition[], evidenceGenres: string[] = []) {
  const achievement = toObAchievement(achievementDefinition({ skills }), { id: 'https://hub.example/achievements/a/versions/1' });
  return { credentialSubject: { type: ['AchievementSubject'], achievement }, evidence: evidenceGenres.map((genre) => ({ type: ['Evidence'], genre })) };
}

describe('skills read from a signed document', () => {
  test('the skills Cairn writes into a credential read back by framework and code', () => {
    const document = cairnDocument([
      { framework: 'ESCO', code: ESCO_SQL, name: 'SQL', url: ESCO_SQL },
      { framework: 'ONET', code: '15-1243.00', name: 'Database Architects', url: 'https://www.onetonline.org/link/summary/15-1243.00' },
      { framework: 'CUSTOM', code: 'query-tuning', name: 'Query tuning', url: 'https://skills.example/query-tuning' },
    ]);
    expect(skillsOfDocument(document).map(({ framework, code }) => `${framework}|${code}`)).toEqual([`ESCO|${ESCO_SQL}`, 'ONET|15-1243.00', 'CUSTOM|query-tuning']);
  });

  test('an alignment to a credential or a rubric is not a skill; one naming a known framework is', () => {
    const document = {
      credentialSubject: {
        achievement: {
          alignment: [
            { targetName: 'Some degree', targetUrl: 'https://degree.example', targetType: 'ceterms:Credential' },
            { targetName: 'SQL', targetUrl: ESCO_SQL, targetFramework: 'ESCO' },
          ],
        },
      },
    };
    expect(skillsOfDocument(document)).toEqual([{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL', url: ESCO_SQL }]);
  });

  test('OB 2.0 assertions with an embedded badge class are read too', () => {
    const assertion = { badge: { alignment: [{ targetName: 'Leadership', targetUrl: 'https://skills.example/lead', targetCode: 'KS1', targetFramework: 'Lightcast' }] } };
    expect(skillsOfDocument(assertion)).toEqual([{ framework: 'LIGHTCAST', code: 'KS1', name: 'Leadership', url: 'https://skills.example/lead' }]);
  });
});

describe('evidence strength', () => {
  test('an assessment is stronger than a peer review, which is stronger than attendance', () => {
    expect(strongestEvidenceOf(cairnDocument([], ['attendance', 'peer review', 'assessment']))).toBe('ASSESSMENT');
    expect(strongestEvidenceOf(cairnDocument([], ['attendance', 'peer review']))).toBe('PEER_REVIEW');
  });

  test('evidence of an unknown genre is OTHER, no evidence is NONE', () => {
    expect(strongestEvidenceOf(cairnDocument([], ['portfolio review board']))).toBe('OTHER');
    expect(strongestEvidenceOf(cairnDocument([]))).toBe('NONE');
  });
});

/** A credential of `cairnDocument`'s shape as the wallet keeps it beside its document (columns the database derives). */
function stackable(id: string, document: ReturnType<typeof cairnDocument>, earnedAt: Date) {
  const { alignment = [] } = document.credentialSubject.achievement as { alignment?: unknown[] };
  return { id, skillAlignments: alignment, evidenceGenres: document.evidence.map((entry) => entry.genre), evidenceCount: document.evidence.length, earnedAt };
}

describe('strongest evidence from the genres the wallet keeps', () => {
  test('as from the document: the strongest known genre; an entry without one counts as OTHER; none is NONE', () => {
    expect(strongestEvidenceOfGenres(['attendance', 'peer review'], 2)).toBe(strongestEvidenceOf(cairnDocument([], ['attendance', 'peer review'])));
    expect(strongestEvidenceOfGenres(['attendance'], 2)).toBe('ATTENDANCE');
    expect(strongestEvidenceOfGenres([], 1)).toBe('OTHER');
    expect(strongestEvidenceOfGenres([42], 1)).toBe('OTHER');
    expect(strongestEvidenceOfGenres([], 0)).toBe('NONE');
  });
});

describe('stacking skills across credentials and issuers', () => {
  const sql = { framework: 'ESCO' as const, code: ESCO_SQL, name: 'SQL', url: ESCO_SQL };
  const lead = { framework: 'CUSTOM' as const, code: 'lead', name: 'Leading', url: 'https://skills.example/lead' };

  test('the same framework + code from two issuers is one skill with both credentials, the strongest evidence and the latest date', () => {
    const stacks = stackSkills([
      stackable('a', cairnDocument([sql], ['peer review']), new Date('2024-01-01T00:00:00Z')),
      stackable('b', cairnDocument([sql, lead], ['assessment']), new Date('2025-06-01T00:00:00Z')),
    ]);
    expect(stacks).toEqual([
      expect.objectContaining({ key: `ESCO|${ESCO_SQL}`, credentialIds: ['b', 'a'], strongestEvidence: 'ASSESSMENT', mostRecentAt: new Date('2025-06-01T00:00:00Z') }),
      expect.objectContaining({ key: 'CUSTOM|lead', credentialIds: ['b'], strongestEvidence: 'ASSESSMENT' }),
    ]);
  });

  test('a credential without skills adds none', () => {
    expect(stackSkills([stackable('a', cairnDocument([]), new Date())])).toEqual([]);
  });

  test('a completed pathway whose award is shown is one source of its skills, however many of its credentials align them', () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, n));
    // a and b satisfied the pathway, w is its award; c is a credential of its own; all four align SQL, c also leads.
    const credentials = [stackable('a', cairnDocument([sql]), day(1)), stackable('b', cairnDocument([sql]), day(2)), stackable('w', cairnDocument([sql]), day(3)), stackable('c', cairnDocument([sql, lead]), day(4))];
    const completed = [{ pathwayId: 'p', version: 1, pathwayName: 'Data track', awardAchievementId: 'award', memberCredentialIds: ['a', 'b'] }];
    const rows = [{ id: 'a', achievementId: 'sql-1' }, { id: 'b', achievementId: 'sql-2' }, { id: 'w', achievementId: 'award' }, { id: 'c', achievementId: 'lead' }];
    const stacked = stackSkills(credentials, shownPathways(completed, rows));
    expect(stacked.map(({ key, credentialIds, sourceCount, pathways }) => ({ key, credentials: credentialIds.length, sourceCount, pathways }))).toEqual([
      { key: `ESCO|${ESCO_SQL}`, credentials: 4, sourceCount: 2, pathways: [{ pathwayId: 'p', name: 'Data track' }] },
      { key: 'CUSTOM|lead', credentials: 1, sourceCount: 1, pathways: [] },
    ]);
    // A view that does not show the award shows no completion: its member credentials count one by one.
    const withoutAward = stackSkills(credentials.filter((credential) => credential.id !== 'w'), shownPathways(completed, rows.filter((row) => row.id !== 'w')));
    expect(withoutAward[0]).toMatchObject({ sourceCount: 3, pathways: [] });
  });
});

describe('ESCO skills from European Digital Credentials', () => {
  const sqlOutcome = {
    id: 'urn:epass:learningOutcome:1',
    type: 'LearningOutcome',
    title: { en: 'Writes SQL queries' },
    relatedESCOSkill: { id: ESCO_SQL, type: 'Concept', inScheme: { id: 'http://data.europa.eu/esco/concept-scheme/skills', type: 'ConceptScheme' } },
  };
  const edc = {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap'],
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    credentialSubject: {
      id: 'urn:epass:person:1',
      type: 'Person',
      hasClaim: { id: 'urn:epass:learningAchievement:1', type: 'LearningAchievement', specifiedBy: { type: 'Qualification', learningOutcome: [sqlOutcome, { type: 'LearningOutcome', title: { en: 'Teamwork' } }] } },
    },
  };

  test('an EDC’s learning outcomes with an ESCO skill are skills under the ESCO URI, named by the outcome', () => {
    expect(skillsOfDocument(edc)).toEqual([{ framework: 'ESCO', code: ESCO_SQL, name: 'Writes SQL queries', url: ESCO_SQL }]);
  });

  test('an ESCO skill backed by an OB credential and an EDC stacks once, listing both', () => {
    // What the wallet keeps beside each: the OB achievement's alignments, the EDC's learning outcomes (db/tables.ts).
    const obAlignment = { type: ['Alignment'], targetName: 'SQL', targetUrl: ESCO_SQL, targetCode: '598de5b0', targetFramework: 'ESCO', targetType: 'ceasn:Competency' };
    const stacks = stackSkills([
      { id: 'ob', skillAlignments: [obAlignment], evidenceGenres: ['assessment'], evidenceCount: 1, earnedAt: new Date('2025-01-01T00:00:00Z') },
      { id: 'edc', skillAlignments: [[sqlOutcome]], evidenceGenres: [], evidenceCount: 0, earnedAt: new Date('2024-01-01T00:00:00Z') },
    ]);
    expect(stacks).toEqual([expect.objectContaining({ key: `ESCO|${ESCO_SQL}`, code: ESCO_SQL, credentialIds: ['ob', 'edc'], name: 'SQL' })]);
  });
});
