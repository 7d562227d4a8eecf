import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs, type FormattedResult } from '../../test/helpers/execute.js';
import { achievements } from './index.js';
import { readLog } from '../../test/helpers/events.js';

// This subgraph never reads the issuers tables, so any UUIDs serve as issuer ids.
const issuerA = newId();
const issuerB = newId();
const admin: Viewer = { kind: 'ADMIN', apiKeyId: '0190a0a0-0000-7000-8000-000000000001' };
const memberOfA: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000002', issuerId: issuerA, role: 'ISSUER' };
const memberOfB: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000003', issuerId: issuerB, role: 'ISSUER' };
const viewerOfA: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000004', issuerId: issuerA, role: 'VIEWER' };

const firstError = (result: FormattedResult<unknown>) => result.errors?.[0];

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await achievements.create(deps);
});
afterAll(() => deps.dispose());

const CREATE = `mutation ($input: CreateAchievementInput!) {
  createAchievement(input: $input) { achievement { id version status name description criteria { id narrative } issuer { id } createdAt } warnings { code } }
}`;
const PUBLISH = `mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id status } } }`;

const input = (issuerId: string, name: string) => ({
  issuerId,
  name,
  description: `${name}, described`,
  criteria: { narrative: `Do ${name}.` },
});

const CREATE_WITH_SKILLS = `mutation ($input: CreateAchievementInput!) {
  createAchievement(input: $input) { achievement { id skills { id framework code name url } } warnings { code field } }
}`;

const eventsOf = (issuerId: string) => readLog(deps.database.db, { after: 0, limit: 50, issuerId });

describe('achievements subgraph', () => {
  test('an operator defines an achievement: a version-1 DRAFT and AchievementCreated in the same transaction', async () => {
    const result = await executeAs(subgraph, admin, CREATE, {
      input: { ...input(issuerA, 'A1'), name: '  A1 ', criteria: { narrative: 'Do A1.', url: 'https://a.example/criteria' } },
    });
    expect(result.errors).toBeUndefined();
    const achievement = result.data!.createAchievement.achievement;
    expect(achievement).toMatchObject({
      version: 1,
      status: 'DRAFT',
      name: 'A1',
      description: 'A1, described',
      criteria: { id: 'https://a.example/criteria', narrative: 'Do A1.' },
      issuer: { id: issuerA },
    });
    expect(new Date(achievement.createdAt).getTime()).not.toBeNaN();
    const events = await eventsOf(issuerA);
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ['AchievementCreated', { achievementId: achievement.id, issuerId: issuerA, name: 'A1' }],
    ]);
    expect(result.data!.createAchievement.warnings).toEqual([]);
    const query = `query ($id: ID!) { achievement(id: $id) { id name } }`;
    // A draft: the issuer's members see it, anonymous callers do not, until it is published.
    expect((await executeAs(subgraph, viewerOfA, query, { id: achievement.id })).data!.achievement).toEqual({ id: achievement.id, name: 'A1' });
    expect((await executeAs(subgraph, { kind: 'ANONYMOUS' }, query, { id: achievement.id })).data!.achievement).toBeNull();
  });

  test('an ISSUER member defines achievements for its own issuer', async () => {
    for (const name of ['A2', 'A3']) {
      const result = await executeAs(subgraph, memberOfA, CREATE, { input: input(issuerA, name) });
      expect(result.errors).toBeUndefined();
      expect(result.data!.createAchievement.achievement).toMatchObject({ name, issuer: { id: issuerA }, criteria: { id: null } });
    }
    expect((await eventsOf(issuerA)).map((event) => event.payload.name)).toEqual(['A1', 'A2', 'A3']);
    const b = await executeAs(subgraph, memberOfB, CREATE, { input: input(issuerB, 'B1') });
    expect(b.errors).toBeUndefined();
  });

  test('members of another issuer, and VIEWER members, may not write; nothing is stored', async () => {
    const before = (await eventsOf(issuerA)).length;
    const other = await executeAs(subgraph, memberOfB, CREATE, { input: input(issuerA, 'Intruder') });
    expect(firstError(other)?.extensions?.code).toBe('UNAUTHORIZED');
    const viewerRole = await executeAs(subgraph, viewerOfA, CREATE, { input: input(issuerA, 'Read-only') });
    expect(firstError(viewerRole)?.extensions?.code).toBe('UNAUTHORIZED');
    expect(await eventsOf(issuerA)).toHaveLength(before);
    const listed = await executeAs(
      subgraph,
      admin,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Issuer { achievements { totalCount } } } }`,
      { representations: [{ __typename: 'Issuer', id: issuerA }] },
    );
    expect(listed.data!._entities).toEqual([{ achievements: { totalCount: 3 } }]);
  });

  test('anonymous callers must authenticate', async () => {
    const result = await executeAs(subgraph, { kind: 'ANONYMOUS' }, CREATE, { input: input(issuerA, 'Anon') });
    expect(firstError(result)?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test.each([
    [{ name: ' ' }, 'name'],
    [{ description: '' }, 'description'],
    [{ criteria: {} }, 'criteria'],
    [{ criteria: { url: 'ftp://a.example/criteria' } }, 'criteria.url'],
    [{ issuerId: 'acme' }, 'issuerId'],
  ])('bad input %j is BAD_USER_INPUT naming %s', async (change, field) => {
    const result = await executeAs(subgraph, admin, CREATE, { input: { ...input(issuerA, 'Bad'), ...change } });
    expect(firstError(result)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.data).toBeNull();
  });

  test('Achievement references resolve through _entities, unknown ids as null', async () => {
    const created = await executeAs(subgraph, admin, CREATE, { input: { ...input(issuerB, 'B2'), achievementType: 'Course' } });
    const id = created.data!.createAchievement.achievement.id;
    expect((await executeAs(subgraph, memberOfB, PUBLISH, { id })).data!.publishAchievement.achievement).toEqual({ id, status: 'PUBLISHED' });
    const result = await executeAs(
      subgraph,
      { kind: 'ANONYMOUS' },
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Achievement { id name issuer { id } } } }`,
      { representations: [{ __typename: 'Achievement', id }, { __typename: 'Achievement', id: newId() }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([{ id, name: 'B2', issuer: { id: issuerB } }, null]);
  });

  test('Issuer references page their achievements per issuer; anonymous callers see only published ones', async () => {
    const query = `query ($representations: [_Any!]!, $after: String) {
      _entities(representations: $representations) {
        ... on Issuer { id achievements(first: 2, after: $after) { totalCount edges { node { name status } } pageInfo { hasNextPage endCursor } } }
      }
    }`;
    const empty = newId();
    const representations = [issuerA, issuerB, empty].map((id) => ({ __typename: 'Issuer', id }));
    const first = await executeAs(subgraph, admin, query, { representations });
    expect(first.errors).toBeUndefined();
    const [a, b, none] = first.data!._entities.map((issuer: any) => issuer.achievements);
    expect(first.data!._entities.map((issuer: any) => issuer.id)).toEqual([issuerA, issuerB, empty]);
    expect([a, b, none].map((page: any) => page.totalCount)).toEqual([3, 2, 0]);
    expect([a, b, none].map((page: any) => page.edges.map((edge: any) => edge.node.name))).toEqual([['A1', 'A2'], ['B1', 'B2'], []]);
    expect([a, b, none].map((page: any) => page.pageInfo.hasNextPage)).toEqual([true, false, false]);
    expect(none.pageInfo.endCursor).toBeNull();

    const second = await executeAs(subgraph, admin, query, { representations: [{ __typename: 'Issuer', id: issuerA }], after: a.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    const rest = second.data!._entities[0].achievements;
    expect(rest.edges.map((edge: any) => edge.node.name)).toEqual(['A3']);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const anonymous = await executeAs(subgraph, { kind: 'ANONYMOUS' }, query, { representations });
    expect(anonymous.data!._entities.map((issuer: any) => issuer.achievements.edges.map((edge: any) => edge.node))).toEqual([
      [],
      [{ name: 'B2', status: 'PUBLISHED' }],
      [],
    ]);
  });
});

describe('skills', () => {
  const SKILLS = `query ($framework: SkillFramework, $search: String) { skills(first: 10, framework: $framework, search: $search) { totalCount edges { node { id framework code name url } } } }`;
  const esco = 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d';
  let shared: { a: any; b: any };

  test('skills are deduplicated by (framework, code) and shared between achievements of different issuers', async () => {
    const a = await executeAs(subgraph, memberOfA, CREATE_WITH_SKILLS, {
      input: {
        ...input(issuerA, 'Data analysis'),
        skills: [
          { framework: 'ESCO', code: esco, name: 'analyse big data' },
          { framework: 'ONET', code: '2.A.2.b', name: 'Active Learning', url: 'https://www.onetonline.org/find/descriptor/result/2.A.2.b' },
          { framework: 'ESCO', code: esco, name: 'analyse big data' },
        ],
      },
    });
    expect(a.errors).toBeUndefined();
    expect(a.data!.createAchievement.warnings).toEqual([]);
    const b = await executeAs(subgraph, memberOfB, CREATE_WITH_SKILLS, {
      input: { ...input(issuerB, 'Analytics'), skills: [{ framework: 'ESCO', code: esco, name: 'Big data analysis', url: esco }] },
    });
    expect(b.errors).toBeUndefined();
    shared = { a: a.data!.createAchievement, b: b.data!.createAchievement };
    const [skillOfA] = shared.a.achievement.skills;
    expect(shared.a.achievement.skills.map((skill: any) => skill.code)).toEqual([esco, '2.A.2.b']);
    // Issuer B's achievement links to the very skill issuer A introduced; its own name does not overwrite it.
    expect(shared.b.achievement.skills).toEqual([skillOfA]);
    expect(skillOfA).toMatchObject({ framework: 'ESCO', name: 'analyse big data', url: esco });
    expect(shared.b.warnings).toEqual([{ code: 'SHARED_SKILL_KEPT', field: 'skills[0]' }]);
    const escoSkills = await executeAs(subgraph, { kind: 'ANONYMOUS' }, SKILLS, { framework: 'ESCO' });
    expect(escoSkills.data!.skills.totalCount).toBe(1);
  });

  test('skills(framework, search) filters; search matches name or code in any case', async () => {
    const run = async (variables: Record<string, unknown>) =>
      (await executeAs(subgraph, { kind: 'ANONYMOUS' }, SKILLS, variables)).data!.skills.edges.map((edge: any) => edge.node.name);
    expect(await run({})).toEqual(['analyse big data', 'Active Learning']);
    expect(await run({ search: 'BIG' })).toEqual(['analyse big data']);
    expect(await run({ search: '2.a.2' })).toEqual(['Active Learning']);
    expect(await run({ framework: 'LIGHTCAST' })).toEqual([]);
    expect(await run({ search: '%' })).toEqual([]);
  });

  test('skill(id) and Skill references resolve through the loader; unknown ids as null', async () => {
    const [skill] = shared.a.achievement.skills;
    const one = await executeAs(subgraph, { kind: 'ANONYMOUS' }, `query ($id: ID!) { skill(id: $id) { id code } }`, { id: skill.id });
    expect(one.data!.skill).toEqual({ id: skill.id, code: esco });
    const references = await executeAs(
      subgraph,
      { kind: 'ANONYMOUS' },
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Skill { id framework } } }`,
      { r: [{ __typename: 'Skill', id: newId() }, { __typename: 'Skill', id: skill.id }] },
    );
    expect(references.data!._entities).toEqual([null, { id: skill.id, framework: 'ESCO' }]);
  });
});
