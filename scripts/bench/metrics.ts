import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../../lib/db/test-db.js';
import { achievementCreatedEvent } from '../../lib/events/contracts/achievement-created.js';
import { credentialDeliveredEvent } from '../../lib/events/contracts/credential-delivered.js';
import { credentialIssuedEvent } from '../../lib/events/contracts/credential-issued.js';
import { credentialSharedEvent } from '../../lib/events/contracts/credential-shared.js';
import { credentialVerifiedEvent } from '../../lib/events/contracts/credential-verified.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { sequenceCommittedEvents } from '../../lib/events/sequencer.js';
import type { NewEvent } from '../../lib/events/types.js';
import { IdentityType } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import { createMetricsStore } from '../../subgraphs/verification/db/metrics-store.js';
import { createMetricsService } from '../../subgraphs/verification/services/metrics.js';
import { rebuildProgramMetrics } from '../../subgraphs/verification/services/metrics-rebuild.js';

/**
 * Program metrics at scale (`tsx scripts/bench/metrics.ts`): a year of BENCH_CREDENTIALS credentials (default 100,000)
 * of one issuer over 20 achievements, each delivered, 30 % shared to LinkedIn, 40 % verified by an employer; then
 * (1) projection catch-up from cursor 0 (`npm run metrics:rebuild`'s work), in events per second, and (2) the
 * `metrics` query over the year by DAY for the issuer and for one achievement, BENCH_QUERIES times each (default
 * 100) after one untimed query, p50/p99. On PGlite, or on the PostgreSQL in DATABASE_URL. Prints; asserts nothing.
 */

const CREDENTIALS = Number(process.env.BENCH_CREDENTIALS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100);
const YEAR_START = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

const testDb = await createTestDatabase({ ...process.env }, {});
try {
  const { db } = testDb.database;
  const issuerId = newId();
  const achievements = Array.from({ length: 20 }, () => newId());
  const recipients = Array.from({ length: Math.max(1, Math.floor(CREDENTIALS / 2)) }, () => newId());

  const load = performance.now();
  await db.transaction((tx) => appendEvents(tx, achievements.map((achievementId, n) => achievementCreatedEvent.build({ achievementId, issuerId, name: `Achievement ${n}` }))));
  let events = achievements.length;
  for (let start = 0; start < CREDENTIALS; start += 1_000) {
    const batch: NewEvent[] = [];
    for (let n = start; n < Math.min(CREDENTIALS, start + 1_000); n++) {
      const credentialId = newId();
      const recipientId = recipients[n % recipients.length]!;
      const issuedAt = new Date(YEAR_START + ((n * 365) / CREDENTIALS) * DAY_MS).toISOString();
      batch.push(
        credentialIssuedEvent.build({ credentialId, issuerId, achievementId: achievements[n % 20]!, name: 'Badge', issuedAt, recipient: { type: IdentityType.EMAIL, value: `r${n}@example.org` }, document: {} }),
        credentialDeliveredEvent.build({ credentialId, recipientId, issuerId }),
      );
      if (n % 10 < 3) batch.push(credentialSharedEvent.build({ channel: 'LINKEDIN', recipientId, credentialIds: [credentialId] }));
      if (n % 10 >= 6) {
        const verification = { verificationId: newId(), credentialId: `urn:uuid:${credentialId}`, issuer: 'did:web:bench', status: 'VALID' as const, verified: true, format: 'VC_2_0' };
        batch.push(credentialVerifiedEvent.build({ ...verification, verifier: { kind: 'EMPLOYER', id: 'acme' }, channel: 'GRAPHQL' }, { issuerId }));
      }
    }
    await db.transaction((tx) => appendEvents(tx, batch));
    events += batch.length;
  }
  while ((await sequenceCommittedEvents(db)) !== null);
  console.log(`loaded ${events} events for ${CREDENTIALS} credentials in ${((performance.now() - load) / 1000).toFixed(1)} s`);

  const catchUp = performance.now();
  const report = await rebuildProgramMetrics(db);
  const seconds = (performance.now() - catchUp) / 1000;
  console.log(`projection catch-up from cursor 0: ${report.events} events in ${seconds.toFixed(1)} s = ${Math.round(report.events / seconds)} events/s (load ${os.loadavg()[0]!.toFixed(2)})`);

  const service = createMetricsService({ db, store: createMetricsStore(db) });
  const admin = { kind: 'ADMIN' as const, apiKeyId: newId() };
  const year = { from: new Date(YEAR_START), to: new Date(YEAR_START + 365 * DAY_MS), interval: 'DAY' as const };
  for (const [label, scope] of [
    ['issuer', { kind: 'ISSUER' as const, id: issuerId }],
    ['achievement', { kind: 'ACHIEVEMENT' as const, id: achievements[0]! }],
  ] as const) {
    // One untimed query first: the pool's connections are opened by the first request's parallel reads (a running
    // subgraph has them open), and with 100 queries the p99 is the slowest one.
    await service.metrics(admin, { scope, ...year });
    const times: number[] = [];
    for (let n = 0; n < QUERIES; n++) {
      const started = performance.now();
      await service.metrics(admin, { scope, ...year });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(`metrics(${label}) over a year by DAY: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (${QUERIES} queries, load ${os.loadavg()[0]!.toFixed(2)})`);
  }
} finally {
  await testDb.dispose();
}
