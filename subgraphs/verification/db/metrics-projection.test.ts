import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import { achievementCreatedEvent } from '../../../lib/events/contracts/achievement-created.js';
import { credentialDeliveredEvent } from '../../../lib/events/contracts/credential-delivered.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import { credentialSharedEvent } from '../../../lib/events/contracts/credential-shared.js';
import { credentialRevokedEvent } from '../../../lib/events/contracts/credential-status-changed.js';
import { credentialVerifiedEvent } from '../../../lib/events/contracts/credential-verified.js';
import { pathwayCompletedEvent } from '../../../lib/events/contracts/pathway-completed.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { recipientSignedInEvent } from '../../../lib/events/contracts/recipient-signed-in.js';
import { shareViewedEvent } from '../../../lib/events/contracts/share-viewed.js';
import { resetConsumerCheckpoint } from '../../../lib/events/checkpoints.js';
import { consumeBatch, type ConsumerOptions } from '../../../lib/events/consumer.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { IdentityType } from '../../../lib/identity.js';
import { newId } from '../../../lib/ids.js';
import { seededRandom } from '../../../lib/seeded-random.js';
import { createTestDeps } from '../../../test/helpers/deps.js';
import { insertEventsUnchecked, isLogUpkeep } from '../../../test/helpers/events.js';
import { cohortOf } from '../../../test/helpers/metric-cohort.js';
import { programMetricsRebuildConsumer } from '../consumers/program-metrics.js';
import { createMetricsService } from '../services/metrics.js';
import { createMetricsStore } from './metrics-store.js';
import { metricCohortCells, metricCredentials, metricDaily, metricIssuerDaily, metricPathwayProgress, metricShares } from './tables.js';

/*
 * One query's worth of a program in one batch: 50 credentials of one achievement issued and delivered to 10
 * recipients, sign-ins (one in two issuer parts), a share of three credentials with views and one in issuer parts with
 * views per part, a revocation, a merge, a pathway completion (twice),
 * and 50 verifications by employers (two of the same credential).
 */
const issuer = newId();
const achievement = newId();
const pathway = newId();
const credentials = Array.from({ length: 50 }, () => newId());
const recipients = Array.from({ length: 10 }, () => newId());
const share = newId();
const partedShare = newId();
const partedSignIn = newId();
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute));
const on = (minute: number, event: NewEvent) => ({ ...event, occurredAt: at(minute) });

const BATCH = [
  on(0, achievementCreatedEvent.build({ achievementId: achievement, issuerId: issuer, name: 'A' })),
  ...credentials.map((credentialId, index) =>
    on(
      1,
      credentialIssuedEvent.build({ credentialId, issuerId: issuer, achievementId: achievement, name: 'Badge', issuedAt: at(1).toISOString(), recipient: { type: IdentityType.EMAIL, value: `r${index}@example.org` }, document: {} }),
    ),
  ),
  ...credentials.map((credentialId, index) => on(2, credentialDeliveredEvent.build({ credentialId, recipientId: recipients[index % 10]!, issuerId: issuer }))),
  on(3, recipientSignedInEvent.build({ recipientId: recipients[0]!, method: 'EMAIL_CODE' })),
  on(4, credentialSharedEvent.build({ channel: 'SHARE_LINK', shareId: share, recipientId: recipients[1]!, credentialIds: [credentials[1]!, credentials[11]!, credentials[11]!.toUpperCase()], audience: 'PUBLIC', employerOrgId: null, expiresAt: at(50).toISOString() })),
  on(5, shareViewedEvent.build({ shareId: share, via: 'GRAPHQL', recipientId: recipients[1]!, viewer: { kind: 'ANONYMOUS', id: null }, count: 4, lastViewedAt: at(5).toISOString(), byHolder: false })),
  // A share as its issuer parts (CredentialShared v2) and its views as one event per part (ShareViewed v3): each
  // part's views count its own credentials, 3 × 1 + 3 × 2, never the first part's credentials twice.
  ...[[credentials[21]!], [credentials[31]!, credentials[41]!]].flatMap((credentialIds) => [
    on(4, credentialSharedEvent.build({ channel: 'SHARE_LINK', shareId: partedShare, recipientId: recipients[1]!, credentialIds, audience: 'PUBLIC', employerOrgId: null, expiresAt: at(50).toISOString() }, { issuerId: issuer })),
    on(5, shareViewedEvent.build({ shareId: partedShare, via: 'GRAPHQL', recipientId: recipients[1]!, viewer: { kind: 'ANONYMOUS', id: null }, count: 3, lastViewedAt: at(5).toISOString(), byHolder: false, credentialIds }, { issuerId: issuer })),
  ]),
  // A sign-in as two issuer parts (RecipientSignedIn v2) claims r6's credentials once.
  ...[issuer, newId()].map((scope) => on(3, recipientSignedInEvent.build({ recipientId: recipients[6]!, method: 'OAUTH', signInId: partedSignIn }, { issuerId: scope }))),
  on(6, credentialRevokedEvent.build({ credentialId: credentials[2]!, issuerId: issuer, statusPurpose: 'revocation', reason: null })),
  on(7, recipientMergedEvent.build({ survivorId: recipients[3]!, mergedRecipientId: recipients[4]!, reason: null, identities: [], credentialIds: [], replacedCredentialIds: [] })),
  // The merged recipient's credentials now sign in under the survivor.
  on(8, recipientSignedInEvent.build({ recipientId: recipients[3]!, method: 'EMAIL_CODE' })),
  on(9, pathwayCompletedEvent.build({ pathwayId: pathway, version: 1, issuerId: issuer, recipientId: recipients[5]!, credentialIds: [credentials[5]!], completedAt: at(9).toISOString() })),
  on(10, pathwayCompletedEvent.build({ pathwayId: pathway, version: 1, issuerId: issuer, recipientId: recipients[5]!, credentialIds: [credentials[5]!], completedAt: at(10).toISOString() })),
  ...[...credentials.slice(0, 49), credentials[0]!].map((credentialId, index) =>
    on(
      11 + (index % 3),
      credentialVerifiedEvent.build(
        { verificationId: newId(), credentialId: `urn:uuid:${credentialId}`, issuer: 'did:web:x', status: 'VALID', verified: true, format: 'OB3', verifier: { kind: 'EMPLOYER', id: newId() }, channel: 'GRAPHQL' },
        { issuerId: issuer },
      ),
    ),
  ),
];

let deps: Awaited<ReturnType<typeof createTestDeps>>;
const statements: string[] = [];

beforeAll(async () => {
  deps = await createTestDeps({}, { onQuery: (statement) => statements.push(statement) });
  await insertEventsUnchecked(deps.database.db, BATCH);
}, 60_000);
afterAll(() => deps.dispose());

async function project(consumer: ConsumerOptions): Promise<string[]> {
  await resetConsumerCheckpoint(deps.database.db, consumer.name);
  statements.length = 0;
  const consumed = await consumeBatch(deps.database.db, consumer);
  expect(consumed).toBe(BATCH.length);
  return statements.filter((statement) => /metric_/.test(statement) && !isLogUpkeep(statement));
}

/** A generation's cohort cells that count (an upsert that added changes summing to nothing leaves a row of zeros). */
async function cohortCellsOf(generation: number) {
  return (await deps.database.db.select().from(metricCohortCells).where(eq(metricCohortCells.generation, generation)))
    .filter((cell) => cell.standing || cell.verifiedCredentials || cell.thirdPartyVerifications || cell.recipients || cell.sharingRecipients)
    .sort((a, b) => `${a.scopeKind}${a.scopeId}${a.fromUntil}${a.toAfter}`.localeCompare(`${b.scopeKind}${b.scopeId}${b.fromUntil}${b.toAfter}`));
}

async function generationRows(generation: number) {
  const { db } = deps.database;
  return {
    credentials: (await db.select().from(metricCredentials).where(eq(metricCredentials.generation, generation)).orderBy(asc(metricCredentials.credentialId))).map(
      ({ generation: _, ...row }) => row,
    ),
    days: (await db.select().from(metricDaily).where(eq(metricDaily.generation, generation)).orderBy(asc(metricDaily.kind), asc(metricDaily.detail), asc(metricDaily.day))).map(
      ({ generation: _, updatedAt: __, ...row }) => row,
    ),
    issuerDays: (await db.select().from(metricIssuerDaily).where(eq(metricIssuerDaily.generation, generation)).orderBy(asc(metricIssuerDaily.kind), asc(metricIssuerDaily.detail), asc(metricIssuerDaily.day))).map(
      ({ generation: _, updatedAt: __, ...row }) => row,
    ),
    shares: (await db.select().from(metricShares).where(eq(metricShares.generation, generation))).map(({ generation: _, ...row }) => row),
    pathways: (await db.select().from(metricPathwayProgress).where(eq(metricPathwayProgress.generation, generation))).map(({ generation: _, ...row }) => row),
    cohortCells: (await cohortCellsOf(generation)).map(({ generation: _, ...row }) => row),
  };
}

describe('the program-metrics projection', () => {
  test('writes a batch of 150 events with a few multi-row statements, not one per fact', async () => {
    const written = await project(programMetricsRebuildConsumer(21));
    // Three reads (shares, credentials, the changed recipients' other credentials) and one write per table:
    // achievements, credentials, cohort cells, shares, pathways, days and the issuer's days.
    expect(written.length).toBeLessThanOrEqual(10);
    expect(written.filter((statement) => /^update/i.test(statement))).toEqual([]);
  });

  test('a batch gives exactly the rows the facts give one event at a time', async () => {
    const batched = programMetricsRebuildConsumer(22);
    const oneByOne: ConsumerOptions = { ...programMetricsRebuildConsumer(23), name: 'verification.program-metrics.one-by-one', handleBatch: undefined };
    await project(batched);
    await project(oneByOne);
    const rows = await generationRows(22);
    expect(rows).toEqual(await generationRows(23));

    const byId = new Map(rows.credentials.map((row) => [row.credentialId, row]));
    // r0 signed in after delivery: its five credentials are claimed; r4's moved to r3 and were claimed by r3's sign-in.
    expect(rows.credentials.filter((row) => row.claimedAt).map((row) => row.recipientId).sort()).toEqual(
      [...Array(5).fill(recipients[0]), ...Array(10).fill(recipients[3]), ...Array(5).fill(recipients[6])].sort(),
    );
    expect(byId.get(credentials[0]!)).toMatchObject({ thirdPartyVerifications: 2, firstThirdPartyVerifiedAt: at(11) });
    expect(byId.get(credentials[11]!)!.firstSharedAt).toEqual(at(4));
    expect(byId.get(credentials[2]!)!.revokedAt).toEqual(at(6));
    const count = (kind: string) => rows.days.filter((row) => row.kind === kind).reduce((sum, row) => sum + row.count, 0);
    expect([count('ISSUED'), count('DELIVERED'), count('CLAIMED'), count('SHARED'), count('SHARE_VIEWED'), count('REVOKED'), count('VERIFIED')]).toEqual([50, 50, 20, 5, 17, 1, 50]);
    // The issuer's day counts are the achievements' summed (here one achievement: the same rows).
    expect(rows.issuerDays).toEqual(rows.days.map(({ achievementId: _, ...row }) => row));
    // The first completion is kept.
    expect(rows.pathways).toEqual([{ pathwayId: pathway, issuerId: issuer, recipientId: recipients[5], startedAt: null, completedAt: at(9) }]);
  });

  test('a batch replayed into a generation that already holds it changes no per-credential fact', async () => {
    const generation = 24;
    await project(programMetricsRebuildConsumer(generation));
    const first = await generationRows(generation);
    await project(programMetricsRebuildConsumer(generation));
    const again = await generationRows(generation);
    // Issued, delivered, claimed, shared: set once. Verifications and day counts add up (the checkpoint is what guards them).
    expect(again.credentials.map(({ thirdPartyVerifications: _, ...row }) => row)).toEqual(first.credentials.map(({ thirdPartyVerifications: _, ...row }) => row));
    expect(again.shares).toEqual(first.shares);
    expect(again.pathways).toEqual(first.pathways);
  });
});

/*
 * A random program (seeded): credentials of one issuer over three achievements issued, delivered, shared, verified,
 * revoked and their recipients merged, at random times over two months, appended in random order (a delivery may
 * come before its issuance and is then ignored, as the projection does) and projected in batches of random sizes.
 */
function randomProgram(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const when = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 60 * 24) * 3_600_000);
  const programIssuer = newId();
  const achievements = [newId(), newId(), newId()];
  const people = Array.from({ length: 8 }, () => newId());
  const events: Array<NewEvent & { occurredAt: Date }> = [];
  for (let n = 0; n < 40; n++) {
    const credentialId = newId();
    const issuedAt = when();
    events.push({
      ...credentialIssuedEvent.build({ credentialId, issuerId: programIssuer, achievementId: pick(achievements), name: 'Badge', issuedAt: issuedAt.toISOString(), recipient: { type: IdentityType.EMAIL, value: `p${n}@example.org` }, document: {} }),
      occurredAt: issuedAt,
    });
    const recipientId = pick(people);
    if (random() < 0.8) events.push({ ...credentialDeliveredEvent.build({ credentialId, recipientId, issuerId: programIssuer }), occurredAt: when() });
    if (random() < 0.4) events.push({ ...credentialSharedEvent.build({ channel: 'LINKEDIN', recipientId, credentialIds: [credentialId] }), occurredAt: when() });
    for (let k = Math.floor(random() * 3); k > 0; k--) {
      const verification = { verificationId: newId(), credentialId: `urn:uuid:${credentialId}`, issuer: 'did:web:x', status: 'VALID' as const, verified: true, format: 'OB3' };
      events.push({ ...credentialVerifiedEvent.build({ ...verification, verifier: { kind: 'EMPLOYER', id: newId() }, channel: 'GRAPHQL' }, { issuerId: programIssuer }), occurredAt: when() });
    }
    if (random() < 0.2) events.push({ ...credentialRevokedEvent.build({ credentialId, issuerId: programIssuer, statusPurpose: 'revocation', reason: null }), occurredAt: when() });
  }
  for (let n = 0; n < 3; n++) {
    events.push({ ...recipientMergedEvent.build({ survivorId: pick(people), mergedRecipientId: pick(people), reason: null, identities: [], credentialIds: [], replacedCredentialIds: [] }), occurredAt: when() });
  }
  // Mostly issuance first, as producers append; a few events swapped anywhere.
  const ordered = events.map((event) => ({ event, key: (event.type === credentialIssuedEvent.type ? 0 : 1) + random() * 1.2 })).sort((a, b) => a.key - b.key);
  return { issuer: programIssuer, achievements, events: ordered.map(({ event }) => event), random };
}

describe('the cohort cells', () => {
  test.each([1, 2, 3])('give the cohort counted from the credentials for random periods, whatever the order and batches (seed %i)', async (seed) => {
    const { db } = deps.database;
    const program = randomProgram(seed);
    await insertEventsUnchecked(db, program.events);
    const generation = 30 + seed;
    const consumer = { ...programMetricsRebuildConsumer(generation), name: `verification.program-metrics.cohort-${seed}` };
    await resetConsumerCheckpoint(db, consumer.name);
    while ((await consumeBatch(db, { ...consumer, batchSize: 1 + Math.floor(program.random() * 40) })) > 0);

    const rows = (await db.select().from(metricCredentials).where(eq(metricCredentials.generation, generation))).filter((row) => row.issuerId === program.issuer);
    expect(rows.filter((row) => row.deliveredAt).length).toBeGreaterThan(10);
    const store = createMetricsStore(db);
    for (let period = 0; period < 25; period++) {
      const from = new Date(Date.UTC(2026, 0, 1) + Math.floor(program.random() * 70 - 5) * 86_400_000);
      const to = new Date(from.getTime() + Math.ceil(program.random() * 70) * 86_400_000);
      for (const scope of [{ kind: 'ISSUER' as const, id: program.issuer }, ...program.achievements.map((id) => ({ kind: 'ACHIEVEMENT' as const, id }))]) {
        const { standing, recipients, sharingRecipients, verifiedCredentials, thirdPartyVerifications } = cohortOf(rows, scope, from, to);
        expect(await store.credentialCohort(generation, scope, from, to), `${scope.kind} [${from.toISOString()}, ${to.toISOString()})`).toEqual({
          standing,
          recipients,
          sharingRecipients,
          verifiedCredentials,
          thirdPartyVerifications,
        });
      }
    }
  });

  test("a period's metrics read no per-credential row: the cohort is the cells' sum, not a count over the period's credentials", async () => {
    const service = createMetricsService({ db: deps.database.db, store: createMetricsStore(deps.database.db) });
    statements.length = 0;
    const metrics = await service.metrics({ kind: 'ADMIN', apiKeyId: newId() }, { scope: { kind: 'ISSUER', id: issuer }, from: new Date(Date.UTC(2026, 0, 1)), to: new Date(Date.UTC(2027, 0, 1)), interval: 'DAY' });
    expect(metrics.cohort).toMatchObject({ standing: expect.any(Number) });
    expect(statements.filter((statement) => /metric_cohort_cells/.test(statement))).toHaveLength(1);
    expect(statements.filter((statement) => /metric_credentials/.test(statement))).toEqual([]);
  });

  test("the migration's back-fill gives the cells the projection keeps", async () => {
    const { db } = deps.database;
    const generations = [22, 24, 31, 32, 33];
    const projected = await Promise.all(generations.map(cohortCellsOf));
    expect(projected.every((rows) => rows.length > 0)).toBe(true);
    const migration = readFileSync(new URL('../../../drizzle/0029_metric_cohort_cells.sql', import.meta.url), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').find((statement) => statement.includes('INSERT INTO'))!;
    await db.delete(metricCohortCells);
    await db.execute(sql.raw(backfill));
    expect(await Promise.all(generations.map(cohortCellsOf))).toEqual(projected);
  });
});
