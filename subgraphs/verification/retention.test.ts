import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { eventually } from '../../test/helpers/eventually.js';
import { insertEventsUnchecked, readLog } from '../../test/helpers/events.js';
import { subscribeAs } from '../../test/helpers/subscribe.js';
import { verification } from './index.js';

// With EVENTS_RETENTION_DAYS set, the verification service prunes the log at start-up and every hour after, and a
// subscription asking to resume from a pruned cursor is refused with EVENTS_PRUNED instead of silently missing events.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const EVENTS = `subscription ($after: String) { credentialEvents(after: $after) { cursor type } }`;
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance | undefined;
let old: number[];

beforeAll(async () => {
  deps = await createTestDeps({ EVENTS_RETENTION_DAYS: '7', EVENTS_RESUME_WINDOW_DAYS: '7' });
  const longAgo = new Date(Date.now() - 30 * 86_400_000);
  // Placeholder payloads: retention never reads them, and nothing consumes these types here.
  old = (await insertEventsUnchecked(deps.database.db, [1, 2, 3].map((n) => ({ type: EventType.SHARE_VIEWED, payload: { n }, occurredAt: longAgo })))).map((event) => event.cursor);
});
afterAll(async () => {
  await subgraph?.close();
  await deps.dispose();
});

describe('event log retention in the verification service', () => {
  test('events past the retention period are pruned once every consumer has passed them', async () => {
    subgraph = await verification.create(deps);
    // Its consumers (metrics, known issuers) catch up past the old events, then pruning may take them.
    const remaining = await eventually(() => readLog(deps.database.db, { after: 0, limit: 10 }), (events) => events.length === 0, 20_000);
    expect(remaining).toEqual([]);
  });

  test('resuming from a pruned cursor is refused with EVENTS_PRUNED, naming where the log now starts', async () => {
    const refused = await subscribeAs(subgraph!, admin, EVENTS, { after: String(old[0]) });
    // In process there is no error formatting: the AppError the server turns into `extensions` is the original error.
    expect('errors' in refused && refused.errors?.[0]?.originalError).toMatchObject({ code: 'EVENTS_PRUNED', details: { prunedThrough: String(old.at(-1)) } });
    const resumed = await subscribeAs(subgraph!, admin, EVENTS, { after: String(old.at(-1)) });
    expect(Symbol.asyncIterator in resumed).toBe(true);
    await (resumed as AsyncGenerator).return(undefined);
  });
});
