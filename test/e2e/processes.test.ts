import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { rowsOf } from '../../lib/db/rows.js';
import { createTestDatabase, type TestDatabase } from '../../lib/db/test-db.js';
import { collect } from '../helpers/deferred.js';
import { startHubProcesses, type HubProcesses } from '../helpers/process.js';

/**
 * Production shape: every service in its own process (`npm run start:<service>`), sharing one PostgreSQL.
 * Nothing runs in the test process but the database handle used to mint the first operator key.
 */
describe.skipIf(!process.env.DATABASE_URL)('one process per service on PostgreSQL', () => {
  let testDb: TestDatabase;
  let hub: HubProcesses | undefined;
  let gatewayUrl: string;
  let adminKey: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    hub = await startHubProcesses(testDb.url!);
    gatewayUrl = hub.gatewayUrl;
    adminKey = (await createApiKey(testDb.database.db, { name: 'ops', grant: { principal: 'ADMIN' } })).secret;
  });
  afterAll(async () => {
    await hub?.stop();
    await testDb?.dispose();
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };

  test('queries, mutations and subscriptions work across the processes', async () => {
    const client = createClient({ url: gatewayUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${adminKey}` }, retryAttempts: 0 });
    const events = collect(client, `subscription { credentialEvents(after: "0", types: [ACHIEVEMENT_CREATED]) { issuer { name } payload } }`);
    const issuer = await gql(`mutation { createIssuer(input: { name: "Split Process College", url: "https://split.example" }) { issuer { id } } }`);
    const issuerId = issuer.data.createIssuer.issuer.id;
    const achievement = await gql(
      `mutation ($issuerId: ID!) { createAchievement(input: { issuerId: $issuerId, name: "Distributed Systems", description: "Reasons about partial failure.", criteria: { narrative: "Design review" } }) { achievement { name issuer { name } } } }`,
      { issuerId },
    );
    expect(achievement.data.createAchievement.achievement).toEqual({ name: 'Distributed Systems', issuer: { name: 'Split Process College' } });
    const [event] = await events.waitFor(1);
    expect(event.credentialEvents).toMatchObject({ issuer: { name: 'Split Process College' }, payload: { name: 'Distributed Systems' } });
    await client.dispose();
  });

  test('production hides internal details and serves no GraphiQL', async () => {
    const page = await fetch(gatewayUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  test('the rate-limit buckets the gateway spent live in PostgreSQL, where every replica sees them', async () => {
    const keyBuckets = async () =>
      rowsOf<{ key: string }>(await testDb.database.db.execute(sql`select key from ratelimit.buckets where key like 'key:%'`));
    // A bucket one request spent is full again 20 ms later, when any replica's minutely sweep may delete its row.
    let rows: { key: string }[] = [];
    for (let attempt = 0; attempt < 3 && rows.length === 0; attempt += 1) {
      await gql('{ me { kind } }');
      rows = await keyBuckets();
    }
    expect(rows).not.toEqual([]);
  });
});
