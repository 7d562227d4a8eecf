import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ANONYMOUS, signViewer, VIEWER_HEADER, type Viewer } from '../../lib/auth/viewer.js';
import { loadConfig } from '../../lib/config/env.js';
import { shareViewedEvent } from '../../lib/events/contracts/share-viewed.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import { startSubgraph, type RunningService } from '../../lib/server/start-subgraph.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { signedSampleCredential } from '../../test/fixtures/signed-sample-credential.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { eventually } from '../../test/helpers/eventually.js';
import { readLog } from '../../test/helpers/events.js';
import { executeAs } from '../../test/helpers/execute.js';
import { createShareStore } from './db/share-store.js';
import { recipients } from './index.js';

// Issue 10, item 9: opening a share (or a consented candidate) must not write an event (a transaction, a row in the
// log for the sequencer to number) per opening. Views are counted in memory and appended as a few counted ShareViewed events, in one transaction,
// every SHARE_VIEWS_FLUSH_SECONDS or SHARE_VIEWS_FLUSH_AFTER views, and when the service stops.

const key = '0190a0a0-0000-7000-8000-000000000001';
const acme = '0190a0a0-0000-7000-8000-0000000000c1';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: key };
const employer: Viewer = { kind: 'EMPLOYER', apiKeyId: key, employerId: acme };
const SHARE = `query ($t: String!) { share(token: $t) { credentials { totalCount } } }`;
const CANDIDATE = `query ($id: ID!) { candidate(recipientId: $id) { credentials { totalCount } } }`;
/** Nothing flushes by itself unless a test asks: every count below is the stop's flush or a test's own setting. */
const QUIET = { SHARE_VIEWS_FLUSH_SECONDS: '3600', SHARE_VIEWS_FLUSH_AFTER: '100000', RATE_LIMIT_SHARE_VIEWS_PER_IP_PER_SECOND: '1000', RATE_LIMIT_SHARE_VIEWS_PER_SHARE_PER_SECOND: '1000' };

const statements: string[] = [];
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let setup: SubgraphInstance;

/** A subgraph replica over the same database, with `env` on top of the quiet settings. */
const replica = (env: Record<string, string> = {}) => recipients.create({ ...deps, config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...QUIET, ...env }) });
const appendsToTheLog = () => statements.filter((statement) => /insert into "events"\."events"/i.test(statement));

async function holderWithShare(email: string): Promise<{ holder: Viewer; recipientId: string; shareId: string; token: string }> {
  const created = await executeAs(setup, admin, `mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  const recipientId = created.data!.createRecipient.recipient.id;
  const holder: Viewer = { kind: 'RECIPIENT', apiKeyId: key, recipientId };
  const credential = await signedSampleCredential();
  const imported = await executeAs(setup, holder, `mutation ($c: JSON) { importCredential(input: { credential: $c }) { credential { id } } }`, { c: credential });
  const share = await executeAs(setup, holder, `mutation ($ids: [ID!]!) { createShare(input: { credentialIds: $ids, audience: PUBLIC }) { token share { id } } }`, {
    ids: [imported.data!.importCredential.credential.id],
  });
  expect(share.errors).toBeUndefined();
  return { holder, recipientId, shareId: share.data!.createShare.share.id, token: share.data!.createShare.token };
}

async function viewEvents(match: { shareId?: string; consentId?: string }) {
  const stored = await readLog(deps.database.db, { after: 0, limit: 10_000, types: [EventType.SHARE_VIEWED] });
  return stored
    .map((event) => shareViewedEvent.parse(event.payload))
    .filter((payload) => (match.shareId ? payload.shareId === match.shareId : payload.consentId === match.consentId));
}
const totalOf = (views: { count: number }[]) => views.reduce((sum, view) => sum + view.count, 0);

async function openTimes(subgraph: SubgraphInstance, viewer: Viewer, token: string, times: number) {
  for (let index = 0; index < times; index++) {
    const opened = await executeAs(subgraph, viewer, SHARE, { t: token });
    expect(opened.errors).toBeUndefined();
  }
}

beforeAll(async () => {
  deps = await createTestDeps(QUIET, { onQuery: (statement) => statements.push(statement) });
  setup = await recipients.create(deps);
});
afterAll(async () => {
  await setup.close();
  await deps.dispose();
});

describe('share views are counted, not appended one by one', () => {
  test('a burst of anonymous views appends nothing; a graceful stop appends them as one counted event', async () => {
    const { shareId, token } = await holderWithShare('burst@views.example');
    const service = await replica();
    statements.length = 0;
    await openTimes(service, ANONYMOUS, token, 60);
    expect(appendsToTheLog()).toEqual([]);
    expect(await viewEvents({ shareId })).toEqual([]);

    await service.close();
    const views = await viewEvents({ shareId });
    // One viewer kind, one route: one event (two only if the burst straddled midnight UTC, each day counted apart).
    expect(views.length).toBeLessThanOrEqual(2);
    expect(totalOf(views)).toBe(60);
    expect(views[0]).toMatchObject({ via: 'GRAPHQL', viewer: { kind: 'ANONYMOUS', id: null }, byHolder: false });
    expect(Date.parse(views[0]!.firstViewedAt!)).toBeLessThanOrEqual(Date.parse(views.at(-1)!.lastViewedAt!));
  });

  test('the holder’s own views are told apart from views by others', async () => {
    const { holder, recipientId, shareId, token } = await holderWithShare('own@views.example');
    const service = await replica();
    await openTimes(service, holder, token, 3);
    await openTimes(service, ANONYMOUS, token, 2);
    await openTimes(service, admin, token, 1);
    await service.close();
    const views = await viewEvents({ shareId });
    const byHolder = views.filter((view) => view.byHolder);
    expect(totalOf(byHolder)).toBe(3);
    expect(byHolder[0]!.viewer).toEqual({ kind: 'RECIPIENT', id: recipientId });
    expect(totalOf(views.filter((view) => !view.byHolder))).toBe(3);
    expect(totalOf(views.filter((view) => view.viewer.kind === 'ANONYMOUS'))).toBe(2);
  });

  test('a consented employer’s candidate reads write nothing on the request path and are counted at the next flush', async () => {
    const { holder, recipientId } = await holderWithShare('candidate@views.example');
    const granted = await executeAs(setup, holder, `mutation { grantConsent(input: { employerId: "${acme}", scope: ALL }) { consent { id } } }`);
    const consentId = granted.data!.grantConsent.consent.id;
    const service = await replica();
    statements.length = 0;
    for (let index = 0; index < 5; index++) expect((await executeAs(service, employer, CANDIDATE, { id: recipientId })).errors).toBeUndefined();
    expect(appendsToTheLog()).toEqual([]);
    await service.close();
    const views = await viewEvents({ consentId });
    expect(totalOf(views)).toBe(5);
    expect(views[0]).toMatchObject({ via: 'CANDIDATE', recipientId, viewer: { kind: 'EMPLOYER', id: acme }, byHolder: false });
  });

  test('past SHARE_VIEWS_FLUSH_AFTER views the count is appended by itself, off the request path; none is lost or doubled', async () => {
    const { shareId, token } = await holderWithShare('threshold@views.example');
    const service = await replica({ SHARE_VIEWS_FLUSH_AFTER: '10' });
    await openTimes(service, ANONYMOUS, token, 25);
    const flushed = await eventually(() => viewEvents({ shareId }), (views) => totalOf(views) >= 20);
    expect(totalOf(flushed)).toBeGreaterThanOrEqual(20);
    expect(flushed.length).toBeLessThan(25);
    await service.close();
    expect(totalOf(await viewEvents({ shareId }))).toBe(25);
  });

  test('every SHARE_VIEWS_FLUSH_SECONDS the count is appended without a stop', async () => {
    const { shareId, token } = await holderWithShare('timer@views.example');
    const service = await replica({ SHARE_VIEWS_FLUSH_SECONDS: '1' });
    try {
      await openTimes(service, ANONYMOUS, token, 3);
      const flushed = await eventually(() => viewEvents({ shareId }), (views) => totalOf(views) === 3, 5_000);
      expect(totalOf(flushed)).toBe(3);
    } finally {
      await service.close();
    }
    expect(totalOf(await viewEvents({ shareId }))).toBe(3);
  });

  test('ShareViewed events written before counting (version 1) still read, as one view each', () => {
    const v1 = { shareId: newId(), via: 'PRESENTATION', recipientId: newId(), viewer: { kind: 'ANONYMOUS', id: null } };
    expect(shareViewedEvent.parse(v1)).toMatchObject({ ...v1, count: 1 });
    expect(shareViewedEvent.version).toBe(3);
  });
});

describe('appending the counts', () => {
  test('a batch id already appended is refused, so a retried batch whose first attempt committed appends nothing twice', async () => {
    const shares = createShareStore(deps.database.db);
    const batchId = newId();
    expect(await deps.database.db.transaction((tx) => shares.claimViewBatch(tx, batchId))).toBe(true);
    expect(await deps.database.db.transaction((tx) => shares.claimViewBatch(tx, batchId))).toBe(false);
  });

  test('an append that fails is kept and appended by a later flush, under its own batch id: no view lost', async () => {
    const { shareId, token } = await holderWithShare('retry@views.example');
    const warnings: string[] = [];
    const service = await recipients.create({
      ...deps,
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...QUIET, SHARE_VIEWS_FLUSH_AFTER: '5' }),
      log: pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) }),
    });
    // The append's first statement then fails, as any database error would.
    await deps.database.db.execute(sql`alter table recipients.share_view_batches rename to share_view_batches_away`);
    try {
      await openTimes(service, ANONYMOUS, token, 5);
      await eventually(async () => warnings, (logged) => logged.some((line) => line.includes('share views not appended yet')));
    } finally {
      await deps.database.db.execute(sql`alter table recipients.share_view_batches_away rename to share_view_batches`);
    }
    expect(await viewEvents({ shareId })).toEqual([]);
    await openTimes(service, ANONYMOUS, token, 2);
    await service.close();
    const views = await viewEvents({ shareId });
    expect(totalOf(views)).toBe(7);
    expect(new Set(views.map((view) => view.batchId)).size).toBe(2);
  });
});

describe('anonymous share-view limits', () => {
  test('live in the shared rate-limit store: two replicas count one address, and one share, together', async () => {
    const { token } = await holderWithShare('limits@views.example');
    // Two openings per address and four per share at once (1 and 2 per second, 2 seconds of burst).
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ...QUIET,
      RATE_LIMIT_STORE: 'postgres',
      // Sharing is what is tested here, not failing open: a slow answer on a busy machine must not count as an outage.
      RATE_LIMIT_STORE_DEADLINE_MS: '30000',
      RATE_LIMIT_SHARE_VIEWS_PER_IP_PER_SECOND: '1',
      RATE_LIMIT_SHARE_VIEWS_PER_SHARE_PER_SECOND: '2',
      RATE_LIMIT_BURST_SECONDS: '2',
    });
    const replicas = await Promise.all([0, 1].map(() => startSubgraph(recipients, { ...deps, config }, { port: 0, host: '127.0.0.1' })));
    const [a, b] = replicas as [RunningService, RunningService];
    // The buckets' clock stands still, so a slow machine refills nothing between the openings.
    vi.useFakeTimers({ toFake: ['Date'] });
    const open = async (replica: RunningService, clientAddress: string) => {
      const headers = { [VIEWER_HEADER]: signViewer(ANONYMOUS, config.viewerSecret, { clientAddress }) };
      return (await fetch(`${new URL(replica.url).origin}/shares/${token}`, { headers })).status;
    };
    try {
      // One address: refused on the second replica once its two openings were spent across both.
      expect([await open(a, '198.51.100.7'), await open(b, '198.51.100.7'), await open(a, '198.51.100.7')]).toEqual([200, 200, 429]);
      // The share: two openings left, whichever replica and address; the refused one above did not count.
      expect([await open(b, '198.51.100.8'), await open(a, '198.51.100.9'), await open(b, '198.51.100.10')]).toEqual([200, 200, 429]);
    } finally {
      vi.useRealTimers();
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});
