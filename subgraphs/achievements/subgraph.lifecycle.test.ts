import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import { achievementPublishedEvent } from '../../lib/events/contracts/achievement-published.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs, type FormattedResult } from '../../test/helpers/execute.js';
import { achievements } from './index.js';
import { readLog } from '../../test/helpers/events.js';

// This subgraph never reads the issuers tables, so any UUIDs serve as issuer ids.
const issuerA = newId();
const issuerB = newId();
const memberOfA: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000002', issuerId: issuerA, role: 'ISSUER' };
const viewerOfA: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000004', issuerId: issuerA, role: 'VIEWER' };
const memberOfB: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000003', issuerId: issuerB, role: 'OWNER' };
const anonymous: Viewer = { kind: 'ANONYMOUS' };
const BASE_URL = 'https://cairn.example';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps({ PUBLIC_BASE_URL: BASE_URL });
  subgraph = await achievements.create(deps);
});
afterAll(() => deps.dispose());

const FIELDS = `id version status uri name description criteria { id narrative } image { id caption } achievementType
  alignments { targetName targetUrl targetCode targetDescription targetFramework targetType } skills { id framework code name url } tags language
  creditsAvailable estimatedLearningHours validity resultDescriptions { id name resultType allowedValues requiredValue valueMin valueMax }
  evidenceRules { kind minCount } competencyBased issuer { id } publishedAt`;
const mutation = (name: string, input: string) =>
  `mutation ($input: ${input}!) { ${name}(input: $input) { achievement { ${FIELDS} } warnings { code message field } } }`;
const CREATE = mutation('createAchievement', 'CreateAchievementInput');
const UPDATE = mutation('updateAchievement', 'UpdateAchievementInput');
const PUBLISH = mutation('publishAchievement', 'PublishAchievementInput');
const ARCHIVE = mutation('archiveAchievement', 'ArchiveAchievementInput');
const READ = `query ($id: ID!, $version: Int) { achievement(id: $id, version: $version) { id version status name versions { version status } openBadge } }`;
const LIST = `query ($issuer: [_Any!]!, $status: AchievementStatus) {
  _entities(representations: $issuer) { ... on Issuer { achievements(status: $status) { totalCount edges { node { id version status } } } } }
}`;

const data = <T = any>(result: FormattedResult<T>): T => {
  expect(result.errors).toBeUndefined();
  return result.data!;
};
const codeOf = (result: FormattedResult<unknown>) => result.errors?.[0]?.extensions?.code;
const read = (viewer: Viewer, id: string, version?: number) => executeAs(subgraph, viewer, READ, { id, version });
const listed = async (viewer: Viewer, issuerId: string, status?: string) =>
  data(await executeAs(subgraph, viewer, LIST, { issuer: [{ __typename: 'Issuer', id: issuerId }], status }))._entities[0].achievements;
const eventsOf = (issuerId: string) => readLog(deps.database.db, { after: 0, limit: 500, issuerId });

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

const welding = {
  issuerId: issuerA,
  name: 'Welding Level 1',
  description: 'Runs a clean MIG bead on mild steel.',
  criteria: { narrative: 'Pass the practical assessment.', url: 'https://acme.example/criteria' },
  image: { url: 'https://acme.example/badge.png', caption: 'A torch' },
  achievementType: 'MicroCredential',
  alignments: [{ targetName: 'Welding fundamentals', targetUrl: 'https://case.example/42', targetType: 'CFItem' }],
  skills: [{ framework: 'ESCO', code: 'http://data.europa.eu/esco/skill/weld', name: 'weld metal' }],
  tags: ['welding', 'trades'],
  language: 'en-gb',
  creditsAvailable: 1.5,
  estimatedLearningHours: 60,
  validity: 'P2Y',
  resultDescriptions: [{ name: 'Grade', resultType: 'LetterGrade', allowedValues: ['A', 'B', 'C'], requiredValue: 'C' }],
};

describe('an achievement’s life: draft → published → new version → archived', () => {
  let id: string;

  test('createAchievement makes version 1 a DRAFT, with AchievementCreated; long learning hours are a warning, not an error', async () => {
    const result = data(await executeAs(subgraph, memberOfA, CREATE, { input: welding }));
    const { achievement, warnings } = result.createAchievement;
    id = achievement.id;
    expect(achievement).toMatchObject({
      version: 1,
      status: 'DRAFT',
      uri: `${BASE_URL}/achievements/${id}/versions/1`,
      criteria: { id: 'https://acme.example/criteria', narrative: 'Pass the practical assessment.' },
      image: { id: 'https://acme.example/badge.png', caption: 'A torch' },
      achievementType: 'MicroCredential',
      alignments: [{ targetName: 'Welding fundamentals', targetUrl: 'https://case.example/42', targetType: 'CFItem', targetCode: null }],
      skills: [{ framework: 'ESCO', code: 'http://data.europa.eu/esco/skill/weld', name: 'weld metal', url: 'http://data.europa.eu/esco/skill/weld' }],
      tags: ['welding', 'trades'],
      language: 'en-GB',
      creditsAvailable: 1.5,
      estimatedLearningHours: 60,
      validity: 'P2Y',
      resultDescriptions: [{ name: 'Grade', resultType: 'LetterGrade', allowedValues: ['A', 'B', 'C'], requiredValue: 'C', valueMin: null }],
      evidenceRules: [],
      competencyBased: true,
      issuer: { id: issuerA },
      publishedAt: null,
    });
    expect(achievement.resultDescriptions[0].id).toMatch(/^urn:uuid:/);
    expect(warnings).toEqual([{ code: 'LEARNING_HOURS_OUTSIDE_RANGE', field: 'estimatedLearningHours', message: expect.stringContaining('60') }]);
    expect((await eventsOf(issuerA)).map((event) => [event.type, event.payload])).toEqual([
      ['AchievementCreated', { achievementId: id, issuerId: issuerA, name: 'Welding Level 1' }],
    ]);
  });

  test('a draft is visible to the issuer’s members and operators only: not to anonymous callers, nor to other issuers', async () => {
    expect(data(await read(viewerOfA, id)).achievement).toMatchObject({ id, status: 'DRAFT' });
    expect(data(await read(anonymous, id)).achievement).toBeNull();
    expect(data(await read(memberOfB, id)).achievement).toBeNull();
    expect((await listed(anonymous, issuerA)).totalCount).toBe(0);
    expect((await listed(anonymous, issuerA, 'DRAFT')).totalCount).toBe(0);
    expect((await listed(viewerOfA, issuerA)).edges.map((edge: any) => edge.node.status)).toEqual(['DRAFT']);
    const reference = await executeAs(subgraph, anonymous, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Achievement { id } } }`, {
      r: [{ __typename: 'Achievement', id }],
    });
    expect(data(reference)._entities).toEqual([null]);
  });

  test('a competency-based achievement cannot be published without an evidence rule', async () => {
    const result = await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidenceRules' });
    expect(data(await read(memberOfA, id)).achievement.status).toBe('DRAFT');
  });

  test('updateAchievement edits the draft in place; fields left out keep their value', async () => {
    const result = data(
      await executeAs(subgraph, memberOfA, UPDATE, {
        input: { id, estimatedLearningHours: 30, evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }, { kind: 'ATTENDANCE', minCount: 4 }] },
      }),
    );
    expect(result.updateAchievement.warnings).toEqual([]);
    expect(result.updateAchievement.achievement).toMatchObject({
      id,
      version: 1,
      status: 'DRAFT',
      name: 'Welding Level 1',
      tags: ['welding', 'trades'],
      estimatedLearningHours: 30,
      evidenceRules: [
        { kind: 'ASSESSMENT', minCount: 1 },
        { kind: 'ATTENDANCE', minCount: 4 },
      ],
    });
  });

  test('publishAchievement publishes version 1 and emits AchievementPublished with everything issuance needs', async () => {
    const result = data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }));
    const achievement = result.publishAchievement.achievement;
    expect(achievement).toMatchObject({ id, version: 1, status: 'PUBLISHED' });
    expect(new Date(achievement.publishedAt).getTime()).not.toBeNaN();
    const [published] = (await eventsOf(issuerA)).filter((event) => event.type === 'AchievementPublished');
    const payload = published!.payload;
    expect(payload).toEqual({
      achievementId: id,
      issuerId: issuerA,
      version: 1,
      achievement: {
        id: `${BASE_URL}/achievements/${id}/versions/1`,
        type: ['Achievement'],
        name: 'Welding Level 1',
        description: 'Runs a clean MIG bead on mild steel.',
        criteria: { id: 'https://acme.example/criteria', narrative: 'Pass the practical assessment.' },
        image: { id: 'https://acme.example/badge.png', type: 'Image', caption: 'A torch' },
        achievementType: 'MicroCredential',
        alignment: [
          { type: ['Alignment'], targetName: 'Welding fundamentals', targetUrl: 'https://case.example/42', targetType: 'CFItem' },
          {
            type: ['Alignment'],
            targetName: 'weld metal',
            targetUrl: 'http://data.europa.eu/esco/skill/weld',
            targetCode: 'http://data.europa.eu/esco/skill/weld',
            targetFramework: 'ESCO',
            targetType: 'ceasn:Competency',
          },
        ],
        tag: ['welding', 'trades'],
        inLanguage: 'en-GB',
        creditsAvailable: 1.5,
        resultDescription: [
          {
            id: achievement.resultDescriptions[0].id,
            type: ['ResultDescription'],
            name: 'Grade',
            resultType: 'LetterGrade',
            allowedValue: ['A', 'B', 'C'],
            requiredValue: 'C',
          },
        ],
        version: '1',
      },
      evidenceRules: [
        { kind: 'ASSESSMENT', minCount: 1 },
        { kind: 'ATTENDANCE', minCount: 4 },
      ],
      competencyBased: true,
      validity: 'P2Y',
      imageUrl: 'https://acme.example/badge.png',
    });
    expect(serializationProblems(payload.achievement)).toEqual([]);
    expect(achievementPublishedEvent.read(payload)).toEqual({ payload });
    // The same document is what GraphQL shows as `openBadge`.
    expect(data(await read(anonymous, id)).achievement.openBadge).toEqual(payload.achievement);
  });

  test('once published, anyone may read it and it is listed', async () => {
    expect(data(await read(anonymous, id)).achievement).toMatchObject({ id, version: 1, status: 'PUBLISHED', versions: [{ version: 1, status: 'PUBLISHED' }] });
    expect((await listed(anonymous, issuerA)).edges.map((edge: any) => edge.node)).toEqual([{ id, version: 1, status: 'PUBLISHED' }]);
  });

  test('publishing again without a draft is a CONFLICT', async () => {
    expect(codeOf(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }))).toBe('CONFLICT');
  });

  test('updating a published achievement makes version 2 a draft, while version 1 stays published and current', async () => {
    const result = data(await executeAs(subgraph, memberOfA, UPDATE, { input: { id, name: 'Welding Level 1 (2026)', image: null } }));
    expect(result.updateAchievement.achievement).toMatchObject({
      id,
      version: 2,
      status: 'DRAFT',
      name: 'Welding Level 1 (2026)',
      image: null,
      tags: ['welding', 'trades'],
      skills: [{ code: 'http://data.europa.eu/esco/skill/weld' }],
      publishedAt: null,
    });
    // Result descriptions keep their ids in the copy, so results keep pointing at them.
    const v1 = data(await executeAs(subgraph, anonymous, `query ($id: ID!) { achievement(id: $id, version: 1) { resultDescriptions { id } } }`, { id }));
    expect(result.updateAchievement.achievement.resultDescriptions[0].id).toBe(v1.achievement.resultDescriptions[0].id);

    expect(data(await read(anonymous, id)).achievement).toMatchObject({ version: 1, status: 'PUBLISHED', name: 'Welding Level 1' });
    expect(data(await read(memberOfA, id)).achievement).toMatchObject({
      version: 1,
      versions: [
        { version: 1, status: 'PUBLISHED' },
        { version: 2, status: 'DRAFT' },
      ],
    });
    expect(data(await read(anonymous, id)).achievement.versions).toEqual([{ version: 1, status: 'PUBLISHED' }]);
    expect(data(await read(anonymous, id, 2)).achievement).toBeNull();
    expect(data(await read(viewerOfA, id, 2)).achievement).toMatchObject({ version: 2, status: 'DRAFT' });
    // A second update edits the same draft.
    const again = data(await executeAs(subgraph, memberOfA, UPDATE, { input: { id, tags: ['welding'] } }));
    expect(again.updateAchievement.achievement).toMatchObject({ version: 2, name: 'Welding Level 1 (2026)', tags: ['welding'] });
  });

  test('publishing version 2 supersedes version 1, which stays readable for the credentials that embed it', async () => {
    const result = data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }));
    expect(result.publishAchievement.achievement).toMatchObject({ version: 2, status: 'PUBLISHED', uri: `${BASE_URL}/achievements/${id}/versions/2` });
    const published = (await eventsOf(issuerA)).filter((event) => event.type === 'AchievementPublished');
    expect(published.map((event) => [event.payload.version, (event.payload.achievement as any).name, (event.payload.achievement as any).image])).toEqual([
      [1, 'Welding Level 1', { id: 'https://acme.example/badge.png', type: 'Image', caption: 'A torch' }],
      [2, 'Welding Level 1 (2026)', undefined],
    ]);
    expect(published[1]!.payload.imageUrl).toBeNull();
    expect(data(await read(anonymous, id)).achievement).toMatchObject({
      version: 2,
      status: 'PUBLISHED',
      versions: [
        { version: 1, status: 'SUPERSEDED' },
        { version: 2, status: 'PUBLISHED' },
      ],
    });
    const v1 = data(await read(anonymous, id, 1)).achievement;
    expect(v1).toMatchObject({ version: 1, status: 'SUPERSEDED', name: 'Welding Level 1' });
    expect(v1.openBadge.id).toBe(`${BASE_URL}/achievements/${id}/versions/1`);
    const byVersion = await executeAs(subgraph, anonymous, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Achievement { version name } } }`, {
      r: [
        { __typename: 'Achievement', id, version: 1 },
        { __typename: 'Achievement', id },
      ],
    });
    expect(data(byVersion)._entities).toEqual([
      { version: 1, name: 'Welding Level 1' },
      { version: 2, name: 'Welding Level 1 (2026)' },
    ]);
  });

  test('archiveAchievement stops issuance; published versions stay readable; archiving again changes nothing', async () => {
    const before = (await eventsOf(issuerA)).length;
    const result = data(await executeAs(subgraph, memberOfA, ARCHIVE, { input: { id } }));
    expect(result.archiveAchievement).toMatchObject({ achievement: { id, version: 2, status: 'ARCHIVED' }, warnings: [] });
    const archivedEvents = (await eventsOf(issuerA)).slice(before);
    expect(archivedEvents.map((event) => event.type)).toEqual(['AchievementArchived']);
    expect(archivedEvents[0]!.payload).toMatchObject({ achievementId: id, issuerId: issuerA });
    // Archiving again changes nothing and announces nothing.
    expect(data(await executeAs(subgraph, memberOfA, ARCHIVE, { input: { id } })).archiveAchievement.achievement.status).toBe('ARCHIVED');
    expect(await eventsOf(issuerA)).toHaveLength(before + 1);
    expect(data(await read(anonymous, id, 1)).achievement.status).toBe('SUPERSEDED');
    expect(data(await read(anonymous, id)).achievement).toMatchObject({ version: 2, status: 'ARCHIVED' });
    expect((await listed(anonymous, issuerA)).totalCount).toBe(0);
    expect((await listed(anonymous, issuerA, 'ARCHIVED')).edges.map((edge: any) => edge.node.id)).toEqual([id]);
    expect(codeOf(await executeAs(subgraph, memberOfA, UPDATE, { input: { id, name: 'Revived' } }))).toBe('CONFLICT');
    expect(codeOf(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }))).toBe('CONFLICT');
  });

  test('an achievement archived before it was ever published stays private', async () => {
    const draft = data(await executeAs(subgraph, memberOfA, CREATE, { input: { ...welding, name: 'Never published' } })).createAchievement.achievement;
    data(await executeAs(subgraph, memberOfA, ARCHIVE, { input: { id: draft.id } }));
    expect(data(await read(anonymous, draft.id)).achievement).toBeNull();
    expect((await listed(anonymous, issuerA, 'ARCHIVED')).totalCount).toBe(1);
    expect((await listed(viewerOfA, issuerA, 'ARCHIVED')).totalCount).toBe(2);
  });
});

describe('who may change an achievement', () => {
  let id: string;
  beforeAll(async () => {
    id = data(await executeAs(subgraph, memberOfA, CREATE, { input: { ...welding, name: 'Guarded' } })).createAchievement.achievement.id;
  });

  test('another issuer’s member gets UNAUTHORIZED for every mutation, and nothing changes', async () => {
    const before = (await eventsOf(issuerA)).length;
    expect(codeOf(await executeAs(subgraph, memberOfB, CREATE, { input: welding }))).toBe('UNAUTHORIZED');
    expect(codeOf(await executeAs(subgraph, memberOfB, UPDATE, { input: { id, name: 'Hijacked' } }))).toBe('UNAUTHORIZED');
    expect(codeOf(await executeAs(subgraph, memberOfB, PUBLISH, { input: { id } }))).toBe('UNAUTHORIZED');
    expect(codeOf(await executeAs(subgraph, memberOfB, ARCHIVE, { input: { id } }))).toBe('UNAUTHORIZED');
    expect(await eventsOf(issuerA)).toHaveLength(before);
    expect(data(await read(memberOfA, id)).achievement).toMatchObject({ name: 'Guarded', status: 'DRAFT' });
  });

  test('a VIEWER member may read drafts but not change them; anonymous callers must authenticate', async () => {
    expect(codeOf(await executeAs(subgraph, viewerOfA, UPDATE, { input: { id, name: 'x' } }))).toBe('UNAUTHORIZED');
    expect(codeOf(await executeAs(subgraph, anonymous, UPDATE, { input: { id, name: 'x' } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await executeAs(subgraph, anonymous, PUBLISH, { input: { id } }))).toBe('UNAUTHENTICATED');
  });

  test('an unknown achievement is NOT_FOUND', async () => {
    expect(codeOf(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id: newId() } }))).toBe('NOT_FOUND');
    expect(codeOf(await executeAs(subgraph, memberOfA, UPDATE, { input: { id: 'nope' } }))).toBe('NOT_FOUND');
  });

  test.each([
    [{ name: null }, 'name'],
    [{ achievementType: 'Nanodegree' }, 'achievementType'],
    [{ alignments: [{ targetName: 'X', targetUrl: 'https://x.example', targetType: 'Skill' }] }, 'alignments[0].targetType'],
    [{ validity: '2 years' }, 'validity'],
    [{ language: 'english' }, 'language'],
    [{ evidenceRules: [{ kind: 'ATTENDANCE', minCount: 1 }] }, 'evidenceRules'],
    [{ evidenceRules: [{ kind: 'PROJECT', minCount: 0 }] }, 'evidenceRules[0].minCount'],
    [{ resultDescriptions: [{ name: 'Score', resultType: 'Points' }] }, 'resultDescriptions[0].resultType'],
  ])('an update with %j is BAD_USER_INPUT naming %s, and changes nothing', async (change, field) => {
    const result = await executeAs(subgraph, memberOfA, UPDATE, { input: { id, ...change } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(data(await read(memberOfA, id)).achievement.name).toBe('Guarded');
  });
});
