import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Viewer } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import { heldCredentials } from '../../subgraphs/achievements/db/pathway-tables.js';
import { achievements } from '../../subgraphs/achievements/index.js';
import { BACKFILL_CHUNK } from '../../subgraphs/achievements/workers/pathway-jobs.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { PATHWAY_TEST_BASE_URL, achievementThrough, achievementUrl, pathwayJobsOver } from '../../test/helpers/pathway-progress.js';

/**
 * How long `publishPathway` takes when BENCH_HOLDERS recipients (default 20,000) already hold its member credential
 * (`tsx scripts/bench/pathway-publish.ts`), and how long the back-fill job it owes then takes in chunks. The pathway has one leaf and an award, so every holder completes it. Prints; asserts nothing.
 */

const HOLDERS = Number(process.env.BENCH_HOLDERS ?? 20_000);
const issuerId = newId();
const member: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'ISSUER' };

const deps = await createTestDeps({ PUBLIC_BASE_URL: PATHWAY_TEST_BASE_URL, CAIRN_PATHWAY_JOBS_WORKER: 'false' }, { pollIntervalMs: 5_000 });
const subgraph = await achievements.create(deps);
try {
  const course = await achievementThrough(subgraph, member, issuerId, 'SQL');
  const award = await achievementThrough(subgraph, member, issuerId, 'SQL certificate');
  let rows: (typeof heldCredentials.$inferInsert)[] = [];
  for (let n = 0; n < HOLDERS; n++) {
    rows.push({ credentialId: newId(), recipientId: newId(), issuerId, local: true, achievementId: course, achievementUrl: achievementUrl(course), earnedAt: new Date(Date.UTC(2026, 0, 1 + (n % 300))), status: 'ACTIVE', verified: true, trusted: true });
    if (rows.length === 1_000) {
      await deps.database.db.insert(heldCredentials).values(rows);
      rows = [];
    }
  }
  if (rows.length > 0) await deps.database.db.insert(heldCredentials).values(rows);
  const created = await executeAs(subgraph, member, `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`, {
    input: { issuerId, name: 'SQL track', description: 'One course.', requirement: { kind: 'ACHIEVEMENT', achievement: course }, award: { achievementId: award } },
  });
  const id = created.data!.createPathway.pathway.id as string;

  const started = performance.now();
  const published = await executeAs(subgraph, member, `mutation ($input: PathwayIdInput!) { publishPathway(input: $input) { pathway { status } } }`, { input: { id } });
  const publishMs = performance.now() - started;
  if (published.errors) throw new Error(JSON.stringify(published.errors));
  console.log(`publishPathway with ${HOLDERS.toLocaleString('en')} holders: ${publishMs.toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(1)}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`);

  // The back-fill job's own time, in chunks as the worker runs it.
  const jobs = pathwayJobsOver(deps.database.db);
  const backfill = performance.now();
  while ((await jobs.backfillChunk(BACKFILL_CHUNK)) !== null);
  console.log(`back-fill job for ${HOLDERS.toLocaleString('en')} holders: ${(performance.now() - backfill).toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(1)})`);
} finally {
  await subgraph.close();
  await deps.dispose();
}
