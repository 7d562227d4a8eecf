import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../lib/db/test-db.js';
import { rowsOf } from '../../lib/db/rows.js';
import { contractOf } from '../../lib/events/contracts/index.js';
import { readEvents } from '../../lib/events/outbox.js';
import { EventType } from '../../lib/events/types.js';
import { activeMetricGeneration } from '../../subgraphs/verification/db/metrics-projection.js';
import { createMetricsStore } from '../../subgraphs/verification/db/metrics-store.js';
import { rebuildProgramMetrics } from '../../subgraphs/verification/services/metrics-rebuild.js';

/**
 * Program-metrics projection catch-up from cursor 0 (`tsx scripts/bench/metrics-catch-up.ts`): BENCH_EVENTS events
 * (default 1,000,000) written straight into the log by the database itself (INSERT … SELECT generate_series, already
 * numbered), then `npm run metrics:rebuild`'s work timed, in events per second. Four events per credential, over
 * 3 issuers, 20 achievements and a year: CredentialIssued, CredentialDelivered (a recipient holds 4 credentials), then
 * a LinkedIn share (30 %), a sign-in (20 %) or an employer's verification (50 %), then an anonymous VC-API verification.
 * The first 2,000 seeded events and the last are read through their contracts before timing, and the projected
 * issuance is checked after it. On PGlite, or on the PostgreSQL in DATABASE_URL. Prints; throws on a wrong count.
 */

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SEED_CHUNK = 100_000;
const ACHIEVEMENTS = 20;
const CREDENTIALS = Math.floor((EVENTS - ACHIEVEMENTS) / 4);

const id = (kind: string, n: unknown) => sql`md5(${kind}::text || (${n})::text)::uuid`;
const issuerOf = (achievement: unknown) => id('issuer', sql`(${achievement}) % 3`);
const issuedAt = (k: unknown) => sql`(timestamptz '2025-01-01T00:00:00Z' + ((${k}) * 365.0 / ${CREDENTIALS}::numeric) * interval '1 day')`;

/** The events of credentials [from, to) in cursor order: cursor = 21 + 4k + slot. */
function seedCredentials(from: number, to: number) {
  const k = sql.raw('k');
  const achievement = sql`${k} % ${ACHIEVEMENTS}`;
  const credentialId = id('credential', k);
  const recipientId = id('recipient', sql`${k} / 4`);
  const issuerId = issuerOf(achievement);
  const at = issuedAt(k);
  const verified = (kind: string, channel: string) => sql`jsonb_build_object(
    'verificationId', ${id(`verification-${kind}`, k)}, 'credentialId', 'urn:uuid:' || ${credentialId}, 'issuer', 'did:web:bench',
    'status', 'VALID', 'verified', true, 'format', 'VC_2_0',
    'verifier', jsonb_build_object('kind', ${kind}::text, 'id', ${kind === 'ANONYMOUS' ? sql`null::text` : sql`'acme'`}), 'channel', ${channel}::text)`;
  return sql`
    insert into events.events (cursor, type, occurred_at, issuer_id, recipient_id, payload)
    select ${ACHIEVEMENTS + 1}::bigint + 4 * k + slot, event.type, ${at} + slot * interval '1 hour', event.issuer_id, event.recipient_id, event.payload
    from generate_series(${from}::bigint, ${to - 1}::bigint) as k, generate_series(0, 3) as slot,
    lateral (
      select ${EventType.CREDENTIAL_ISSUED}::text as type, ${issuerId} as issuer_id, null::uuid as recipient_id, jsonb_build_object(
        'credentialId', ${credentialId}, 'issuerId', ${issuerId}, 'achievementId', ${id('achievement', achievement)}, 'name', 'Badge',
        'issuedAt', to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'recipient', jsonb_build_object('type', 'EMAIL', 'value', 'r' || k || '@example.org'), 'document', '{}'::jsonb) as payload
      where slot = 0
      union all
      select ${EventType.CREDENTIAL_DELIVERED}::text, ${issuerId}, ${recipientId},
        jsonb_build_object('credentialId', ${credentialId}, 'recipientId', ${recipientId}, 'issuerId', ${issuerId})
      where slot = 1
      union all
      select ${EventType.CREDENTIAL_SHARED}::text, null, ${recipientId},
        jsonb_build_object('channel', 'LINKEDIN', 'recipientId', ${recipientId}, 'credentialIds', jsonb_build_array(${credentialId}))
      where slot = 2 and k % 10 < 3
      union all
      select ${EventType.RECIPIENT_SIGNED_IN}::text, null, ${recipientId}, jsonb_build_object('recipientId', ${recipientId}, 'method', 'EMAIL_CODE')
      where slot = 2 and k % 10 between 3 and 4
      union all
      select ${EventType.CREDENTIAL_VERIFIED}::text, ${issuerId}, null, ${verified('EMPLOYER', 'GRAPHQL')}
      where slot = 2 and k % 10 >= 5
      union all
      select ${EventType.CREDENTIAL_VERIFIED}::text, ${issuerId}, null, ${verified('ANONYMOUS', 'VC_API')}
      where slot = 3
    ) as event`;
}

const testDb = await createTestDatabase({ ...process.env }, {});
try {
  const { db } = testDb.database;
  const seed = performance.now();
  await db.execute(sql`
    insert into events.events (cursor, type, occurred_at, issuer_id, payload)
    select a + 1, ${EventType.ACHIEVEMENT_CREATED}::text, timestamptz '2024-12-31T00:00:00Z', ${issuerOf(sql.raw('a'))},
      jsonb_build_object('achievementId', ${id('achievement', sql.raw('a'))}, 'issuerId', ${issuerOf(sql.raw('a'))}, 'name', 'Achievement ' || a)
    from generate_series(0, ${ACHIEVEMENTS - 1}::int) as a`);
  for (let from = 0; from < CREDENTIALS; from += SEED_CHUNK / 4) await db.execute(seedCredentials(from, Math.min(CREDENTIALS, from + SEED_CHUNK / 4)));
  await db.execute(sql`update events.log_sequence set last_cursor = (select max(cursor) from events.events) where log = 'events'`);
  const [{ seeded }] = rowsOf<{ seeded: string | number }>(await db.execute(sql`select count(*) as seeded from events.events`)) as [{ seeded: string | number }];
  console.log(`seeded ${Number(seeded)} events (${CREDENTIALS} credentials) in ${((performance.now() - seed) / 1000).toFixed(1)} s`);

  const sample = [...(await readEvents(db, { after: 0, limit: 2_000 })), ...(await readEvents(db, { after: Number(seeded) - 4, limit: 4 }))];
  const broken = sample.flatMap((event) => {
    const read = contractOf(event.type).read(event.payload);
    return 'problem' in read ? [`${event.cursor} ${event.type}: ${read.problem}`] : [];
  });
  if (broken.length > 0) throw new Error(`seeded events break their contracts:\n${broken.slice(0, 5).join('\n')}`);

  const load = os.loadavg()[0]!;
  const started = performance.now();
  const report = await rebuildProgramMetrics(db);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `projection catch-up from cursor 0: ${report.events} events in ${seconds.toFixed(1)} s = ${Math.round(report.events / seconds)} events/s (load ${load.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after)`,
  );

  const store = createMetricsStore(db);
  const generation = await activeMetricGeneration(db);
  let issued = 0;
  for (let issuer = 0; issuer < 3; issuer++) {
    const [row] = rowsOf<{ id: string }>(await db.execute(sql`select ${issuerOf(issuer)}::text as id`));
    issued += (await store.allTimeCounts(generation, row!.id)).get('ISSUED') ?? 0;
  }
  if (issued !== CREDENTIALS) throw new Error(`projected ${issued} issued credentials, seeded ${CREDENTIALS}`);
} finally {
  await testDb.dispose();
}
