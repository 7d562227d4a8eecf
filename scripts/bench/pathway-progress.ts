import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../../lib/db/test-db.js';
import { consumeBatch } from '../../lib/events/consumer.js';
import { credentialDeliveredEvent } from '../../lib/events/contracts/credential-delivered.js';
import { credentialIssuedEvent } from '../../lib/events/contracts/credential-issued.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { sequenceCommittedEvents } from '../../lib/events/sequencer.js';
import { IdentityType } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import { silentLogger } from '../../lib/log.js';
import { pathwayProgressConsumer } from '../../subgraphs/achievements/consumers/pathway-progress.js';
import { heldCredentials, pathwayLeafKeys, pathways, pathwayVersions } from '../../subgraphs/achievements/db/pathway-tables.js';
import { createProgressStore } from '../../subgraphs/achievements/db/progress-store.js';
import { leafKeysOf } from '../../subgraphs/achievements/domain/pathway-definition.js';
import { normaliseRequirement, type RequirementInput } from '../../subgraphs/achievements/domain/pathway-requirement.js';
import { createPathwayProgressService } from '../../subgraphs/achievements/services/pathway-progress.js';

/**
 * The cost per event of incremental pathway progress (`tsx scripts/bench/pathway-progress.ts`; `npm run bench:hub`
 * runs it): BENCH_PATHWAYS published pathways (default 20, six leaves each over 60 achievements, one SEQUENCE and
 * one N_OF) and BENCH_RECIPIENTS recipients (default 10,000) holding 2–8 credentials each, then BENCH_EVENTS deliveries
 * (default 500: CredentialIssued + CredentialDelivered for random recipients) projected by the real consumer. The same
 * events are measured over a tenth of the recipients first: equal costs per event show that an event never rescans
 * wallets. Prints; asserts nothing.
 */

const PATHWAYS = Number(process.env.BENCH_PATHWAYS ?? 20);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);
const ACHIEVEMENTS = 60;
const issuerId = '0190a0a0-0000-7000-8000-00000000000a';

let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = (n: number) => Math.floor(random() * n);
const achievementIds = Array.from({ length: ACHIEVEMENTS }, () => newId());
const url = (id: string) => `https://bench.example/achievements/${id}/versions/1`;

async function scenario(recipients: number): Promise<void> {
  const testDb = await createTestDatabase({ ...process.env }, {});
  try {
    const { db } = testDb.database;
    for (let p = 0; p < PATHWAYS; p++) {
      const leaf = (): RequirementInput => ({ kind: 'ACHIEVEMENT', achievement: achievementIds[pick(ACHIEVEMENTS)]! });
      const requirement = normaliseRequirement({
        kind: 'ALL_OF',
        children: [{ kind: 'SEQUENCE', children: [leaf(), leaf()] }, { kind: 'N_OF', n: 2, children: [leaf(), leaf(), leaf()] }, leaf()],
      });
      const id = newId();
      await db.insert(pathways).values({ id, issuerId, status: 'PUBLISHED', currentVersion: 1, latestVersion: 1, publishedVersion: 1, draftVersion: null });
      await db.insert(pathwayVersions).values({
        pathwayId: id, version: 1, issuerId, status: 'PUBLISHED', name: `Pathway ${p}`, description: 'bench', requirement,
        awardAchievementId: newId(), acceptExternal: { mode: 'NONE' }, revocationPolicy: 'KEEP', windowMonths: null, publishedAt: new Date(),
      });
      await db.insert(pathwayLeafKeys).values(leafKeysOf(requirement).map((key) => ({ pathwayId: id, version: 1, key })));
    }
    const recipientIds = Array.from({ length: recipients }, () => newId());
    let rows: (typeof heldCredentials.$inferInsert)[] = [];
    const flush = async () => {
      if (rows.length > 0) await db.insert(heldCredentials).values(rows);
      rows = [];
    };
    for (const recipientId of recipientIds) {
      for (let n = 2 + pick(7); n > 0; n--) {
        const achievementId = achievementIds[pick(ACHIEVEMENTS)]!;
        rows.push({ credentialId: newId(), recipientId, issuerId, local: true, achievementId, achievementUrl: url(achievementId), earnedAt: new Date(Date.UTC(2026, 0, 1 + pick(300))), status: 'ACTIVE', verified: true, trusted: true });
        if (rows.length >= 1_000) await flush();
      }
    }
    await flush();

    const progress = createPathwayProgressService({ db, progress: createProgressStore(db), log: silentLogger() });
    const consumer = pathwayProgressConsumer(progress, silentLogger());
    // Everything seeded so far is history: the consumer starts at the log's head.
    while ((await consumeBatch(db, consumer)) > 0);

    const events = recipientIds.slice(0, EVENTS).map((recipientId, n) => {
      const credentialId = newId();
      const achievementId = achievementIds[pick(ACHIEVEMENTS)]!;
      const document = { issuer: { id: 'did:web:bench.example' }, validFrom: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00Z`, credentialSubject: { achievement: { id: url(achievementId) } } };
      return [
        credentialIssuedEvent.build({ credentialId, issuerId, achievementId, achievementVersion: 1, name: 'x', issuedAt: document.validFrom, recipient: { type: IdentityType.EMAIL, value: `${n}@bench.example` }, document }),
        credentialDeliveredEvent.build({ credentialId, recipientId: recipientId, issuerId }),
      ];
    });
    await db.transaction((tx) => appendEvents(tx, events.flat()));
    await sequenceCommittedEvents(db);
    const started = performance.now();
    let consumed = 0;
    for (let step = await consumeBatch(db, consumer); step > 0; step = await consumeBatch(db, consumer)) consumed += step;
    const ms = performance.now() - started;
    const label = `${recipients.toLocaleString('en')} recipients × ${PATHWAYS} pathways`;
    console.log(
      `${label}: ${consumed} events (${EVENTS} deliveries) in ${Math.round(ms)} ms = ${(ms / consumed).toFixed(2)} ms/event, ${(ms / EVENTS).toFixed(2)} ms per delivery (load ${os.loadavg()[0]!.toFixed(2)})`,
    );
  } finally {
    await testDb.dispose();
  }
}

await scenario(Math.max(EVENTS, Math.round(RECIPIENTS / 10)));
await scenario(RECIPIENTS);
