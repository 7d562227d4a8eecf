import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { validateAchievementCredential } from '../../lib/crypto/schema.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { decodeList } from '../../lib/status/bitstring.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import type { IssuersContext } from './context.js';
import { statusLists } from './db/tables.js';
import { issuers } from './index.js';
import { verifiesWithStockLibrary } from '../../test/helpers/stock-verify.js';
import { readLog } from '../../test/helpers/events.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;
let achievementId: string;
let memberOf: (id: string, role?: 'OWNER' | 'ISSUER' | 'VIEWER') => Viewer;

const definition = achievementDefinition({ tags: ['sql'], language: 'en', estimatedLearningHours: 12, validity: 'P2Y' });

const ISSUE = `mutation ($input: IssueCredentialInput!) {
  issueCredential(input: $input) { credential { id issuance { status achievementVersion url validUntil } } document }
}`;
const issueInput = (overrides: Record<string, unknown> = {}) => ({
  achievementId,
  recipient: { email: 'Ada@Example.com', name: 'Ada Lovelace' },
  evidence: [{ kind: 'ASSESSMENT', url: 'https://lms.example/attempts/42', narrative: 'Scored 19/20.' }],
  idempotencyKey: newId(),
  ...overrides,
});

/** Stock @digitalbazaar/vc verification: none of Cairn's verification code; only its offline loader for contexts and DIDs. */
function verifyWithStockLibrary(credential: Record<string, unknown>, ctx: IssuersContext): Promise<boolean> {
  return verifiesWithStockLibrary(credential, (didUrl) => ctx.keyRing.resolveDid(didUrl));
}

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await issuers.create(deps);
  const created = await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Northwind", url: "https://northwind.example" }) { issuer { id } } }`);
  issuerId = created.data!.createIssuer.issuer.id;
  memberOf = (id, role = 'ISSUER') => ({ kind: 'ISSUER', apiKeyId: admin.apiKeyId, issuerId: id, role });
  // What the achievements subgraph appends when it publishes: the issuers subgraph must pick it up by itself.
  achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition, publicBaseUrl: deps.config.publicBaseUrl });
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const context = () => subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;

describe('issueCredential', () => {
  test('right after publishing, issues a signed OB 3.0 credential that validates and verifies with the stock library', async () => {
    const result = await executeAs(subgraph, memberOf(issuerId), ISSUE, { input: issueInput() });
    expect(result.errors).toBeUndefined();
    const { credential, document } = result.data!.issueCredential;
    expect(credential.issuance).toMatchObject({ status: 'ACTIVE', achievementVersion: 1 });
    expect(document.id).toBe(`urn:uuid:${credential.id}`);
    expect(document.image).toEqual({ id: `${deps.config.publicBaseUrl}/credentials/${credential.id}/badge.svg`, type: 'Image' });
    expect(document.issuer).toMatchObject({ type: ['Profile'], name: 'Northwind', id: expect.stringMatching(/^did:web:/) });
    expect(document.credentialSubject.identifier[0]).toMatchObject({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true });
    expect(JSON.stringify(document)).not.toContain('ada@example.com');
    expect(document.validUntil.slice(0, 4)).toBe(String(new Date().getUTCFullYear() + 2));
    expect(validateAchievementCredential(document)).toMatchObject({ valid: true });
    expect(await verifyWithStockLibrary(document, context())).toBe(true);
    const tampered = structuredClone(document);
    tampered.credentialSubject.achievement.name = 'SQL Query Mastery';
    expect(await verifyWithStockLibrary(tampered, context())).toBe(false);

    const events = await readLog(deps.database.db, { after: 0, limit: 50, types: [EventType.CREDENTIAL_ISSUED] });
    expect(events.at(-1)!.payload).toMatchObject({ credentialId: credential.id, recipient: { type: 'EMAIL', value: 'ada@example.com' } });
  });

  test('the same idempotency key gives the same credential, also when retried concurrently', async () => {
    const input = issueInput();
    const results = await Promise.all([1, 2, 3].map(() => executeAs(subgraph, admin, ISSUE, { input })));
    const ids = new Set(results.map((result) => result.data?.issueCredential.credential.id));
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    expect(ids.size).toBe(1);
    const reused = await executeAs(subgraph, admin, ISSUE, { input: { ...input, recipient: { email: 'someone.else@example.com' } } });
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
  });

  test('attendance alone is refused for a competency, and nothing is written', async () => {
    const before = (await readLog(deps.database.db, { after: 0, limit: 1000 })).length;
    const result = await executeAs(subgraph, admin, ISSUE, {
      input: issueInput({ evidence: [{ kind: 'ATTENDANCE', narrative: 'Attended all sessions.' }] }),
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence' });
    expect((await readLog(deps.database.db, { after: 0, limit: 1000 })).length).toBe(before);
  });

  test('an unknown achievement is NOT_FOUND; another issuer’s member is UNAUTHORIZED', async () => {
    expect((await executeAs(subgraph, admin, ISSUE, { input: issueInput({ achievementId: newId() }) })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await executeAs(subgraph, memberOf(newId()), ISSUE, { input: issueInput() })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect((await executeAs(subgraph, memberOf(issuerId, 'VIEWER'), ISSUE, { input: issueInput() })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  test('a recipient needs exactly one identity', async () => {
    const result = await executeAs(subgraph, admin, ISSUE, { input: issueInput({ recipient: { email: 'a@example.com', did: 'did:example:a' } }) });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recipient' });
  });
});

describe('the issuer Profile in credentials', () => {
  test('address, phone, official and parent organisation are embedded and the credential still validates', async () => {
    const child = await executeAs(
      subgraph,
      admin,
      `mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id parentOrg { name } address { addressCountryCode } } } }`,
      {
        input: {
          name: 'Northwind School of Data',
          url: 'https://data.northwind.example',
          phone: '+49 30 1234567',
          official: 'Dr. Jane Doe, Dean',
          address: { streetAddress: '1 Harbour Road', addressLocality: 'Berlin', addressCountryCode: 'de' },
          parentIssuerId: issuerId,
        },
      },
    );
    expect(child.errors).toBeUndefined();
    const childIssuer = child.data!.createIssuer.issuer;
    expect(childIssuer).toMatchObject({ parentOrg: { name: 'Northwind' }, address: { addressCountryCode: 'DE' } });
    const childAchievement = await publishAchievementEvent(deps.database.db, { issuerId: childIssuer.id, definition, publicBaseUrl: deps.config.publicBaseUrl });
    const issued = await executeAs(subgraph, admin, ISSUE, { input: issueInput({ achievementId: childAchievement }) });
    const profile = issued.data!.issueCredential.document.issuer;
    expect(profile).toMatchObject({
      phone: '+49 30 1234567',
      official: 'Dr. Jane Doe, Dean',
      address: { type: ['Address'], addressLocality: 'Berlin', addressCountryCode: 'DE' },
      parentOrg: { type: ['Profile'], name: 'Northwind' },
    });
    expect(validateAchievementCredential(issued.data!.issueCredential.document)).toMatchObject({ valid: true });
    expect(await verifyWithStockLibrary(issued.data!.issueCredential.document, context())).toBe(true);
    const badParent = await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "X", url: "https://x.example", parentIssuerId: "${newId()}" }) { issuer { id } } }`);
    expect(badParent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentIssuerId' });
  });
});

describe('revocation and key rotation', () => {
  test('a revoked credential’s bit is set in the served, signed status list', async () => {
    const issued = (await executeAs(subgraph, admin, ISSUE, { input: issueInput() })).data!.issueCredential;
    const revoke = await executeAs(subgraph, memberOf(issuerId), `mutation ($id: ID!) { revokeCredential(input: { credentialId: $id, reason: "Academic misconduct" }) { credential { issuance { status statusReason } } } }`, {
      id: issued.credential.id,
    });
    expect(revoke.data!.revokeCredential.credential.issuance).toEqual({ status: 'REVOKED', statusReason: 'Academic misconduct' });
    const entry = issued.document.credentialStatus;
    const listId = entry.statusListCredential.split('/').pop();
    const list = await context().issuance.statusLists.signedList(listId);
    expect(await verifyWithStockLibrary(list as never, context())).toBe(true);
    const bits = decodeList((list as any).credentialSubject.encodedList);
    expect(bits.get(Number(entry.statusListIndex))).toBe(true);
    expect(bits.length).toBeGreaterThanOrEqual(131_072);
  });

  test('a credential signed before a rotation still verifies after it', async () => {
    const before = (await executeAs(subgraph, admin, ISSUE, { input: issueInput() })).data!.issueCredential.document;
    const rotated = await executeAs(subgraph, memberOf(issuerId, 'OWNER'), `mutation ($id: ID!) { rotateSigningKey(input: { issuerId: $id }) { signingKey { publicKeyMultibase } } }`, { id: issuerId });
    expect(rotated.errors).toBeUndefined();
    const after = (await executeAs(subgraph, admin, ISSUE, { input: issueInput() })).data!.issueCredential.document;
    expect(after.proof[0].verificationMethod).not.toBe(before.proof[0].verificationMethod);
    expect(await verifyWithStockLibrary(before, context())).toBe(true);
    expect(await verifyWithStockLibrary(after, context())).toBe(true);
  });
});

// Issue 10, item 13: the first burst of issuance for a new issuer opened a status list per issuance (one left with a
// handful of entries, whose holders hide in a crowd of five). One list now fills before the next opens.
describe('status list allocation', () => {
  test('a new issuer’s first burst of concurrent issuances shares one status list', async () => {
    const created = await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Burst College", url: "https://burst.example" }) { issuer { id } } }`);
    const burstIssuer = created.data!.createIssuer.issuer.id as string;
    const burstAchievement = await publishAchievementEvent(deps.database.db, { issuerId: burstIssuer, definition, publicBaseUrl: deps.config.publicBaseUrl });
    const issued = await Promise.all(
      Array.from({ length: 12 }, (_, i) => executeAs(subgraph, admin, ISSUE, { input: issueInput({ achievementId: burstAchievement, recipient: { email: `burst${i}@example.com` } }) })),
    );
    expect(issued.map((result) => result.errors)).toEqual(Array(12).fill(undefined));
    const lists = await deps.database.db.select({ id: statusLists.id }).from(statusLists).where(eq(statusLists.issuerId, burstIssuer));
    expect(lists).toHaveLength(1);
  });
});
