import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDeps } from '../../../test/helpers/deps.js';
import { createObApiStore } from '../db/ob-api-store.js';
import { createOAuthStore } from '../db/oauth-store.js';
import { oauthRecords } from '../db/oauth-tables.js';
import { createOAuthServer } from './oauth-server.js';

// Issue 10, item 13: OAuth client secrets are stored hashed. Clients registered before (secret stored as given) are
// hashed by migration 0007 and keep authenticating with the secret they hold. The registration flow itself (the
// database never holds the secret, a wrong one is refused) is proven through the gateway in test/e2e/ob-api.test.ts.

const HASHING_MIGRATION = new URL('../../../drizzle/0007_hash_oauth_client_secrets.sql', import.meta.url);

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let oauth: ReturnType<typeof createOAuthServer>;

const storedClient = async (clientId: string) =>
  (await deps.database.db.select().from(oauthRecords).where(and(eq(oauthRecords.model, 'Client'), eq(oauthRecords.id, clientId))))[0]!.payload;

beforeAll(async () => {
  deps = await createTestDeps();
  const db = deps.database.db;
  oauth = createOAuthServer({
    publicBaseUrl: deps.config.publicBaseUrl,
    masterKey: deps.config.masterKey,
    oauthStore: createOAuthStore(db),
    obApiStore: createObApiStore(db),
    corsAllowedOrigins: [],
  });
});
afterAll(() => deps.dispose());

describe('registered clients’ secrets', () => {
  test('a secret stored as given before hashing is hashed by migration 0007, and the client still authenticates with it', async () => {
    const clientId = `legacy-${randomBytes(6).toString('hex')}`;
    const secret = randomBytes(64).toString('base64url');
    await createOAuthStore(deps.database.db).upsert(
      'Client',
      clientId,
      {
        client_id: clientId,
        client_secret: secret,
        client_secret_expires_at: 0,
        client_id_issued_at: Math.floor(Date.now() / 1000),
        redirect_uris: ['https://wallet.example/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      null,
    );
    await deps.database.db.execute(sql.raw(readFileSync(HASHING_MIGRATION, 'utf8')));
    const stored = await storedClient(clientId);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored.client_secret).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);

    const client = (await oauth.provider.Client.find(clientId))!;
    expect(await client.compareClientSecret(secret)).toBe(true);
    expect(await client.compareClientSecret(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(await client.compareClientSecret(stored.client_secret as string)).toBe(false);

    // Running it again (a secret already hashed) changes nothing.
    await deps.database.db.execute(sql.raw(readFileSync(HASHING_MIGRATION, 'utf8')));
    expect(await storedClient(clientId)).toEqual(stored);
  });
});
