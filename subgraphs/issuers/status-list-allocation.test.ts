import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { statusLists } from './db/tables.js';
import { issuers } from './index.js';

// Issue 10, item 13: the first burst of issuance for a new issuer opened two status lists (one left with a handful of
// entries, whose holders hide in a crowd of five). One list now fills before the next opens.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const ISSUE = `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`;
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await issuers.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

describe('status list allocation', () => {
  test('a new issuer’s first burst of concurrent issuances shares one status list', async () => {
    const issuerId = (await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Burst College", url: "https://burst.example" }) { issuer { id } } }`)).data!
      .createIssuer.issuer.id as string;
    const achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition: achievementDefinition(), publicBaseUrl: deps.config.publicBaseUrl });
    const issued = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        executeAs(subgraph, admin, ISSUE, {
          input: { achievementId, recipient: { email: `burst${i}@example.com` }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }], idempotencyKey: newId() },
        }),
      ),
    );
    expect(issued.map((result) => result.errors)).toEqual(Array(12).fill(undefined));
    const lists = await deps.database.db.select({ id: statusLists.id }).from(statusLists).where(eq(statusLists.issuerId, issuerId));
    expect(lists).toHaveLength(1);
  });
});
