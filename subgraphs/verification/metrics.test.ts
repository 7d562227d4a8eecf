import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { achievementCreatedEvent } from '../../lib/events/contracts/achievement-created.js';
import { credentialDeliveredEvent } from '../../lib/events/contracts/credential-delivered.js';
import { credentialIssuedEvent } from '../../lib/events/contracts/credential-issued.js';
import { credentialSharedEvent } from '../../lib/events/contracts/credential-shared.js';
import { credentialRevokedEvent } from '../../lib/events/contracts/credential-status-changed.js';
import { credentialVerifiedEvent } from '../../lib/events/contracts/credential-verified.js';
import { pathwayCompletedEvent } from '../../lib/events/contracts/pathway-completed.js';
import { pathwayStartedEvent } from '../../lib/events/contracts/pathway-started.js';
import { recipientSignedInEvent } from '../../lib/events/contracts/recipient-signed-in.js';
import { shareViewedEvent } from '../../lib/events/contracts/share-viewed.js';
import { deleteConsumerCheckpoint, resetConsumerCheckpoint } from '../../lib/events/checkpoints.js';
import { pruneEvents } from '../../lib/events/retention.js';
import { consumerCheckpoints } from '../../lib/events/tables.js';
import { consentGrantedEvent } from '../../lib/events/contracts/consent-granted.js';
import { consumeBatch, type ConsumerOptions } from '../../lib/events/consumer.js';
import type { NewEvent } from '../../lib/events/types.js';
import { IdentityType } from '../../lib/identity.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { insertEventsUnchecked } from '../../test/helpers/events.js';
import { executeAs } from '../../test/helpers/execute.js';
import { subscribeAs, take } from '../../test/helpers/subscribe.js';
import { employerConsentsConsumer } from './consumers/employer-consents.js';
import { programMetricsConsumer, programMetricsRebuildConsumer } from './consumers/program-metrics.js';
import { activeMetricGeneration } from './db/metrics-projection.js';
import { createMetricsStore } from './db/metrics-store.js';
import { verification } from './index.js';
import { rebuildProgramMetrics } from './services/metrics-rebuild.js';

/*
 * A small fixed program, January 2026, issuer I (achievements A1, A2):
 *   c1 (A1) → r1, who signs in (claims c1 and c4); verified twice by an employer (VALID)
 *   c2 (A1) → r2, who shares it (link s1): 3 views by others, 5 by r2 themself; r2 verifies it (HOLDER)
 *   c3 (A1) → r3, revoked on the 10th; verified anonymously through the VC-API (REVOKED)
 *   c4 (A2) → r1
 */
const issuer = newId();
const [a1, a2] = [newId(), newId()];
const [c1, c2, c3, c4] = [newId(), newId(), newId(), newId()];
const [r1, r2, r3] = [newId(), newId(), newId()];
const share = newId();
const at = (day: number) => new Date(Date.UTC(2026, 0, day, 12));
const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const member: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: issuer, role: 'VIEWER' };
const stranger: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: newId(), role: 'OWNER' };

function issued(credentialId: string, achievementId: string, day: number): NewEvent & { occurredAt: Date } {
  const payload = { credentialId, issuerId: issuer, achievementId, name: 'Badge', issuedAt: at(day).toISOString(), recipient: { type: IdentityType.EMAIL, value: 'x@example.org' }, document: {} };
  return { ...credentialIssuedEvent.build(payload), occurredAt: at(day) };
}
const on = (day: number, event: NewEvent) => ({ ...event, occurredAt: at(day) });
const verified = (day: number, credentialId: string, kind: 'EMPLOYER' | 'RECIPIENT' | 'ANONYMOUS', channel: 'GRAPHQL' | 'VC_API', status: 'VALID' | 'REVOKED') =>
  on(
    day,
    credentialVerifiedEvent.build(
      { verificationId: newId(), credentialId: `urn:uuid:${credentialId}`, issuer: 'did:web:x', status, verified: status === 'VALID', format: 'OB3', verifier: { kind, id: kind === 'ANONYMOUS' ? null : newId() }, channel },
      { issuerId: issuer },
    ),
  );

const PROGRAM = [
  on(1, achievementCreatedEvent.build({ achievementId: a1, issuerId: issuer, name: 'A1' })),
  on(1, achievementCreatedEvent.build({ achievementId: a2, issuerId: issuer, name: 'A2' })),
  issued(c1, a1, 5),
  issued(c2, a1, 6),
  issued(c3, a1, 7),
  issued(c4, a2, 8),
  on(5, credentialDeliveredEvent.build({ credentialId: c1, recipientId: r1, issuerId: issuer })),
  on(6, credentialDeliveredEvent.build({ credentialId: c2, recipientId: r2, issuerId: issuer })),
  on(7, credentialDeliveredEvent.build({ credentialId: c3, recipientId: r3, issuerId: issuer })),
  on(8, credentialDeliveredEvent.build({ credentialId: c4, recipientId: r1, issuerId: issuer })),
  on(9, recipientSignedInEvent.build({ recipientId: r1, method: 'EMAIL_CODE' })),
  on(9, credentialSharedEvent.build({ channel: 'SHARE_LINK', shareId: share, recipientId: r2, credentialIds: [c2], audience: 'PUBLIC', employerOrgId: null, expiresAt: at(30).toISOString() })),
  on(10, shareViewedEvent.build({ shareId: share, via: 'GRAPHQL', recipientId: r2, viewer: { kind: 'ANONYMOUS', id: null }, count: 3, lastViewedAt: at(10).toISOString(), byHolder: false })),
  on(10, shareViewedEvent.build({ shareId: share, via: 'GRAPHQL', recipientId: r2, viewer: { kind: 'RECIPIENT', id: r2 }, count: 5, lastViewedAt: at(10).toISOString(), byHolder: true })),
  on(10, credentialRevokedEvent.build({ credentialId: c3, issuerId: issuer, statusPurpose: 'revocation', reason: null })),
  verified(11, c1, 'EMPLOYER', 'GRAPHQL', 'VALID'),
  verified(12, c1, 'EMPLOYER', 'GRAPHQL', 'VALID'),
  verified(12, c2, 'RECIPIENT', 'GRAPHQL', 'VALID'),
  verified(13, c3, 'ANONYMOUS', 'VC_API', 'REVOKED'),
];

const METRICS = `query ($scope: MetricsScopeInput!, $from: DateTime, $to: DateTime, $interval: MetricsInterval!) {
  metrics(scope: $scope, from: $from, to: $to, interval: $interval) {
    issuance { issued perPeriod revoked delivered claimed }
    sharing { shares shareViewsByOthers rate { numerator denominator rate sampleTooSmall } }
    verification { verifications verificationsPerCredential rate { numerator denominator rate } byRelyingParty { relyingParty verdict count } }
    pathwayCompletion { started completed rate { rate } medianDaysToComplete unavailableReason }
    series { periodStart issued }
  }
}`;
const JANUARY = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', interval: 'MONTH' };

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await verification.create(deps);
  await insertEventsUnchecked(deps.database.db, PROGRAM);
  // Two replicas stepping at once, then again: each event is applied once (counts and checkpoint commit together).
  await Promise.all([consumeBatch(deps.database.db, programMetricsConsumer), consumeBatch(deps.database.db, programMetricsConsumer)]);
  await consumeBatch(deps.database.db, programMetricsConsumer);
}, 60_000);
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const metricsOf = async (viewer: Viewer, scope: Record<string, string>, period: Record<string, string> = JANUARY) =>
  executeAs(subgraph, viewer, METRICS, { scope, ...period });

describe('program metrics on a fixed program', () => {
  test('an achievement: issuance, shares by others only, third-party verifications, revoked credentials left out of the rates', async () => {
    const result = await metricsOf(member, { achievementId: a1 });
    expect(result.errors).toBeUndefined();
    const metrics = result.data!.metrics;
    expect(metrics.issuance).toEqual({ issued: 3, perPeriod: 3, revoked: 1, delivered: 3, claimed: 1 });
    // c2's 3 views by others count; r2's own 5 do not.
    expect(metrics.sharing).toEqual({ shares: 1, shareViewsByOthers: 3, rate: { numerator: 1, denominator: 2, rate: 0.5, sampleTooSmall: true } });
    // Cohort c1, c2 (c3 revoked): c1 verified by an employer (twice), c2 only by its holder.
    expect(metrics.verification).toEqual({
      verifications: 4,
      verificationsPerCredential: 1,
      rate: { numerator: 1, denominator: 2, rate: 0.5 },
      byRelyingParty: [
        { relyingParty: 'EMPLOYER', verdict: 'VALID', count: 2 },
        { relyingParty: 'HOLDER', verdict: 'VALID', count: 1 },
        { relyingParty: 'VC_API', verdict: 'REVOKED', count: 1 },
      ],
    });
    expect(metrics.pathwayCompletion).toMatchObject({ started: 0, completed: 0, rate: null, unavailableReason: expect.stringMatching(/Nobody started/) });
    expect(metrics.series).toEqual([{ periodStart: '2026-01-01', issued: 3 }]);
  });

  test('an issuer: every achievement, a sign-in claims all delivered credentials, recipients counted once', async () => {
    const metrics = (await metricsOf(admin, { issuerId: issuer }, { ...JANUARY, interval: 'WEEK' })).data!.metrics;
    expect(metrics.issuance).toMatchObject({ issued: 4, revoked: 1, delivered: 4, claimed: 2 });
    // r1 holds c1 and c4 and is one recipient; cohort c1, c2, c4.
    expect(metrics.sharing.rate).toMatchObject({ numerator: 1, denominator: 2 });
    expect(metrics.verification.rate).toMatchObject({ numerator: 1, denominator: 3 });
    expect(metrics.verification.verificationsPerCredential).toBeCloseTo(2 / 3, 10);
    // Weeks start on Monday: 29 Dec, 5, 12, 19, 26 Jan; issued on the 5th–8th.
    expect(metrics.series.map((period: { issued: number }) => period.issued)).toEqual([0, 4, 0, 0, 0]);
    expect(metrics.issuance.perPeriod).toBeCloseTo(4 / 5, 10);
  });

  test('a scope with no recipients: zeros and rates that are null, not 0', async () => {
    const metrics = (await metricsOf(member, { achievementId: a2 }, { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', interval: 'MONTH' })).data!.metrics;
    expect(metrics.issuance).toEqual({ issued: 0, perPeriod: 0, revoked: 0, delivered: 0, claimed: 0 });
    expect(metrics.sharing.rate).toEqual({ numerator: 0, denominator: 0, rate: null, sampleTooSmall: true });
    expect(metrics.verification).toMatchObject({ verificationsPerCredential: null, rate: { rate: null } });
  });

  test('only the issuer’s members and operators read its metrics, whoever asks at the same time', async () => {
    const [own, other, anonymous, operator] = await Promise.all([
      metricsOf(member, { issuerId: issuer }),
      metricsOf(stranger, { achievementId: a1 }),
      metricsOf({ kind: 'ANONYMOUS' }, { issuerId: issuer }),
      metricsOf(admin, { achievementId: a1 }),
    ]);
    expect(own.data!.metrics.issuance.issued).toBe(4);
    expect(other.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(operator.data!.metrics.issuance.issued).toBe(3);
  });

  test('a scope must name exactly one of issuer, achievement, pathway; an unknown achievement is NOT_FOUND', async () => {
    const both = await metricsOf(admin, { issuerId: issuer, achievementId: a1 });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await metricsOf(admin, { achievementId: newId() });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('a rebuild from cursor 0 gives the same figures in a new generation, and the live consumer goes on into it', async () => {
    const before = (await metricsOf(member, { issuerId: issuer })).data!.metrics;
    const report = await rebuildProgramMetrics(deps.database.db);
    expect(report.generation).toBe(report.retired + 1);
    // The rebuild's own checkpoint is gone (retention never prunes past any checkpoint).
    const checkpoints = await deps.database.db.select({ consumer: consumerCheckpoints.consumer }).from(consumerCheckpoints);
    expect(checkpoints.map((row) => row.consumer)).not.toContain(programMetricsRebuildConsumer(report.generation).name);
    expect((await metricsOf(member, { issuerId: issuer })).data!.metrics).toEqual(before);
    await insertEventsUnchecked(deps.database.db, [issued(newId(), a2, 20)]);
    await consumeBatch(deps.database.db, programMetricsConsumer);
    expect((await metricsOf(member, { issuerId: issuer })).data!.metrics.issuance.issued).toBe(5);
  });
});

describe('counted once', () => {
  test('a step that fails after its writes is rolled back with its checkpoint, and its retry counts each event once', async () => {
    // A generation of its own, so the subgraph's live consumer (running beside this test) never touches it.
    const generation = 99;
    const base = programMetricsRebuildConsumer(generation);
    let applied = 0;
    const crashing: ConsumerOptions = {
      ...base,
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
      handleBatch: undefined,
      async handle(tx, event) {
        await base.handle(tx, event);
        if (++applied === 5) throw new Error('crash after the fifth event was applied');
      },
    };
    await resetConsumerCheckpoint(deps.database.db, crashing.name);
    await expect(consumeBatch(deps.database.db, crashing)).rejects.toThrow(/failed on event/);
    while ((await consumeBatch(deps.database.db, crashing)) > 0);
    const store = createMetricsStore(deps.database.db);
    const live = await store.allTimeCounts(await activeMetricGeneration(deps.database.db), issuer);
    expect(await store.allTimeCounts(generation, issuer)).toEqual(live);
    expect(live.get('ISSUED')).toBeGreaterThanOrEqual(5);
    await deleteConsumerCheckpoint(deps.database.db, crashing.name);
  });
});

const RECORD = `mutation ($input: RecordCareerEventInput!) { recordCareerEvent(input: $input) { careerEvent { id type } } }`;
const CAREER = `query ($scope: MetricsScopeInput!, $from: DateTime, $to: DateTime) {
  metrics(scope: $scope, from: $from, to: $to) {
    careerImpact(windowMonths: 6) {
      asOf statement
      afterEarning { numerator denominator } beforeEarning { numerator denominator } withoutCredential { numerator denominator }
    }
  }
}`;

describe('career impact', () => {
  const lnd: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId: issuer, role: 'ISSUER' };
  const employer: Viewer = { kind: 'EMPLOYER', apiKeyId: newId(), employerId: 'acme' };
  const [n1, n2] = [newId(), newId()];
  const record = (viewer: Viewer, recipientId: string, type: string, day: string) => executeAs(subgraph, viewer, RECORD, { input: { recipientId, type, occurredAt: `${day}T09:00:00Z` } });

  test('issuer members with the ISSUER role and consented employers record career events; nobody else', async () => {
    await insertEventsUnchecked(deps.database.db, [consentGrantedEvent.build({ consentId: newId(), recipientId: r2, employerOrgId: 'acme', scope: 'ALL', replacedConsentIds: [] })]);
    await consumeBatch(deps.database.db, employerConsentsConsumer);
    const [viewerRole, notConsented, anonymous, bad] = await Promise.all([
      record(member, r1, 'PROMOTION', '2026-03-01'),
      record(employer, r1, 'PROMOTION', '2026-03-01'),
      record({ kind: 'ANONYMOUS' }, r1, 'PROMOTION', '2026-03-01'),
      record(lnd, 'not-an-id', 'PROMOTION', '2026-03-01'),
    ]);
    expect(viewerRole.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(notConsented.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const recorded of await Promise.all([
      record(lnd, r1, 'PROMOTION', '2026-03-01'),
      record(employer, r2, 'INTERNAL_MOVE', '2026-04-01'),
      record(lnd, n1, 'HIRE', '2026-09-01'),
      record(lnd, n2, 'ROLE_CHANGE', '2024-01-01'),
      // Another issuer's record never counts in this issuer's metrics.
      record(stranger, r2, 'PROMOTION', '2025-12-01'),
    ])) {
      expect(recorded.errors).toBeUndefined();
    }
  });

  test('6 months after earning vs before vs without the credential, with samples too small to mean anything', async () => {
    // Earners in January: r1 (5th), r2 (6th); r3's credential was revoked. Without: n1 (moved in [June, December)), n2 (moved in 2024).
    const result = await executeAs(subgraph, member, CAREER, { scope: { issuerId: issuer }, from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });
    expect(result.errors).toBeUndefined();
    const impact = result.data!.metrics.careerImpact;
    expect(impact).toMatchObject({
      asOf: new Date('2026-12-01T00:00:00Z'),
      afterEarning: { numerator: 2, denominator: 2 },
      beforeEarning: { numerator: 0, denominator: 2 },
      withoutCredential: { numerator: 1, denominator: 2 },
    });
    expect(impact.statement).toMatch(/too small to mean anything: 2 earner\(s\) with 6 full months since earning and 2 people without/);
  });
});

const UPDATES = `subscription ($scope: MetricsScopeInput!) { metricsUpdated(scope: $scope, from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { issuance { issued } } }`;

describe('metricsUpdated', () => {
  test('pushes the totals now, then one coalesced push for a burst of issuances; refused to other issuers', async () => {
    const refused = await subscribeAs(subgraph, stranger, UPDATES, { scope: { issuerId: issuer } });
    expect('errors' in refused && refused.errors?.[0]?.message).toMatch(/may not act for issuer/);
    const updates = await subscribeAs(subgraph, member, UPDATES, { scope: { achievementId: a1 } });
    if (!(Symbol.asyncIterator in updates)) throw new Error(JSON.stringify(updates.errors));
    const [now] = await take(updates, 1);
    const before = now!.data!.metricsUpdated.issuance.issued as number;
    const started = Date.now();
    await insertEventsUnchecked(deps.database.db, [issued(newId(), a1, 23), issued(newId(), a1, 24), issued(newId(), a1, 25)]);
    await insertEventsUnchecked(deps.database.db, [issued(newId(), a1, 26)]);
    const [fresh] = await take(updates, 1);
    // The first push after the burst may come before the last insert was projected; the totals then catch up in the next.
    let issuedNow = fresh!.data!.metricsUpdated.issuance.issued as number;
    if (issuedNow < before + 4) issuedNow = (await take(updates, 1))[0]!.data!.metricsUpdated.issuance.issued;
    expect(issuedNow).toBe(before + 4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await updates.return!(undefined);
  });
});

test('a pathway scope: starts (PathwayStarted) and completions (not milestones) give the rate and the median', async () => {
  const pathwayId = newId();
  const started = (recipientId: string, day: number) => on(day, pathwayStartedEvent.build({ pathwayId, version: 1, issuerId: issuer, recipientId, startedAt: at(day).toISOString() }));
  const completed = (recipientId: string, day: number, milestoneNodeId: string | null = null) =>
    on(day, pathwayCompletedEvent.build({ pathwayId, version: 1, issuerId: issuer, recipientId, credentialIds: [c1], completedAt: at(day).toISOString(), milestoneNodeId }));
  // r1: 2 to 5 (3 days), r2: 3 to 10 (7 days), r3: started on 4, only a milestone on 6; r2 starts version 2 later (not again).
  await insertEventsUnchecked(deps.database.db, [started(r1, 2), started(r2, 3), started(r3, 4), completed(r3, 6, 'r.0'), completed(r1, 5), completed(r2, 10), started(r2, 12)]);
  await consumeBatch(deps.database.db, programMetricsConsumer);
  const [own, other] = await Promise.all([metricsOf(member, { pathwayId }), metricsOf(stranger, { pathwayId })]);
  expect(own.errors).toBeUndefined();
  expect(own.data!.metrics).toMatchObject({ issuance: null, sharing: null, verification: null, series: [] });
  // 2 of 3 completed; the median of {3, 7} days is 5.
  expect(own.data!.metrics.pathwayCompletion).toEqual({ started: 3, completed: 2, rate: { rate: 2 / 3 }, medianDaysToComplete: 5, unavailableReason: null });
  expect(other.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
});

test('a rebuild is refused once retention has pruned events: it would lose the history the metrics still count', async () => {
  await deps.database.db.delete(consumerCheckpoints);
  const { deleted } = await pruneEvents(deps.database.db, { retainDays: 0, resumeWindowDays: 0 }, new Date(Date.now() + 86_400_000));
  expect(deleted).toBeGreaterThan(0);
  await expect(rebuildProgramMetrics(deps.database.db)).rejects.toMatchObject({ code: 'EVENTS_PRUNED' });
});
