import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { newId } from '../../../lib/ids.js';
import { createTestDeps } from '../../../test/helpers/deps.js';
import { skillsOfAlignments, skillsOfDocument, strongestEvidenceOf, strongestEvidenceOfGenres } from '../domain/credential-skills.js';
import { credentials } from './tables.js';

// The wallet derives each credential's skill alignments and evidence genres in the database, so views of many
// credentials need not load their documents. What it derives must say what the documents say, for every shape a
// foreign issuer may send: the document functions are the definition, the columns must agree with them.

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.dispose());

const sql = { type: ['Alignment'], targetName: 'SQL', targetCode: 'sql', targetFramework: 'ESCO', targetType: 'ceasn:Competency', targetUrl: 'https://esco.example/sql' };
const lead = { targetName: 'Leading', targetUrl: 'https://skills.example/lead', targetFramework: 'Lightcast' };
const rubric = { targetName: 'Rubric', targetUrl: 'https://rubrics.example/1', targetType: 'ceterms:Rubric' };

const shapes: Record<string, Record<string, unknown>> = {
  'OB 3.0 as Cairn issues it': { credentialSubject: { achievement: { alignment: [sql, rubric] } }, evidence: [{ genre: 'Assessment' }, { genre: 'peer review' }] },
  'credentialSubject as a list': { credentialSubject: [{ achievement: { alignment: [lead] } }, { achievement: { alignment: [sql] } }], evidence: [{ genre: 'attendance' }] },
  'one alignment, not a list': { credentialSubject: { achievement: { alignment: sql } }, evidence: { genre: 'Project' } },
  'an alignment that is not an object': { credentialSubject: { achievement: { alignment: ['sql', 42, null, sql] } } },
  'an achievement without alignments, and a badge with some': { credentialSubject: { achievement: { name: 'A' } }, badge: { alignment: [sql] } },
  'OB 2.0 with an embedded badge': { badge: { alignment: [lead, sql] }, evidence: [{ narrative: 'no genre' }, { genre: 7 }] },
  'an achievement that is a list': { credentialSubject: { achievement: [{ alignment: [sql] }] }, badge: { alignment: [lead] } },
  'evidence that is not objects': { credentialSubject: { achievement: { alignment: [sql] } }, evidence: ['a URL', 3] },
  'nothing at all': { name: 'Plain' },
};

test('the columns the wallet derives agree with the document functions for every shape', async () => {
  const recipientId = newId();
  const ids = new Map(Object.keys(shapes).map((shape) => [newId(), shape]));
  await deps.database.db.insert(credentials).values(
    [...ids].map(([id, shape]) => ({ id, recipientId, name: shape, issuedAt: new Date(), document: shapes[shape]!, source: 'IMPORTED' as const })),
  );
  const rows = await deps.database.db.select().from(credentials).where(inArray(credentials.id, [...ids.keys()]));
  expect(rows).toHaveLength(ids.size);
  for (const row of rows) {
    const shape = ids.get(row.id)!;
    expect(skillsOfAlignments(row.skillAlignments), shape).toEqual(skillsOfDocument(row.document));
    expect(strongestEvidenceOfGenres(row.evidenceGenres, row.evidenceCount), shape).toBe(strongestEvidenceOf(row.document));
  }
  // The shapes above are not all alike: some have skills, some evidence, some neither.
  expect(new Set(rows.map((row) => skillsOfDocument(row.document).length)).size).toBeGreaterThan(1);
  expect(new Set(rows.map((row) => strongestEvidenceOf(row.document))).size).toBeGreaterThan(2);
});
