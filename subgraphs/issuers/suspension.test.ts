import { sql } from 'drizzle-orm';
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
import { issuers } from './index.js';
import { verifiesWithStockLibrary } from '../../test/helpers/stock-verify.js';
import { readLog } from '../../test/helpers/events.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;
let achievementId: string;
let member: Viewer;

const ISSUE = `mutation ($input: IssueCredentialInput!) {
  issueCredential(input: $input) { credential { id issuance { status statusPurpose } } document }
}`;
const ISSUANCE = 'credential { id issuance { status statusPurpose statusReason statusChangedAt } }';
const SUSPEND = `mutation ($id: ID!, $reason: String) { suspendCredential(input: { credentialId: $id, reason: $reason }) { ${ISSUANCE} } }`;
const REINSTATE = `mutation ($id: ID!, $reason: String) { reinstateCredential(input: { credentialId: $id, reason: $reason }) { ${ISSUANCE} } }`;
const REVOKE = `mutation ($id: ID!, $reason: String) { revokeCredential(input: { credentialId: $id, reason: $reason }) { ${ISSUANCE} } }`;

const context = () => subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;

async function issue(statusPurpose?: 'REVOCATION' | 'SUSPENSION', idempotencyKey = newId()) {
  const result = await executeAs(subgraph, member, ISSUE, {
    input: {
      achievementId,
      recipient: { email: 'grace@example.com', name: 'Grace Hopper' },
      evidence: [{ kind: 'ASSESSMENT', url: 'https://lms.example/attempts/7', narrative: 'Scored 20/20.' }],
      idempotencyKey,
      ...(statusPurpose ? { statusPurpose } : {}),
    },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.issueCredential as { credential: { id: string; issuance: Record<string, unknown> }; document: any };
}

/** The served, signed list the credential's entry points at, and the credential's bit in it. */
async function publishedStatus(document: any) {
  const entry = document.credentialStatus;
  const list = (await context().issuance.statusLists.signedList(entry.statusListCredential.split('/').pop())) as any;
  return { list, bit: decodeList(list.credentialSubject.encodedList).get(Number(entry.statusListIndex)) };
}

function verifyWithStockLibrary(credential: Record<string, unknown>): Promise<boolean> {
  return verifiesWithStockLibrary(credential, (didUrl) => context().keyRing.resolveDid(didUrl));
}

const statusEventsOf = async (credentialId: string) =>
  (await readLog(deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_SUSPENDED, EventType.CREDENTIAL_REINSTATED, EventType.CREDENTIAL_REVOKED] }))
    .filter((event) => event.payload.credentialId === credentialId)
    .map((event) => event.type);

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await issuers.create(deps);
  const created = await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Lakeside College", url: "https://lakeside.example" }) { issuer { id } } }`);
  issuerId = created.data!.createIssuer.issuer.id;
  member = { kind: 'ISSUER', apiKeyId: admin.apiKeyId, issuerId, role: 'ISSUER' };
  achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition: achievementDefinition(), publicBaseUrl: deps.config.publicBaseUrl });
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

describe('issuing with a suspension entry', () => {
  test('the one credentialStatus is a suspension entry on a suspension list; the credential validates and verifies', async () => {
    const { credential, document } = await issue('SUSPENSION');
    expect(credential.issuance).toEqual({ status: 'ACTIVE', statusPurpose: 'SUSPENSION' });
    expect(document.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'suspension' });
    const { list, bit } = await publishedStatus(document);
    expect(list.type).toContain('BitstringStatusListCredential');
    expect(list.credentialSubject.statusPurpose).toBe('suspension');
    expect(decodeList(list.credentialSubject.encodedList).length).toBeGreaterThanOrEqual(131_072);
    expect(bit).toBe(false);
    expect(await verifyWithStockLibrary(list)).toBe(true);
    expect(validateAchievementCredential(document)).toMatchObject({ valid: true });
    expect(await verifyWithStockLibrary(document)).toBe(true);
  });

  test('revocation stays the default, on the issuer’s other list; each purpose has its own list', async () => {
    const revocable = await issue();
    const suspendable = await issue('SUSPENSION');
    expect(revocable.credential.issuance.statusPurpose).toBe('REVOCATION');
    expect(revocable.document.credentialStatus.statusPurpose).toBe('revocation');
    expect((await publishedStatus(revocable.document)).list.credentialSubject.statusPurpose).toBe('revocation');
    expect(revocable.document.credentialStatus.statusListCredential).not.toBe(suspendable.document.credentialStatus.statusListCredential);
    expect((await issue('SUSPENSION')).document.credentialStatus.statusListCredential).toBe(suspendable.document.credentialStatus.statusListCredential);
  });

  test('the status purpose is part of the idempotent request: the same key with another purpose is a CONFLICT', async () => {
    const key = newId();
    const first = await issue('SUSPENSION', key);
    expect((await issue('SUSPENSION', key)).credential.id).toBe(first.credential.id);
    const other = await executeAs(subgraph, member, ISSUE, {
      input: { achievementId, recipient: { email: 'grace@example.com', name: 'Grace Hopper' }, evidence: [{ kind: 'ASSESSMENT', url: 'https://lms.example/attempts/7', narrative: 'Scored 20/20.' }], idempotencyKey: key },
    });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
  });
});

describe('suspend and reinstate', () => {
  test('suspending sets the bit in the served list, reinstating clears it; repeats change nothing; one event per change', async () => {
    const { credential, document } = await issue('SUSPENSION');
    const suspended = await executeAs(subgraph, member, SUSPEND, { id: credential.id, reason: 'Under review' });
    expect(suspended.errors).toBeUndefined();
    expect(suspended.data!.suspendCredential.credential.issuance).toMatchObject({ status: 'SUSPENDED', statusReason: 'Under review', statusPurpose: 'SUSPENSION' });
    expect(suspended.data!.suspendCredential.credential.issuance.statusChangedAt).not.toBeNull();
    expect((await publishedStatus(document)).bit).toBe(true);

    const again = await executeAs(subgraph, member, SUSPEND, { id: credential.id, reason: 'Another reason' });
    expect(again.data!.suspendCredential.credential.issuance).toMatchObject({ status: 'SUSPENDED', statusReason: 'Under review' });

    const reinstated = await executeAs(subgraph, member, REINSTATE, { id: credential.id, reason: 'Review passed' });
    expect(reinstated.data!.reinstateCredential.credential.issuance).toMatchObject({ status: 'ACTIVE', statusReason: 'Review passed' });
    const { list, bit } = await publishedStatus(document);
    expect(bit).toBe(false);
    expect(await verifyWithStockLibrary(list)).toBe(true);
    expect((await executeAs(subgraph, member, REINSTATE, { id: credential.id })).data!.reinstateCredential.credential.issuance.status).toBe('ACTIVE');

    expect(await statusEventsOf(credential.id)).toEqual(['CredentialSuspended', 'CredentialReinstated']);
    const [event] = await readLog(deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_SUSPENDED] }).then((events) => events.filter((e) => e.payload.credentialId === credential.id));
    expect(event!.payload).toEqual({ credentialId: credential.id, issuerId, statusPurpose: 'suspension', reason: 'Under review' });
  });

  test('concurrent suspensions of one credential make one change and one event', async () => {
    const { credential } = await issue('SUSPENSION');
    const results = await Promise.all([1, 2, 3].map(() => executeAs(subgraph, member, SUSPEND, { id: credential.id })));
    expect(results.map((result) => result.data?.suspendCredential.credential.issuance.status)).toEqual(['SUSPENDED', 'SUSPENDED', 'SUSPENDED']);
    expect(await statusEventsOf(credential.id)).toEqual(['CredentialSuspended']);
  });

  test('revoking a suspended credential sets its bit for good: reinstating and suspending are refused', async () => {
    const { credential, document } = await issue('SUSPENSION');
    await executeAs(subgraph, member, SUSPEND, { id: credential.id });
    const revoked = await executeAs(subgraph, member, REVOKE, { id: credential.id, reason: 'Misconduct confirmed' });
    expect(revoked.data!.revokeCredential.credential.issuance).toMatchObject({ status: 'REVOKED', statusReason: 'Misconduct confirmed' });
    expect((await publishedStatus(document)).bit).toBe(true);

    const reinstate = await executeAs(subgraph, member, REINSTATE, { id: credential.id });
    expect(reinstate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'credentialId', status: 'REVOKED' });
    expect(reinstate.errors?.[0]?.message).toMatch(/revoked, and revocation is permanent/);
    expect((await executeAs(subgraph, member, SUSPEND, { id: credential.id })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await executeAs(subgraph, member, REVOKE, { id: credential.id })).data!.revokeCredential.credential.issuance.status).toBe('REVOKED');
    expect((await publishedStatus(document)).bit).toBe(true);
    expect(await statusEventsOf(credential.id)).toEqual(['CredentialSuspended', 'CredentialRevoked']);
  });

  test('an active suspension entry can be revoked directly', async () => {
    const { credential, document } = await issue('SUSPENSION');
    expect((await executeAs(subgraph, member, REVOKE, { id: credential.id })).data!.revokeCredential.credential.issuance.status).toBe('REVOKED');
    expect((await publishedStatus(document)).bit).toBe(true);
  });

  test('a credential issued with a revocation entry cannot be suspended or reinstated, and nothing changes', async () => {
    const { credential, document } = await issue('REVOCATION');
    for (const mutation of [SUSPEND, REINSTATE]) {
      const refused = await executeAs(subgraph, member, mutation, { id: credential.id });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'credentialId', statusPurpose: 'revocation' });
      expect(refused.errors?.[0]?.message).toMatch(/revocation-only status entry.*statusPurpose SUSPENSION/);
    }
    expect((await publishedStatus(document)).bit).toBe(false);
    expect(await statusEventsOf(credential.id)).toEqual([]);
  });

  test('an unknown credential is NOT_FOUND; another issuer’s member and a VIEWER are UNAUTHORIZED', async () => {
    const { credential } = await issue('SUSPENSION');
    expect((await executeAs(subgraph, member, SUSPEND, { id: newId() })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await executeAs(subgraph, member, REINSTATE, { id: 'not-a-uuid' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const outsider: Viewer = { kind: 'ISSUER', apiKeyId: admin.apiKeyId, issuerId: newId(), role: 'OWNER' };
    const viewer: Viewer = { ...member, role: 'VIEWER' } as Viewer;
    for (const who of [outsider, viewer]) {
      expect((await executeAs(subgraph, who, SUSPEND, { id: credential.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
      expect((await executeAs(subgraph, who, REINSTATE, { id: credential.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    }
    expect((await executeAs(subgraph, { kind: 'ANONYMOUS' }, SUSPEND, { id: credential.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await statusEventsOf(credential.id)).toEqual([]);
  });

  test('a change that fails while writing its event leaves the ledger, the list and the log as they were', async () => {
    const { credential, document } = await issue('SUSPENSION');
    const listId = document.credentialStatus.statusListCredential.split('/').pop();
    const revisionBefore = (await context().issuance.store.findStatusList(listId))!.revision;
    // A real failure inside the transaction, after the ledger row and the bit were written: the event insert fails.
    await deps.database.db.execute(sql.raw(`
      create function refuse_suspension_events() returns trigger language plpgsql as $$
      begin
        if new.type = 'CredentialSuspended' then raise exception 'event store unavailable'; end if;
        return new;
      end $$`));
    await deps.database.db.execute(sql.raw('create trigger refuse_suspension_events before insert on events.events for each row execute function refuse_suspension_events()'));
    try {
      const failed = await executeAs(subgraph, member, SUSPEND, { id: credential.id });
      expect(failed.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await deps.database.db.execute(sql.raw('drop trigger refuse_suspension_events on events.events'));
      await deps.database.db.execute(sql.raw('drop function refuse_suspension_events()'));
    }
    expect((await context().issuance.store.findCredential(credential.id))!).toMatchObject({ status: 'ACTIVE', statusReason: null, statusChangedAt: null });
    expect((await context().issuance.store.findStatusList(listId))!.revision).toBe(revisionBefore);
    expect((await publishedStatus(document)).bit).toBe(false);
    expect(await statusEventsOf(credential.id)).toEqual([]);
    // And with the event store back, the same request goes through.
    expect((await executeAs(subgraph, member, SUSPEND, { id: credential.id })).data!.suspendCredential.credential.issuance.status).toBe('SUSPENDED');
  });
});
