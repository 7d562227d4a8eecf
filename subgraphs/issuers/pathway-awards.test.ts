import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { ConsumerEventFailed, consumeBatch } from '../../lib/events/consumer.js';
import { credentialIssuedEvent } from '../../lib/events/contracts/credential-issued.js';
import { pathwayAwardStandingChangedEvent } from '../../lib/events/contracts/pathway-award-standing-changed.js';
import { pathwayCompletedEvent, type PathwayCompletedPayload } from '../../lib/events/contracts/pathway-completed.js';
import { recipientCreatedEvent } from '../../lib/events/contracts/recipient-created.js';
import { recipientIdentityAddedEvent } from '../../lib/events/contracts/recipient-identity-added.js';
import { IdentityType } from '../../lib/identity.js';
import { consumerCheckpoints } from '../../lib/events/tables.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { appendSequenced, readLog } from '../../test/helpers/events.js';
import { eventually } from '../../test/helpers/eventually.js';
import { executeAs } from '../../test/helpers/execute.js';
import { verifiesWithStockLibrary } from '../../test/helpers/stock-verify.js';
import { PATHWAY_AWARDS_CONSUMER, pathwayAwardsConsumer } from './consumers/pathway-awards.js';
import { recipientIdentitiesConsumer } from './consumers/recipient-identities.js';
import { createRecipientIdentityStore } from './db/recipient-identity-store.js';
import { createRecipientIdentitiesService } from './services/recipient-identities.js';
import type { IssuersContext } from './context.js';
import { createPathwayAwardStore } from './db/pathway-award-store.js';
import { pathwayAwardRequests } from './db/pathway-award-tables.js';
import { createSignedCredentialStore } from './db/signed-credential-store.js';
import { issuedCredentials, signedCredentials } from './db/tables.js';
import { issuers } from './index.js';
import { AwardRecipientUnknown, awardKey, createPathwayAwardsService } from './services/pathway-awards.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;
let stepAchievement: string;
let awardAchievement: string;
const members: { credentialId: string; document: Record<string, unknown> }[] = [];

const ISSUE = `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } document } }`;
const context = () => subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;

const recipientIdentities = createRecipientIdentitiesService({ store: createRecipientIdentityStore() });

/** A pathway awards service over the subgraph's tables, as a second replica would run it. */
function replica() {
  const ctx = context();
  return createPathwayAwardsService({
    db: deps.database.db,
    awards: createPathwayAwardStore(deps.database.db),
    issuance: ctx.services.issuance,
    signed: createSignedCredentialStore(deps.database.db),
    statusLists: ctx.issuance.statusLists,
    keyRing: ctx.keyRing,
    documentLoader: ctx.issuance.documentLoader,
    recipientIdentities,
    log: deps.log,
  });
}

async function recordRequests(): Promise<void> {
  const consumer = pathwayAwardsConsumer(replica(), deps.log);
  while ((await consumeBatch(deps.database.db, consumer)) > 0);
}

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await issuers.create(deps);
  issuerId = (await executeAs(subgraph, admin, `mutation { createIssuer(input: { name: "Northwind", url: "https://northwind.example" }) { issuer { id } } }`)).data!.createIssuer.issuer.id;
  const publicBaseUrl = deps.config.publicBaseUrl;
  stepAchievement = await publishAchievementEvent(deps.database.db, { issuerId, publicBaseUrl, definition: achievementDefinition({ name: 'SQL step' }) });
  awardAchievement = await publishAchievementEvent(deps.database.db, { issuerId, publicBaseUrl, definition: achievementDefinition({ name: 'Data track' }) });
  for (const score of ['Step one', 'Step two']) {
    const result = await executeAs(subgraph, admin, ISSUE, {
      input: { achievementId: stepAchievement, recipient: { email: 'ada@example.com' }, evidence: [{ kind: 'ASSESSMENT', narrative: score }], idempotencyKey: newId() },
    });
    members.push({ credentialId: result.data!.issueCredential.credential.id, document: result.data!.issueCredential.document });
  }
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

const completion = (overrides: Partial<PathwayCompletedPayload> = {}): PathwayCompletedPayload => {
  const achievementUrl = (members[0]!.document.credentialSubject as { achievement: { id: string } }).achievement.id;
  return {
    pathwayId: '0190a0a0-0000-7000-8000-0000000000f1',
    version: 1,
    issuerId,
    recipientId: '0190a0a0-0000-7000-8000-0000000000f2',
    credentialIds: members.map((member) => member.credentialId),
    completedAt: '2026-06-01T00:00:00Z',
    achievementId: awardAchievement,
    milestoneNodeId: null,
    pathwayName: 'Data track',
    recipient: { type: 'EMAIL' as never, value: 'ada@example.com' },
    members: members.map((member, index) => ({ ...member, nodeId: `r.${index}`, achievementUrl })),
    precedes: [{ sourceId: achievementUrl, targetId: achievementUrl }],
    ...overrides,
  };
};

const awardRows = () => deps.database.db.select().from(issuedCredentials).where(eq(issuedCredentials.achievementId, awardAchievement));
const clrRows = () => deps.database.db.select().from(signedCredentials).where(eq(signedCredentials.issuerId, issuerId));

describe('pathway awards', () => {
  test('a completed pathway issues the award and a CLR 2.0 record, whose outer and every inner proof verify with the stock library', async () => {
    await appendSequenced(deps.database.db, [pathwayCompletedEvent.build(completion())]);
    await recordRequests();
    expect(await replica().issuePending()).toBe(1);
    const [award] = await awardRows();
    expect(award).toBeDefined();
    const awardDocument = award!.document as any;
    // The award's achievement aligns to the member achievement (once, though two credentials of it count).
    const memberAchievement = (members[0]!.document.credentialSubject as any).achievement;
    expect(awardDocument.credentialSubject.achievement.alignment).toEqual([
      { type: ['Alignment'], targetName: memberAchievement.name, targetUrl: memberAchievement.id, targetType: 'ceterms:Credential' },
    ]);
    const narratives: string[] = awardDocument.evidence.map((entry: any) => entry.narrative);
    members.forEach((member, index) => expect(narratives[index]).toMatch(new RegExp(`step r\\.${index} .*${member.credentialId}`)));
    const [clr] = await clrRows();
    const document = clr!.document as any;
    expect(document.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(document.credentialSubject.verifiableCredential).toHaveLength(2);
    expect(document.credentialSubject.association).toEqual(
      expect.arrayContaining([expect.objectContaining({ associationType: 'isPartOf', targetId: awardDocument.credentialSubject.achievement.id }), expect.objectContaining({ associationType: 'precedes' })]),
    );
    const resolveDid = (didUrl: string) => context().keyRing.resolveDid(didUrl);
    expect(await verifiesWithStockLibrary(document, resolveDid)).toBe(true);
    for (const inner of document.credentialSubject.verifiableCredential) expect(await verifiesWithStockLibrary(inner, resolveDid)).toBe(true);
    expect(await verifiesWithStockLibrary(awardDocument, resolveDid)).toBe(true);
    // Both reach the wallet through CredentialIssued.
    const issued = (await readLog(deps.database.db, { after: 0, limit: 1000, types: [EventType.CREDENTIAL_ISSUED] })).map((event) => credentialIssuedEvent.parse(event.payload).credentialId);
    expect(issued).toEqual(expect.arrayContaining([award!.id, clr!.id]));
  });

  test('the event replayed appends nothing more; two replicas draining one request at once issue one award and one CLR', async () => {
    await appendSequenced(deps.database.db, [pathwayCompletedEvent.build(completion())]);
    await deps.database.db.update(consumerCheckpoints).set({ cursor: 0 }).where(eq(consumerCheckpoints.consumer, PATHWAY_AWARDS_CONSUMER));
    await recordRequests();
    expect(await replica().issuePending()).toBe(0);
    expect(await awardRows()).toHaveLength(1);
    expect(await clrRows()).toHaveLength(1);

    await appendSequenced(deps.database.db, [pathwayCompletedEvent.build(completion({ recipientId: '0190a0a0-0000-7000-8000-0000000000f4' }))]);
    await recordRequests();
    await Promise.all([replica().issuePending(), replica().issuePending()]);
    expect(await awardRows()).toHaveLength(2);
    expect(await clrRows()).toHaveLength(2);
  });

  test('a SUSPENDED standing suspends the award credential, ACTIVE again reinstates it; FLAGGED leaves it valid', async () => {
    const [award] = await awardRows();
    const standing = (previous: string, next: string) =>
      pathwayAwardStandingChangedEvent.build({
        pathwayId: completion().pathwayId,
        version: 1,
        issuerId,
        recipientId: completion().recipientId,
        milestoneNodeId: null,
        standing: next as never,
        previous: previous as never,
        lapsedCredentialIds: [],
      });
    const statusOf = async () => (await deps.database.db.select().from(issuedCredentials).where(eq(issuedCredentials.id, award!.id)))[0]!.status;
    await appendSequenced(deps.database.db, [standing('ACTIVE', 'SUSPENDED')]);
    await recordRequests();
    expect(await replica().applyStandings()).toBe(1);
    expect(await statusOf()).toBe('SUSPENDED');
    await appendSequenced(deps.database.db, [standing('SUSPENDED', 'ACTIVE')]);
    await recordRequests();
    expect(await replica().applyStandings()).toBe(1);
    expect(await statusOf()).toBe('ACTIVE');
    await appendSequenced(deps.database.db, [standing('ACTIVE', 'FLAGGED')]);
    await recordRequests();
    expect(await replica().applyStandings()).toBe(0);
    expect(await statusOf()).toBe('ACTIVE');
  });

  test('a milestone issues its award without a CLR', async () => {
    await appendSequenced(deps.database.db, [pathwayCompletedEvent.build(completion({ milestoneNodeId: 'r.0', credentialIds: [members[0]!.credentialId] }))]);
    await recordRequests();
    const before = (await clrRows()).length;
    await replica().issuePending();
    expect(await awardRows()).toHaveLength(3);
    expect(await clrRows()).toHaveLength(before);
  });

  test('a completion naming no identity is retried by the consumer until the recipient-identities projection knows one, then awarded to the verified address', async () => {
    const recipientId = '0190a0a0-0000-7000-8000-0000000000f3';
    const completed = completion({ recipientId, recipient: null });
    await appendSequenced(deps.database.db, [pathwayCompletedEvent.build(completed)]);
    // The subgraph's own consumer (running in the background, with its retry rules) or this call meets the event first.
    const failure = await consumeBatch(deps.database.db, pathwayAwardsConsumer(replica(), deps.log)).catch((error: unknown) => error);
    if (failure instanceof ConsumerEventFailed) expect(failure.cause).toBeInstanceOf(AwardRecipientUnknown);
    const awardCheckpoint = () => deps.database.db.select().from(consumerCheckpoints).where(eq(consumerCheckpoints.consumer, PATHWAY_AWARDS_CONSUMER));
    const [waiting] = await eventually(awardCheckpoint, ([row]) => (row?.attempts ?? 0) >= 1);
    expect(waiting).toMatchObject({ failingCursor: expect.any(Number), lastError: expect.stringMatching(/No identity/) });
    expect(await createPathwayAwardStore(deps.database.db).find(awardKey(completed))).toBeNull();

    await appendSequenced(deps.database.db, [
      recipientCreatedEvent.build({ recipientId, identities: [{ type: IdentityType.EMAIL, value: 'grace@old.example', verified: false }] }),
      recipientIdentityAddedEvent.build({ recipientId, identity: { type: IdentityType.EMAIL, value: 'grace@example.com' }, verified: true }),
    ]);
    const projection = recipientIdentitiesConsumer(recipientIdentities, deps.log);
    while ((await consumeBatch(deps.database.db, projection)) > 0);
    // The retry falls due (the consumer's backoff) and records the request, to the verified address.
    const request = await eventually(
      () => createPathwayAwardStore(deps.database.db).find(awardKey(completed)),
      (row) => row !== null,
    );
    expect(request).toMatchObject({ recipient: { type: 'EMAIL', value: 'grace@example.com' } });
    expect((await awardCheckpoint())[0]).toMatchObject({ failingCursor: null, attempts: 0 });
    await replica().issuePending();
    await eventually(() => createPathwayAwardStore(deps.database.db).find(awardKey(completed)), (row) => row?.status === 'ISSUED');
    const issued = (await readLog(deps.database.db, { after: 0, limit: 1000, types: [EventType.CREDENTIAL_ISSUED] })).map((event) => credentialIssuedEvent.parse(event.payload));
    expect(issued.filter((payload) => payload.achievementId === awardAchievement && payload.recipient.value === 'grace@example.com')).toHaveLength(1);
    expect((await deps.database.db.select().from(pathwayAwardRequests)).filter((row) => row.status === 'FAILED')).toEqual([]);
  });
});
