import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { readEvents } from '../../lib/events/outbox.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs, type FormattedResult } from '../../test/helpers/execute.js';
import { achievements } from './index.js';

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
  createAchievement(input: $input) { achievement { id name description criteria { id narrative } issuer { id } createdAt } }
}`;

const input = (issuerId: string, name: string) => ({
  issuerId,
  name,
  description: `${name}, described`,
  criteria: { narrative: `Do ${name}.` },
});

const eventsOf = (issuerId: string) => readEvents(deps.database.db, { after: 0, limit: 50, issuerId });

describe('achievements subgraph', () => {
  test('an operator defines an achievement: row and AchievementCreated in the same transaction', async () => {
    const result = await executeAs(subgraph, admin, CREATE, {
      input: { ...input(issuerA, 'A1'), name: '  A1 ', criteria: { narrative: 'Do A1.', url: 'https://a.example/criteria' } },
    });
    expect(result.errors).toBeUndefined();
    const achievement = result.data!.createAchievement.achievement;
    expect(achievement).toMatchObject({
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
    const read = await executeAs(subgraph, { kind: 'ANONYMOUS' }, `query ($id: ID!) { achievement(id: $id) { id name } }`, { id: achievement.id });
    expect(read.data!.achievement).toEqual({ id: achievement.id, name: 'A1' });
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
    const created = await executeAs(subgraph, admin, CREATE, { input: input(issuerB, 'B2') });
    const id = created.data!.createAchievement.achievement.id;
    const result = await executeAs(
      subgraph,
      { kind: 'ANONYMOUS' },
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Achievement { id name issuer { id } } } }`,
      { representations: [{ __typename: 'Achievement', id }, { __typename: 'Achievement', id: newId() }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([{ id, name: 'B2', issuer: { id: issuerB } }, null]);
  });

  test('Issuer references page their achievements per issuer', async () => {
    const query = `query ($representations: [_Any!]!, $after: String) {
      _entities(representations: $representations) {
        ... on Issuer { id achievements(first: 2, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }
      }
    }`;
    const empty = newId();
    const representations = [issuerA, issuerB, empty].map((id) => ({ __typename: 'Issuer', id }));
    const first = await executeAs(subgraph, { kind: 'ANONYMOUS' }, query, { representations });
    expect(first.errors).toBeUndefined();
    const [a, b, none] = first.data!._entities.map((issuer: any) => issuer.achievements);
    expect(first.data!._entities.map((issuer: any) => issuer.id)).toEqual([issuerA, issuerB, empty]);
    expect([a, b, none].map((page: any) => page.totalCount)).toEqual([3, 2, 0]);
    expect([a, b, none].map((page: any) => page.edges.map((edge: any) => edge.node.name))).toEqual([['A1', 'A2'], ['B1', 'B2'], []]);
    expect([a, b, none].map((page: any) => page.pageInfo.hasNextPage)).toEqual([true, false, false]);
    expect(none.pageInfo.endCursor).toBeNull();

    const second = await executeAs(subgraph, { kind: 'ANONYMOUS' }, query, {
      representations: [{ __typename: 'Issuer', id: issuerA }],
      after: a.pageInfo.endCursor,
    });
    expect(second.errors).toBeUndefined();
    const rest = second.data!._entities[0].achievements;
    expect(rest.edges.map((edge: any) => edge.node.name)).toEqual(['A3']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });
});
