import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PageRequest } from '../../lib/graphql/pagination.js';
import { newId } from '../../lib/ids.js';
import { isLogUpkeep } from '../../test/helpers/events.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createAchievementStore, type AchievementStore } from './db/store.js';
import type { AchievementView, VersionKey } from './db/tables.js';
import type { AchievementListFilter } from './domain/visibility.js';
import { normaliseAchievementDefinition } from './domain/achievement-definition.js';
import { definitionToRows } from './db/definition-rows.js';
import { FIRST_VERSION, planPublish } from './domain/lifecycle.js';
import { createAchievementLoaders } from './loaders.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let store: AchievementStore;
const statements: string[] = [];
const issuerA = newId();
const issuerB = newId();
const issuerC = newId();
/** By name: A1 A2 A3 (issuer A), B1 B2 (issuer B); A2 and B2 are published. */
const seeded = new Map<string, AchievementView>();

const everything: AchievementListFilter = { statuses: ['DRAFT', 'PUBLISHED'], publishedOnly: false };
const publishedOnly: AchievementListFilter = { statuses: ['PUBLISHED'], publishedOnly: true };

async function seed(issuerId: string, name: string, publish: boolean): Promise<void> {
  const { definition } = normaliseAchievementDefinition({
    issuerId,
    name,
    description: `${name}, described`,
    criteria: { narrative: name },
    alignments: [
      { targetName: `${name} first`, targetUrl: 'https://case.example/1' },
      { targetName: `${name} second`, targetUrl: 'https://case.example/2' },
    ],
    skills: [
      { framework: 'CUSTOM', code: `${name}-skill`, name: `${name} skill`, url: 'https://acme.example/skill' },
      { framework: 'CUSTOM', code: 'shared', name: 'Shared skill', url: 'https://acme.example/shared' },
    ],
    resultDescriptions: [{ id: `urn:example:${name}`, name: 'Grade', resultType: 'LetterGrade' }],
  });
  const db = deps.database.db;
  const achievementId = newId();
  await store.insertAchievement(db, { id: achievementId, issuerId, ...FIRST_VERSION });
  const { view } = await store.writeDraft(db, { achievementId, version: 1, issuerId }, definitionToRows(definition));
  seeded.set(name, view);
  if (publish) {
    const plan = planPublish(FIRST_VERSION);
    const [published] = await store.setVersionStatuses(db, achievementId, plan.versions, new Date());
    await store.updateAchievement(db, achievementId, plan.next);
    seeded.set(name, published!);
  }
}

beforeAll(async () => {
  deps = await createTestDeps({}, { onQuery: (statement) => void (isLogUpkeep(statement) || statements.push(statement)) });
  store = createAchievementStore(deps.database.db);
  // Ids are time-ordered, so seeding in turn fixes each issuer's page order.
  for (const [issuerId, name, publish] of [
    [issuerA, 'A1', false],
    [issuerB, 'B1', false],
    [issuerA, 'A2', true],
    [issuerA, 'A3', false],
    [issuerB, 'B2', true],
  ] as const) {
    await seed(issuerId, name, publish);
  }
});
afterAll(() => deps.dispose());

const key = (name: string): VersionKey => ({ achievementId: seeded.get(name)!.id, version: 1 });

/** The real store over the test database, recording the arguments of every call. */
function recordingStore() {
  const calls: Record<string, unknown[]> = {};
  const recorded = Object.fromEntries(
    Object.entries(store).map(([method, run]) => [
      method,
      (...args: unknown[]) => {
        (calls[method] ??= []).push(args.length === 1 ? args[0] : args);
        return (run as (...args: unknown[]) => unknown)(...args);
      },
    ]),
  ) as AchievementStore;
  return { calls, loaders: createAchievementLoaders(recorded) };
}

const names = (page: { rows: AchievementView[] } | null) => page?.rows.map((row) => row.name);

describe('achievement loaders', () => {
  test('achievementById: one query for a batch, current versions in key order, missing ids as null', async () => {
    const { calls, loaders } = recordingStore();
    const ids = [seeded.get('A3')!.id, newId(), seeded.get('A1')!.id.toUpperCase(), 'not-a-uuid', seeded.get('B2')!.id];
    const loaded = await Promise.all(ids.map((id) => loaders.achievementById.load(id)));
    expect(calls.findCurrentByIds).toEqual([ids]);
    expect(loaded.map((row) => row?.name ?? null)).toEqual(['A3', null, 'A1', null, 'B2']);
    expect(loaded[4]).toMatchObject({ id: seeded.get('B2')!.id, version: 1, status: 'PUBLISHED' });
  });

  test('achievementVersion: one query for a batch of (id, version) keys; unknown versions as null', async () => {
    const { calls, loaders } = recordingStore();
    const keys = [key('B1'), { ...key('A1'), version: 2 }, key('A2'), { ...key('A3'), version: 0 }];
    const loaded = await Promise.all(keys.map((versionKey) => loaders.achievementVersion.load(versionKey)));
    expect(calls.findVersions).toEqual([keys]);
    expect(loaded.map((row) => row?.name ?? null)).toEqual(['B1', null, 'A2', null]);
  });

  test('versionsByAchievementId: one query for every achievement’s versions', async () => {
    const { calls, loaders } = recordingStore();
    const ids = ['A1', 'B2'].map((name) => seeded.get(name)!.id);
    const loaded = await Promise.all(ids.map((id) => loaders.versionsByAchievementId.load(id)));
    expect(calls.versionsOf).toEqual([ids]);
    expect(loaded.map((versions) => versions.map((row) => [row.name, row.version]))).toEqual([[['A1', 1]], [['B2', 1]]]);
  });

  test('alignments, skills and result descriptions of N versions: one statement each, per version in the issuer’s order', async () => {
    const { calls, loaders } = recordingStore();
    const keys = ['A3', 'B1', 'A1'].map(key);
    statements.length = 0;
    const [alignments, skills, results] = await Promise.all([
      Promise.all(keys.map((versionKey) => loaders.alignmentsByVersion.load(versionKey))),
      Promise.all(keys.map((versionKey) => loaders.skillsByVersion.load(versionKey))),
      Promise.all(keys.map((versionKey) => loaders.resultDescriptionsByVersion.load(versionKey))),
    ]);
    expect([calls.alignmentsOf, calls.skillsOf, calls.resultDescriptionsOf]).toEqual([[keys], [keys], [keys]]);
    expect(statements).toHaveLength(3);
    expect(alignments.map((rows) => rows.map((row) => row.targetName))).toEqual([
      ['A3 first', 'A3 second'],
      ['B1 first', 'B1 second'],
      ['A1 first', 'A1 second'],
    ]);
    expect(skills.map((rows) => rows.map((row) => row.code))).toEqual([
      ['A3-skill', 'shared'],
      ['B1-skill', 'shared'],
      ['A1-skill', 'shared'],
    ]);
    // Skills are shared: every version points at the one (CUSTOM, shared) row.
    expect(new Set(skills.map((rows) => rows[1]!.id)).size).toBe(1);
    expect(results.map((rows) => rows.map((row) => row.resultId))).toEqual([['urn:example:A3'], ['urn:example:B1'], ['urn:example:A1']]);
  });

  test('skillById: one query for a batch, in key order', async () => {
    const { calls, loaders } = recordingStore();
    const skills = await loaders.skillsByVersion.load(key('A1'));
    const ids = [skills[1]!.id, newId(), skills[0]!.id];
    const loaded = await Promise.all(ids.map((id) => loaders.skillById.load(id)));
    expect(calls.findSkillsByIds).toEqual([ids]);
    expect(loaded.map((row) => row?.code ?? null)).toEqual(['shared', null, 'A1-skill']);
  });

  test('achievementsByIssuerId: one query for many issuers asking the same page under the same filter, in key order', async () => {
    const { calls, loaders } = recordingStore();
    const request: PageRequest = { afterId: null, limit: 3, size: 2 };
    const issuerIds = [issuerB, issuerC, issuerA];
    const pages = await Promise.all(
      issuerIds.map((issuerId) => loaders.achievementsByIssuerId({ ...everything }).load({ parentId: issuerId, request: { ...request } })),
    );
    expect(calls.pagesByIssuer).toEqual([[issuerIds, request, everything]]);
    expect(pages.map(names)).toEqual([['B1', 'B2'], [], ['A1', 'A2', 'A3']]);
    expect(pages.map((page) => page.totalCount)).toEqual([2, 0, 3]);
  });

  test('achievementsByIssuerId: each filter is its own batch, and filters what the page holds', async () => {
    const { calls, loaders } = recordingStore();
    const request: PageRequest = { afterId: null, limit: 21, size: 20 };
    const [allOfA, publishedOfA, publishedOfB] = await Promise.all([
      loaders.achievementsByIssuerId(everything).load({ parentId: issuerA, request }),
      loaders.achievementsByIssuerId(publishedOnly).load({ parentId: issuerA, request }),
      loaders.achievementsByIssuerId(publishedOnly).load({ parentId: issuerB, request }),
    ]);
    expect(calls.pagesByIssuer).toHaveLength(2);
    expect([allOfA, publishedOfA, publishedOfB].map(names)).toEqual([['A1', 'A2', 'A3'], ['A2'], ['B2']]);
    expect(publishedOfA.totalCount).toBe(1);
  });

  test('achievementsByIssuerId: equal keys share one load; each distinct page request is one store call', async () => {
    const { calls, loaders } = recordingStore();
    const firstPage: PageRequest = { afterId: null, limit: 2, size: 1 };
    const afterA1: PageRequest = { afterId: seeded.get('A1')!.id, limit: 2, size: 1 };
    const pages = loaders.achievementsByIssuerId(everything);
    const [a, aAgain, b, aLater] = await Promise.all([
      pages.load({ parentId: issuerA, request: firstPage }),
      pages.load({ parentId: issuerA, request: { ...firstPage } }),
      pages.load({ parentId: issuerB, request: firstPage }),
      pages.load({ parentId: issuerA, request: afterA1 }),
    ]);
    expect(calls.pagesByIssuer).toHaveLength(2);
    expect(aAgain).toBe(a);
    expect([a, b, aLater].map(names)).toEqual([['A1', 'A2'], ['B1', 'B2'], ['A2', 'A3']]);
  });

  test('achievementsByIssuerId: a malformed issuer id has an empty page, not a failed batch', async () => {
    const { loaders } = recordingStore();
    const request: PageRequest = { afterId: null, limit: 21, size: 20 };
    const [bad, good] = await Promise.all([
      loaders.achievementsByIssuerId(everything).load({ parentId: 'acme', request }),
      loaders.achievementsByIssuerId(everything).load({ parentId: issuerB, request }),
    ]);
    expect(bad).toEqual({ rows: [], totalCount: 0 });
    expect(names(good)).toEqual(['B1', 'B2']);
  });

  test('rows come back as views: id = the achievement id, columns mapped, timestamps as dates', async () => {
    const { loaders } = recordingStore();
    const page = await loaders.achievementsByIssuerId(everything).load({ parentId: issuerA, request: { afterId: null, limit: 1, size: 1 } });
    expect(page.rows[0]).toEqual(seeded.get('A1'));
    expect(page.rows[0]!.id).toBe(page.rows[0]!.achievementId);
    expect(page.rows[0]!.createdAt).toBeInstanceOf(Date);
  });
});
