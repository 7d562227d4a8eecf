import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { EventFeed } from '../../lib/events/feed.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { issuers } from './index.js';

// Issue 10, item 10: an unknown achievement id made issueCredential drain the achievement projection before checking
// who asked, one serialised drain per request, so anyone could queue database work for everyone. Access now comes
// first, and concurrent catch-ups share one drain.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const statements: string[] = [];
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;
let quietFeed: EventFeed;

const ISSUE = `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`;
const unknownAchievement = () => ({
  achievementId: newId(),
  recipient: { email: 'ada@example.com' },
  evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }],
  idempotencyKey: newId(),
});
const catchUpReads = () => statements.filter((statement) => /consumer_checkpoints/.test(statement) && /for update/i.test(statement)).length;

beforeAll(async () => {
  deps = await createTestDeps({}, { onQuery: (statement) => statements.push(statement) });
  // Background consumers wake only on news here (no 250 ms polling), so every catch-up read counted is a request's.
  quietFeed = new EventFeed(deps.database, 3_600_000);
  await quietFeed.start();
  subgraph = await issuers.create({ ...deps, feed: quietFeed });
  const created = await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Northwind", url: "https://northwind.example" }) { issuer { id } } }`);
  issuerId = created.data!.createIssuer.issuer.id;
});
afterAll(async () => {
  await subgraph.close();
  await quietFeed.close();
  await deps.dispose();
});

describe('issuing from an achievement the hub does not know', () => {
  test('a key that may issue nothing is refused before any catch-up work', async () => {
    const viewers: Viewer[] = [
      { kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'VIEWER' },
      { kind: 'EMPLOYER', apiKeyId: newId(), employerId: newId() },
      { kind: 'RECIPIENT', apiKeyId: newId(), recipientId: newId() },
    ];
    statements.length = 0;
    for (const viewer of viewers) {
      const result = await executeAs(subgraph, viewer, ISSUE, { input: unknownAchievement() });
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    }
    expect(catchUpReads()).toBe(0);
  });

  test('an id that cannot exist is NOT_FOUND at once', async () => {
    statements.length = 0;
    const result = await executeAs(subgraph, admin, ISSUE, { input: { ...unknownAchievement(), achievementId: 'not-an-id' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(catchUpReads()).toBe(0);
  });

  test('concurrent issuances for unknown achievements share the catch-up instead of queueing one drain each', async () => {
    statements.length = 0;
    const member: Viewer = { kind: 'ISSUER', apiKeyId: newId(), issuerId, role: 'ISSUER' };
    const results = await Promise.all(Array.from({ length: 20 }, () => executeAs(subgraph, member, ISSUE, { input: unknownAchievement() })));
    expect(results.map((result) => result.errors?.[0]?.extensions?.code)).toEqual(Array(20).fill('NOT_FOUND'));
    // Callers arriving while a drain runs join the one queued behind it: a few drains for the burst (how many depends on
    // how the requests spread in time), never one each as before (20).
    expect(catchUpReads()).toBeLessThan(10);
  });
});
