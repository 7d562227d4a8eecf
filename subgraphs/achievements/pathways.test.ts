import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { credentialImportedEvent } from '../../lib/events/contracts/credential-imported.js';
import { credentialReinstatedEvent, credentialRevokedEvent, credentialSuspendedEvent } from '../../lib/events/contracts/credential-status-changed.js';
import { pathwayAwardStandingChangedEvent } from '../../lib/events/contracts/pathway-award-standing-changed.js';
import { pathwayCompletedEvent } from '../../lib/events/contracts/pathway-completed.js';
import { pathwayProgressedEvent } from '../../lib/events/contracts/pathway-progressed.js';
import { pathwayStartedEvent } from '../../lib/events/contracts/pathway-started.js';
import { consumerCheckpoints } from '../../lib/events/tables.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import { silentLogger } from '../../lib/log.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { appendSequenced, readLog } from '../../test/helpers/events.js';
import { eventually } from '../../test/helpers/eventually.js';
import { executeAs, type FormattedResult } from '../../test/helpers/execute.js';
import { achievementThrough, achievementUrl, drainPathwayProgress, earnedEvents, PATHWAY_TEST_BASE_URL } from '../../test/helpers/pathway-progress.js';
import { PATHWAY_PROGRESS_CONSUMER } from './consumers/pathway-progress.js';
import { createProgressStore } from './db/progress-store.js';
import { achievements } from './index.js';
import { createPathwayProgressService } from './services/pathway-progress.js';

// This subgraph never reads the issuers' or recipients' tables, so any UUIDs serve as their ids.
const issuerA = newId();
const issuerB = newId();
const memberOfA: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: issuerA, role: 'ISSUER' };
const viewerOfA: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: issuerA, role: 'VIEWER' };
const memberOfB: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: issuerB, role: 'OWNER' };
const BASE_URL = PATHWAY_TEST_BASE_URL;

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps({ PUBLIC_BASE_URL: BASE_URL });
  subgraph = await achievements.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const data = <T = any>(result: FormattedResult<T>): T => {
  expect(result.errors).toBeUndefined();
  return result.data!;
};
const extensionsOf = (result: FormattedResult<unknown>) => result.errors?.[0]?.extensions;

const publishedAchievement = (viewer: Viewer, issuerId: string, name: string, publish = true) => achievementThrough(subgraph, viewer, issuerId, name, publish);

const CREATE = `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id version status requirement { id kind parentId } } } }`;
const PUBLISH = `mutation ($input: PathwayIdInput!) { publishPathway(input: $input) { pathway { id version status publishedAt } } }`;
const PROGRESS = `query ($id: ID!, $recipientId: ID!) { pathway(id: $id) { progress(recipientId: $recipientId) {
  satisfied percent next nodes { nodeId satisfied credentialIds lapsed { credentialId reason } currentStep } awards { nodeId standing credentialIds achievement { id } } } } }`;

const leaf = (achievement: string) => ({ kind: 'ACHIEVEMENT', achievement });

const project = () => drainPathwayProgress(deps.database.db);
const earned = (credentialId: string, achievementId: string, recipientId: string, issuedAt: string, issuerId = issuerA, validUntil: string | null = null) =>
  earnedEvents(credentialId, achievementId, recipientId, issuedAt, issuerId, validUntil);

const completions = async () => (await readLog(deps.database.db, { after: 0, limit: 1000, types: [EventType.PATHWAY_COMPLETED] })).map((event) => pathwayCompletedEvent.parse(event.payload));

describe('pathway definitions', () => {
  let sql: string;
  let python: string;
  let draftOnly: string;
  let award: string;
  let othersAward: string;

  beforeAll(async () => {
    [sql, python, award] = (await Promise.all(['SQL', 'Python', 'Data Engineer'].map((name) => publishedAchievement(memberOfA, issuerA, name)))) as [string, string, string];
    draftOnly = await publishedAchievement(memberOfA, issuerA, 'Spark', false);
    othersAward = await publishedAchievement(memberOfB, issuerB, 'Other award');
  });

  const input = (requirement: unknown, overrides: Record<string, unknown> = {}) => ({
    input: { issuerId: issuerA, name: 'Data track', description: 'Five steps.', requirement, award: { achievementId: award }, ...overrides },
  });

  test('a pathway is created as a DRAFT version 1, its nodes named by their path', async () => {
    const created = data(await executeAs(subgraph, memberOfA, CREATE, input({ kind: 'SEQUENCE', children: [leaf(sql), leaf(python)] }))).createPathway.pathway;
    expect(created).toMatchObject({ version: 1, status: 'DRAFT' });
    expect(created.requirement).toEqual([
      { id: 'r', kind: 'SEQUENCE', parentId: null },
      { id: 'r.0', kind: 'ACHIEVEMENT', parentId: 'r' },
      { id: 'r.1', kind: 'ACHIEVEMENT', parentId: 'r' },
    ]);
  });

  const cases: [string, () => [unknown, Record<string, unknown>], string, string][] = [
    ['an N_OF larger than its children', () => [{ kind: 'ALL_OF', children: [leaf(sql), { kind: 'N_OF', n: 3, children: [leaf(python)] }] }, {}], 'N_EXCEEDS_CHILDREN', 'r.1'],
    ['an empty group', () => [{ kind: 'ALL_OF', children: [leaf(sql), { kind: 'ALL_OF', children: [] }] }, {}], 'EMPTY_GROUP', 'r.1'],
    ['an unpublished achievement', () => [{ kind: 'ALL_OF', children: [leaf(sql), leaf(draftOnly)] }, {}], 'UNPUBLISHED_ACHIEVEMENT', 'r.1'],
    ['an unknown achievement', () => [{ kind: 'ALL_OF', children: [leaf(newId())] }, {}], 'UNKNOWN_ACHIEVEMENT', 'r.0'],
    ['an award of another issuer', () => [{ kind: 'ALL_OF', children: [leaf(sql)] }, { award: { achievementId: othersAward } }], 'FOREIGN_AWARD', 'award'],
    ['its own award as a leaf', () => [{ kind: 'ALL_OF', children: [leaf(sql), leaf(award)] }, {}], 'CYCLE', 'r.1'],
  ];
  test.each(cases)('%s is refused with a coded error naming the node', async (_rule, make, reason, node) => {
    // Made when the case runs: the ids come from beforeAll.
    const [requirement, overrides] = make();
    const result = await executeAs(subgraph, memberOfA, CREATE, input(requirement, overrides));
    expect(extensionsOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason, node });
  });

  test('a cycle through another published pathway is refused', async () => {
    const first = data(await executeAs(subgraph, memberOfA, CREATE, input({ kind: 'ALL_OF', children: [leaf(sql)] }))).createPathway.pathway.id;
    data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id: first } }));
    // `award` requires sql; a pathway awarding sql that requires `award` closes the loop.
    const result = await executeAs(subgraph, memberOfA, CREATE, input({ kind: 'ALL_OF', children: [leaf(award)] }, { award: { achievementId: sql } }));
    expect(extensionsOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CYCLE', node: 'r.0' });
  });

  test('an achievement’s EU profile names the published pathways it stacks into, whoever issues them; drafts do not count', async () => {
    const member = await publishedAchievement(memberOfB, issuerB, 'Stackable SQL');
    const award = await publishedAchievement(memberOfA, issuerA, 'Stack Award');
    const create = (name: string) =>
      executeAs(subgraph, memberOfA, CREATE, { input: { issuerId: issuerA, name, description: 'x', requirement: { kind: 'ALL_OF', children: [leaf(member)] }, award: { achievementId: award } } });
    const published = data(await create('Data Track')).createPathway.pathway.id;
    data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id: published } }));
    data(await create('Draft Track'));
    const STACKS = `query ($id: ID!) { achievement(id: $id) { euProfile { stacksInto { id name } } } }`;
    expect(data(await executeAs(subgraph, memberOfB, STACKS, { id: member })).achievement.euProfile.stacksInto).toEqual([{ id: published, name: 'Data Track' }]);
    expect(data(await executeAs(subgraph, memberOfB, STACKS, { id: award })).achievement.euProfile.stacksInto).toEqual([]);
  });

  test('only the issuer’s members with the ISSUER role define its pathways', async () => {
    expect(extensionsOf(await executeAs(subgraph, memberOfB, CREATE, input({ kind: 'ALL_OF', children: [leaf(sql)] })))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(extensionsOf(await executeAs(subgraph, viewerOfA, CREATE, input({ kind: 'ALL_OF', children: [leaf(sql)] })))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(extensionsOf(await executeAs(subgraph, { kind: 'ANONYMOUS' }, CREATE, input({ kind: 'ALL_OF', children: [leaf(sql)] })))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test('a published version never changes: updating starts version 2, version 1 stays published', async () => {
    const id = data(await executeAs(subgraph, memberOfA, CREATE, input({ kind: 'ALL_OF', children: [leaf(sql)] }))).createPathway.pathway.id;
    data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }));
    const updated = data(
      await executeAs(subgraph, memberOfA, `mutation ($input: UpdatePathwayInput!) { updatePathway(input: $input) { pathway { version status name } } }`, { input: { id, name: 'Data track II' } }),
    ).updatePathway.pathway;
    expect(updated).toEqual({ version: 2, status: 'DRAFT', name: 'Data track II' });
    const read = data(await executeAs(subgraph, { kind: 'ANONYMOUS' }, `query ($id: ID!) { pathway(id: $id) { version status name versions { version status } } }`, { id }));
    expect(read.pathway).toEqual({ version: 1, status: 'PUBLISHED', name: 'Data track', versions: [{ version: 1, status: 'PUBLISHED' }] });
  });
});

describe('progress from events, awards exactly once', () => {
  let steps: string[];
  let award: string;
  let milestone: string;
  let pathwayId: string;
  const recipient = newId();

  beforeAll(async () => {
    steps = await Promise.all(['Step 1', 'Step 2', 'Step 3'].map((name) => publishedAchievement(memberOfA, issuerA, name)));
    award = await publishedAchievement(memberOfA, issuerA, 'Track award');
    milestone = await publishedAchievement(memberOfA, issuerA, 'Halfway');
    const external = 'https://uni.example/achievements/stats';
    const requirement = {
      kind: 'ALL_OF',
      children: [{ kind: 'SEQUENCE', milestoneAchievementId: milestone, children: [leaf(steps[0]!), leaf(steps[1]!)] }, { kind: 'N_OF', n: 1, children: [leaf(steps[2]!), leaf(external)] }],
    };
    pathwayId = data(
      await executeAs(subgraph, memberOfA, CREATE, {
        input: { issuerId: issuerA, name: 'Track', description: 'x', requirement, award: { achievementId: award }, revocationPolicy: 'SUSPEND', acceptExternal: { mode: 'LIST', issuers: ['did:web:uni.example'] } },
      }),
    ).createPathway.pathway.id;
    data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id: pathwayId } }));
  });

  const progressAs = async (viewer: Viewer) => (await executeAs(subgraph, viewer, PROGRESS, { id: pathwayId, recipientId: recipient })) as FormattedResult<any>;
  const recipientViewer: Viewer = { kind: 'RECIPIENT', apiKeyId: newId(), recipientId: recipient };

  test('a sequence earned out of order does not count; the milestone comes once it is in order', async () => {
    await appendSequenced(deps.database.db, [...earned(newId(), steps[1]!, recipient, '2026-01-01T00:00:00Z'), ...earned(newId(), steps[0]!, recipient, '2026-01-05T00:00:00Z')]);
    await project();
    let progress = data(await progressAs(recipientViewer)).pathway.progress;
    expect(progress.satisfied).toBe(false);
    expect(progress.nodes.find((node: any) => node.nodeId === 'r.0').currentStep).toBe(1);
    expect(progress.awards).toEqual([]);
    await appendSequenced(deps.database.db, earned(newId(), steps[1]!, recipient, '2026-02-01T00:00:00Z'));
    await project();
    progress = data(await progressAs(recipientViewer)).pathway.progress;
    expect(progress.awards).toEqual([expect.objectContaining({ nodeId: 'r.0', standing: 'ACTIVE', achievement: { id: milestone } })]);
    expect(progress.next).toEqual(['r.1.0', 'r.1.1']);
  });

  test('an imported credential of a listed issuer completes it: PathwayCompleted once, with the members for the CLR', async () => {
    const imported = newId();
    const document = { issuer: 'did:web:uni.example', validFrom: '2026-03-01T00:00:00Z', credentialSubject: { achievement: { id: 'https://uni.example/achievements/stats' } } };
    await appendSequenced(deps.database.db, [credentialImportedEvent.build({ credentialId: imported, recipientId: recipient, replaced: false, format: 'VC_DI', status: 'VALID', document })]);
    await project();
    const progress = data(await progressAs(recipientViewer)).pathway.progress;
    expect(progress).toMatchObject({ satisfied: true, percent: 100 });
    const completed = (await completions()).filter((event) => event.pathwayId === pathwayId && event.recipientId === recipient);
    expect(completed.map((event) => event.milestoneNodeId ?? null).sort()).toEqual([null, 'r.0']);
    const whole = completed.find((event) => !event.milestoneNodeId)!;
    expect(whole.achievementId).toBe(award);
    expect(whole.credentialIds).toContain(imported);
    expect(whole.members!.map((member) => member.credentialId).sort()).toEqual([...whole.credentialIds].sort());
    expect(whole.precedes).toEqual([{ sourceId: achievementUrl(steps[0]!), targetId: achievementUrl(steps[1]!) }]);
    expect(whole.recipient).toEqual({ type: 'EMAIL', value: `${recipient}@example.org` });
  });

  test('replaying the whole log from the start appends no second award', async () => {
    await deps.database.db.update(consumerCheckpoints).set({ cursor: 0 }).where(eq(consumerCheckpoints.consumer, PATHWAY_PROGRESS_CONSUMER));
    await project();
    const completed = (await completions()).filter((event) => event.pathwayId === pathwayId && event.recipientId === recipient);
    expect(completed).toHaveLength(2);
  });

  test('suspending a member credential un-satisfies its leaf, says why, and (SUSPEND policy) suspends the award; reinstating restores it', async () => {
    const held = data(await progressAs(recipientViewer)).pathway.progress.nodes.find((node: any) => node.nodeId === 'r.0.0').credentialIds[0];
    await appendSequenced(deps.database.db, [credentialSuspendedEvent.build({ credentialId: held, issuerId: issuerA, statusPurpose: 'suspension', reason: 'audit' })]);
    await project();
    let progress = data(await progressAs(recipientViewer)).pathway.progress;
    expect(progress.satisfied).toBe(false);
    expect(progress.nodes.find((node: any) => node.nodeId === 'r.0.0').lapsed).toEqual([{ credentialId: held, reason: 'SUSPENDED' }]);
    expect(progress.awards.find((award: any) => award.nodeId === 'r').standing).toBe('SUSPENDED');
    await appendSequenced(deps.database.db, [credentialReinstatedEvent.build({ credentialId: held, issuerId: issuerA, statusPurpose: 'suspension', reason: null })]);
    await project();
    progress = data(await progressAs(recipientViewer)).pathway.progress;
    expect(progress.satisfied).toBe(true);
    expect(progress.awards.find((award: any) => award.nodeId === 'r').standing).toBe('ACTIVE');
    expect((await completions()).filter((event) => event.pathwayId === pathwayId)).toHaveLength(2);
    // The issuers subgraph suspends and reinstates the award credential from these.
    const standings = (await readLog(deps.database.db, { after: 0, limit: 1000, types: [EventType.PATHWAY_AWARD_STANDING_CHANGED] }))
      .map((event) => pathwayAwardStandingChangedEvent.parse(event.payload))
      .filter((event) => event.pathwayId === pathwayId && event.milestoneNodeId === null);
    expect(standings.map(({ previous, standing, lapsedCredentialIds }) => ({ previous, standing, lapsedCredentialIds }))).toEqual([
      { previous: 'ACTIVE', standing: 'SUSPENDED', lapsedCredentialIds: [held] },
      { previous: 'SUSPENDED', standing: 'ACTIVE', lapsedCredentialIds: [] },
    ]);
  });

  test('a revocation is final: the award stays suspended until the requirement is met by another credential', async () => {
    const held = data(await progressAs(recipientViewer)).pathway.progress.nodes.find((node: any) => node.nodeId === 'r.0.0').credentialIds[0];
    await appendSequenced(deps.database.db, [credentialRevokedEvent.build({ credentialId: held, issuerId: issuerA, statusPurpose: 'revocation', reason: 'fraud' })]);
    await project();
    const progress = data(await progressAs(recipientViewer)).pathway.progress;
    expect(progress.nodes.find((node: any) => node.nodeId === 'r.0.0').lapsed).toEqual([{ credentialId: held, reason: 'REVOKED' }]);
    expect(progress.awards.find((award: any) => award.nodeId === 'r').standing).toBe('SUSPENDED');
  });

  test('progress is read by the recipient and the issuer’s members, nobody else; stats by the issuer’s members', async () => {
    expect(data(await progressAs(viewerOfA)).pathway.progress).not.toBeNull();
    expect(extensionsOf(await progressAs({ kind: 'RECIPIENT', apiKeyId: newId(), recipientId: newId() }))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(extensionsOf(await progressAs(memberOfB))).toMatchObject({ code: 'UNAUTHORIZED' });
    const STATS = `query ($id: ID!) { pathway(id: $id) { stats { started following completed completionRate dropOff { step recipients } } } }`;
    expect(data(await executeAs(subgraph, viewerOfA, STATS, { id: pathwayId })).pathway.stats).toMatchObject({ started: 1, completed: 0 });
    expect(extensionsOf(await executeAs(subgraph, recipientViewer, STATS, { id: pathwayId }))).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  test('Recipient.pathways lists the recipient’s pathways for them alone', async () => {
    const LIST = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Recipient { pathways { percent pathway { id name } } } } }`;
    const representations = { r: [{ __typename: 'Recipient', id: recipient }] };
    const listed = data(await executeAs(subgraph, recipientViewer, LIST, representations))._entities[0].pathways;
    expect(listed).toEqual([expect.objectContaining({ pathway: { id: pathwayId, name: 'Track' } })]);
    expect(extensionsOf(await executeAs(subgraph, viewerOfA, LIST, representations))).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  test('a recipient follows a published pathway once; an issuer enrols a cohort', async () => {
    const FOLLOW = `mutation ($input: FollowPathwayInput!) { followPathway(input: $input) { followed } }`;
    expect(data(await executeAs(subgraph, recipientViewer, FOLLOW, { input: { pathwayId } })).followPathway.followed).toBe(1);
    expect(data(await executeAs(subgraph, recipientViewer, FOLLOW, { input: { pathwayId } })).followPathway.followed).toBe(0);
    expect(data(await executeAs(subgraph, memberOfA, FOLLOW, { input: { pathwayId, recipientIds: [newId(), newId(), recipient] } })).followPathway.followed).toBe(2);
    expect(extensionsOf(await executeAs(subgraph, memberOfB, FOLLOW, { input: { pathwayId, recipientIds: [newId()] } }))).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('two replicas', () => {
  test('the last two credentials arriving at once, with two achievements replicas consuming, append one PathwayCompleted', async () => {
    const second = await achievements.create(deps);
    try {
      const [one, two] = [await publishedAchievement(memberOfA, issuerA, 'Part one'), await publishedAchievement(memberOfA, issuerA, 'Part two')];
      const award = await publishedAchievement(memberOfA, issuerA, 'Both parts');
      const id = data(
        await executeAs(subgraph, memberOfA, CREATE, { input: { issuerId: issuerA, name: 'Pair', description: 'x', requirement: { kind: 'ALL_OF', children: [leaf(one), leaf(two)] }, award: { achievementId: award } } }),
      ).createPathway.pathway.id;
      data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }));
      const recipient = newId();
      // Two transactions committing together, each with one of the two final credentials; both replicas' consumers run.
      await Promise.all([
        appendSequenced(deps.database.db, earned(newId(), one, recipient, '2026-05-01T00:00:00Z')),
        appendSequenced(deps.database.db, earned(newId(), two, recipient, '2026-05-01T00:00:01Z')),
      ]);
      const completed = await eventually(
        async () => (await completions()).filter((event) => event.pathwayId === id),
        (events) => events.length > 0,
      );
      // Let both replicas drain whatever is left before counting again.
      await Promise.all([project(), project()]);
      expect((await completions()).filter((event) => event.pathwayId === id)).toHaveLength(completed.length);
      expect(completed).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('followers', () => {
  test('a follower is told (PathwayProgressed) when a credential moves them forward, a recipient who does not follow is not; both start once', async () => {
    const [one, two] = [await publishedAchievement(memberOfA, issuerA, 'Follow one'), await publishedAchievement(memberOfA, issuerA, 'Follow two')];
    const award = await publishedAchievement(memberOfA, issuerA, 'Follow award');
    const id = data(
      await executeAs(subgraph, memberOfA, CREATE, { input: { issuerId: issuerA, name: 'Followed', description: 'x', requirement: { kind: 'ALL_OF', children: [leaf(one), leaf(two)] }, award: { achievementId: award } } }),
    ).createPathway.pathway.id;
    data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }));
    const [follower, bystander] = [newId(), newId()];
    data(await executeAs(subgraph, { kind: 'RECIPIENT', apiKeyId: newId(), recipientId: follower }, `mutation ($input: FollowPathwayInput!) { followPathway(input: $input) { followed } }`, { input: { pathwayId: id } }));
    await appendSequenced(deps.database.db, [...earned(newId(), one, follower, '2026-05-01T00:00:00Z'), ...earned(newId(), one, bystander, '2026-05-01T00:00:00Z')]);
    await project();
    const told = (await readLog(deps.database.db, { after: 0, limit: 1000, types: [EventType.PATHWAY_PROGRESSED] })).map((event) => pathwayProgressedEvent.parse(event.payload));
    expect(told.filter((event) => event.pathwayId === id)).toEqual([expect.objectContaining({ recipientId: follower, percent: 50, previousPercent: 0, next: ['r.1'] })]);
    // Both started (PathwayStarted, for the metrics), following or not, at their first member credential's earning.
    await appendSequenced(deps.database.db, earned(newId(), two, bystander, '2026-05-03T00:00:00Z'));
    await project();
    const starts = (await readLog(deps.database.db, { after: 0, limit: 1000, types: [EventType.PATHWAY_STARTED] })).map((event) => pathwayStartedEvent.parse(event.payload));
    expect(starts.filter((event) => event.pathwayId === id).map(({ recipientId, startedAt }) => ({ recipientId, startedAt }))).toEqual([
      { recipientId: follower, startedAt: '2026-05-01T00:00:00.000Z' },
      { recipientId: bystander, startedAt: '2026-05-01T00:00:00.000Z' },
    ]);
  });
});

describe('expiry', () => {
  test('the sweep notices a member credential that expired: progress loses the step and the FLAG policy flags the award', async () => {
    const [one, award] = [await publishedAchievement(memberOfA, issuerA, 'Expiring'), await publishedAchievement(memberOfA, issuerA, 'Expiring award')];
    const id = data(
      await executeAs(subgraph, memberOfA, CREATE, { input: { issuerId: issuerA, name: 'Expiry', description: 'x', requirement: { kind: 'ACHIEVEMENT', achievement: one }, award: { achievementId: award }, revocationPolicy: 'FLAG' } }),
    ).createPathway.pathway.id;
    data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }));
    const holder = newId();
    const credentialId = newId();
    const validUntil = new Date(Date.now() + 1_500);
    await appendSequenced(deps.database.db, earned(credentialId, one, holder, '2026-01-01T00:00:00Z', issuerA, validUntil.toISOString()));
    await project();
    const read = async () => data(await executeAs(subgraph, { kind: 'RECIPIENT', apiKeyId: newId(), recipientId: holder }, PROGRESS, { id, recipientId: holder })).pathway.progress;
    expect(await read()).toMatchObject({ satisfied: true, awards: [{ nodeId: 'r', standing: 'ACTIVE' }] });
    const sweeper = createPathwayProgressService({ db: deps.database.db, progress: createProgressStore(deps.database.db), log: silentLogger() });
    expect(await sweeper.sweepExpired(new Date(validUntil.getTime() - 1))).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, validUntil.getTime() - Date.now() + 50)));
    expect(await sweeper.sweepExpired(new Date())).toBeGreaterThanOrEqual(1);
    expect(await read()).toMatchObject({ satisfied: false, nodes: [{ nodeId: 'r', lapsed: [{ credentialId, reason: 'EXPIRED' }] }], awards: [{ standing: 'FLAGGED' }] });
    // Swept once: the credential is not taken again.
    expect(await sweeper.sweepExpired(new Date())).toBe(0);
  });
});

describe('acceptExternal TRUSTED', () => {
  test('an imported credential counts when the verifier trusted its issuer, and is NOT_ACCEPTED when it did not', async () => {
    const award = await publishedAchievement(memberOfA, issuerA, 'Trusted award');
    const outside = 'https://partner.example/achievements/1';
    const id = data(
      await executeAs(subgraph, memberOfA, CREATE, {
        input: { issuerId: issuerA, name: 'Trusted', description: 'x', requirement: { kind: 'ACHIEVEMENT', achievement: outside }, award: { achievementId: award }, acceptExternal: { mode: 'TRUSTED' } },
      }),
    ).createPathway.pathway.id;
    data(await executeAs(subgraph, memberOfA, PUBLISH, { input: { id } }));
    const document = { issuer: 'did:web:partner.example', validFrom: '2026-02-01T00:00:00Z', credentialSubject: { achievement: { id: outside } } };
    const [trusting, doubting] = [newId(), newId()];
    const doubted = newId();
    await appendSequenced(deps.database.db, [
      credentialImportedEvent.build({ credentialId: newId(), recipientId: trusting, replaced: false, format: 'VC_DI', status: 'VALID', document, issuerTrusted: true }),
      credentialImportedEvent.build({ credentialId: doubted, recipientId: doubting, replaced: false, format: 'VC_DI', status: 'VALID', document, issuerTrusted: false }),
    ]);
    await project();
    const read = async (recipientId: string) => data(await executeAs(subgraph, { kind: 'RECIPIENT', apiKeyId: newId(), recipientId }, PROGRESS, { id, recipientId })).pathway.progress;
    expect((await read(trusting)).satisfied).toBe(true);
    expect(await read(doubting)).toMatchObject({ satisfied: false, nodes: [{ lapsed: [{ credentialId: doubted, reason: 'NOT_ACCEPTED' }] }] });
  });
});
