import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { pathwayCompletedEvent } from '../../lib/events/contracts/pathway-completed.js';
import { pathwayStartedEvent } from '../../lib/events/contracts/pathway-started.js';
import { events as eventLog } from '../../lib/events/tables.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { appendSequenced, readLog } from '../../test/helpers/events.js';
import { executeAs } from '../../test/helpers/execute.js';
import { achievementThrough, drainPathwayProgress, earnedEvents, PATHWAY_TEST_BASE_URL, pathwayJobsOver } from '../../test/helpers/pathway-progress.js';
import { createProgressStore } from './db/progress-store.js';
import { pathwayProgress } from './db/pathway-tables.js';
import { achievements } from './index.js';
import { createPathwayProgressService } from './services/pathway-progress.js';

// The pathway jobs: a published version's back-fill as a durable job in chunks that survives a crash, and the
// PathwayStarted owed to progress rows written before that event existed. The subgraph's own worker is off
// (CAIRN_PATHWAY_JOBS_WORKER=false) so the test decides when a worker runs, stops and restarts.

const issuerId = newId();
const member: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'ISSUER' };
const HOLDERS = 7;
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps({ PUBLIC_BASE_URL: PATHWAY_TEST_BASE_URL, CAIRN_PATHWAY_JOBS_WORKER: 'false' });
  subgraph = await achievements.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const STATS = `query ($id: ID!) { pathway(id: $id) { stats { started completed backfill { state holdersProcessed } } } }`;
const eventsOf = async <T>(type: EventType, parse: (payload: unknown) => T) => (await readLog(deps.database.db, { after: 0, limit: 10_000, types: [type] })).map((event) => parse(event.payload));
const startsOf = async (pathwayId: string) => (await eventsOf(EventType.PATHWAY_STARTED, (p) => pathwayStartedEvent.parse(p))).filter((start) => start.pathwayId === pathwayId);

async function publishedPathway(name: string, member0: string, award: string): Promise<string> {
  const created = await executeAs(subgraph, member, `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`, {
    input: { issuerId, name, description: 'One course.', requirement: { kind: 'ACHIEVEMENT', achievement: member0 }, award: { achievementId: award } },
  });
  const id = created.data!.createPathway.pathway.id as string;
  const published = await executeAs(subgraph, member, `mutation ($input: PathwayIdInput!) { publishPathway(input: $input) { pathway { status } } }`, { input: { id } });
  expect(published.errors).toBeUndefined();
  return id;
}

describe('pathway jobs', () => {
  test('publishing owes a back-fill; a worker that crashes mid-chunk and one restarted after a chunk give each holder progress exactly once', async () => {
    const course = await achievementThrough(subgraph, member, issuerId, 'SQL');
    const award = await achievementThrough(subgraph, member, issuerId, 'SQL certificate');
    const holders = Array.from({ length: HOLDERS }, () => newId());
    await appendSequenced(deps.database.db, holders.flatMap((recipientId, index) => earnedEvents(newId(), course, recipientId, `2026-01-0${index + 1}T00:00:00Z`, issuerId)));
    await drainPathwayProgress(deps.database.db);

    const pathwayId = await publishedPathway('SQL track', course, award);
    // Publishing answered without the holders: the stats say the back-fill is pending, and count nobody yet.
    const pending = await executeAs(subgraph, member, STATS, { id: pathwayId });
    expect(pending.data!.pathway.stats).toEqual({ started: 0, completed: 0, backfill: { state: 'PENDING', holdersProcessed: 0 } });

    // A worker takes a chunk of 3 and stops (a deploy).
    expect(await pathwayJobsOver(deps.database.db).backfillChunk(3)).toBe(3);
    // The next one crashes in the middle of its chunk: everything that chunk wrote rolls back with it.
    const real = createPathwayProgressService({ db: deps.database.db, progress: createProgressStore(deps.database.db), log: deps.log });
    const crashing = pathwayJobsOver(deps.database.db, {
      async backfillChunk(...args) {
        await real.backfillChunk(...args);
        throw new Error('the process died');
      },
    });
    await expect(crashing.backfillChunk(3)).rejects.toThrow('the process died');
    const halfway = await executeAs(subgraph, member, STATS, { id: pathwayId });
    expect(halfway.data!.pathway.stats).toEqual({ started: 3, completed: 3, backfill: { state: 'PENDING', holdersProcessed: 3 } });

    // A new worker resumes from the checkpoint to the end.
    const restarted = pathwayJobsOver(deps.database.db);
    while ((await restarted.backfillChunk(3)) !== null);
    const done = await executeAs(subgraph, member, STATS, { id: pathwayId });
    expect(done.data!.pathway.stats).toEqual({ started: HOLDERS, completed: HOLDERS, backfill: { state: 'DONE', holdersProcessed: HOLDERS } });
    expect((await startsOf(pathwayId)).map((start) => start.recipientId).sort()).toEqual([...holders].sort());
    const completions = (await eventsOf(EventType.PATHWAY_COMPLETED, (p) => pathwayCompletedEvent.parse(p))).filter((completed) => completed.pathwayId === pathwayId);
    expect(completions.map((completed) => completed.recipientId).sort()).toEqual([...holders].sort());
    // Nothing pending: another worker finds no work.
    expect(await restarted.backfillChunk(3)).toBeNull();
  });

  test('a progress row that never produced PathwayStarted gets exactly one, however many workers run', async () => {
    const course = await achievementThrough(subgraph, member, issuerId, 'Python');
    const award = await achievementThrough(subgraph, member, issuerId, 'Python certificate');
    const pathwayId = await publishedPathway('Python track', course, award);
    const [early, later] = [newId(), newId()];
    await appendSequenced(deps.database.db, [...earnedEvents(newId(), course, early, '2026-01-02T00:00:00Z', issuerId), ...earnedEvents(newId(), course, later, '2026-01-03T00:00:00Z', issuerId)]);
    await drainPathwayProgress(deps.database.db);
    const jobs = pathwayJobsOver(deps.database.db);
    while ((await jobs.backfillChunk(100)) !== null);
    expect((await startsOf(pathwayId)).map((start) => start.recipientId).sort()).toEqual([early, later].sort());

    // `early`'s row as it was before PathwayStarted existed: progress, no event (what the migration leaves unannounced).
    await deps.database.db.update(pathwayProgress).set({ startAnnounced: false }).where(and(eq(pathwayProgress.pathwayId, pathwayId), eq(pathwayProgress.recipientId, early)));
    await deps.database.db.delete(eventLog).where(and(eq(eventLog.type, EventType.PATHWAY_STARTED), eq(eventLog.recipientId, early), sql`${eventLog.payload}->>'pathwayId' = ${pathwayId}`));
    expect((await startsOf(pathwayId)).map((start) => start.recipientId)).toEqual([later]);

    const counts = await Promise.all([jobs.announceStarts(100), pathwayJobsOver(deps.database.db).announceStarts(100)]);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await jobs.announceStarts(100)).toBe(0);
    const starts = await startsOf(pathwayId);
    expect(starts.filter((start) => start.recipientId === early)).toEqual([expect.objectContaining({ version: 1, issuerId, startedAt: '2026-01-02T00:00:00.000Z' })]);
    expect(starts).toHaveLength(2);
  });
});
