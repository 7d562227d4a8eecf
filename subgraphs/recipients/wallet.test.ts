import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { appendEvents } from '../../lib/events/outbox.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { BASIC_OB3_EXAMPLE, readConformanceJson } from '../../test/helpers/conformance-fixtures.js';
import { executeAs } from '../../test/helpers/execute.js';
import { recipients } from './index.js';
import { readLog } from '../../test/helpers/events.js';

// The wallet on the real test database: import (verified, duplicates by the OB equality rule), visibility, portfolios.
// Credentials are OB 3.0 spec examples signed here with did:key keys, so nothing is fetched.

const key = '0190a0a0-0000-7000-8000-000000000001';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: key };
const anonymous: Viewer = { kind: 'ANONYMOUS' };
const recipientKey = (recipientId: string): Viewer => ({ kind: 'RECIPIENT', apiKeyId: key, recipientId });

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let ada: Viewer;
let grace: Viewer;

/** The spec example issued by a fresh did:key issuer, with the given changes, signed. */
function issuerOf(name: string) {
  const signing = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(signing.publicKeyMultibase);
  return {
    did,
    sign(changes: Record<string, unknown> = {}) {
      const example = readConformanceJson(BASIC_OB3_EXAMPLE);
      const credential = { ...example, issuer: { ...example.issuer, id: did, name }, ...changes };
      return signCredential({ credential, signer: { verificationMethod, privateKey: signing.privateKey }, documentLoader: createDocumentLoader() });
    },
  };
}

const IMPORT = `mutation ($input: ImportCredentialInput!) { importCredential(input: $input) {
  duplicate replaced verdict { status checks { name passed } }
  credential { id name source format issuerUri credentialUri issuerName achievementName validFrom visibility document importVerdict { status } }
} }`;
const importAs = (viewer: Viewer, input: Record<string, unknown>) => executeAs(subgraph, viewer, IMPORT, { input });

async function createRecipient(email: string): Promise<string> {
  const created = await executeAs(subgraph, admin, `mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  return created.data!.createRecipient.recipient.id;
}

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await recipients.create(deps);
  ada = recipientKey(await createRecipient('ada@wallet.example'));
  grace = recipientKey(await createRecipient('grace@wallet.example'));
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

describe('importCredential', () => {
  const northwind = issuerOf('Northwind Academy');

  test('a verified OB 3.0 credential gets a wallet id, source IMPORTED, its view, PRIVATE, and a CredentialImported event', async () => {
    const signed = await northwind.sign();
    const result = await importAs(ada, { credential: signed });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.importCredential;
    expect(payload).toMatchObject({
      duplicate: false,
      replaced: false,
      verdict: { status: 'VALID' },
      credential: {
        name: 'Teamwork Badge',
        source: 'IMPORTED',
        format: 'VC_2_0',
        issuerUri: northwind.did,
        credentialUri: 'http://example.com/credentials/3527',
        issuerName: 'Northwind Academy',
        achievementName: 'Teamwork',
        validFrom: new Date('2010-01-01T00:00:00Z'),
        visibility: 'PRIVATE',
        document: signed,
        importVerdict: { status: 'VALID' },
      },
    });
    expect(payload.credential.id).not.toBe('http://example.com/credentials/3527');
    const events = await readLog(deps.database.db, { after: 0, limit: 50, types: [EventType.CREDENTIAL_IMPORTED] });
    expect(events.map((event) => event.payload)).toContainEqual(expect.objectContaining({ credentialId: payload.credential.id, replaced: false, status: 'VALID' }));

    const again = await importAs(ada, { credential: signed });
    expect(again.data!.importCredential).toMatchObject({ duplicate: true, replaced: false, credential: { id: payload.credential.id } });
    const wallet = await executeAs(subgraph, ada, `query ($id: ID!) { recipient(id: $id) { credentials { totalCount } } }`, { id: (ada as { recipientId: string }).recipientId });
    expect(wallet.data!.recipient.credentials.totalCount).toBe(1);
  });

  test('a tampered credential is refused, BAD_USER_INPUT with the failed proof check, and nothing is written', async () => {
    const signed = await northwind.sign({ id: 'urn:uuid:tampered-1' });
    const before = await readLog(deps.database.db, { after: 0, limit: 500 });
    const result = await importAs(ada, { credential: { ...signed, name: 'Forged Badge' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CREDENTIAL_INVALID', status: 'INVALID' });
    expect(result.errors?.[0]?.extensions?.failedChecks).toContainEqual(expect.objectContaining({ name: 'proof', passed: false }));
    expect(await readLog(deps.database.db, { after: 0, limit: 500 })).toHaveLength(before.length);
  });

  test('a credential whose subject names no recipient verifies but is not imported into a named wallet', async () => {
    const example = readConformanceJson(BASIC_OB3_EXAMPLE);
    const { id: _id, identifier: _identifier, ...anonymousSubject } = example.credentialSubject;
    const signed = await northwind.sign({ id: 'urn:uuid:anonymous-1', credentialSubject: anonymousSubject });
    const before = await readLog(deps.database.db, { after: 0, limit: 500 });
    const result = await importAs(ada, { credential: signed });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CREDENTIAL_NAMES_NO_RECIPIENT', status: 'VALID' });
    expect(result.errors?.[0]?.message).toMatch(/names no recipient/);
    expect(await readLog(deps.database.db, { after: 0, limit: 500 })).toHaveLength(before.length);
  });

  test('an expired credential is kept, with its EXPIRED verdict', async () => {
    const signed = await northwind.sign({ id: 'urn:uuid:expired-1', validUntil: '2011-01-01T00:00:00Z' });
    const result = await importAs(ada, { credential: signed });
    expect(result.errors).toBeUndefined();
    expect(result.data!.importCredential).toMatchObject({ duplicate: false, credential: { importVerdict: { status: 'EXPIRED' } } });
  });

  test('a newer validFrom replaces the held copy in place; an older one is a duplicate', async () => {
    const older = await northwind.sign({ id: 'urn:uuid:reissued-1', validFrom: '2010-01-01T00:00:00Z' });
    const newer = await northwind.sign({ id: 'urn:uuid:reissued-1', validFrom: '2010-03-01T00:00:00Z', name: 'Teamwork Badge (renewed)' });
    const first = (await importAs(ada, { credential: older })).data!.importCredential.credential;
    const replaced = (await importAs(ada, { credential: newer })).data!.importCredential;
    expect(replaced).toMatchObject({ duplicate: false, replaced: true, credential: { id: first.id, name: 'Teamwork Badge (renewed)', document: newer } });
    const stale = (await importAs(ada, { credential: older })).data!.importCredential;
    expect(stale).toMatchObject({ duplicate: true, credential: { id: first.id, validFrom: new Date('2010-03-01T00:00:00Z') } });
  });

  test('another wallet may hold the same credential; the equality rule is per wallet', async () => {
    const signed = await northwind.sign({ id: 'urn:uuid:shared-1' });
    expect((await importAs(ada, { credential: signed })).data!.importCredential.duplicate).toBe(false);
    expect((await importAs(grace, { credential: signed })).data!.importCredential.duplicate).toBe(false);
  });

  test('a credential this hub delivered already is a duplicate of its delivered copy', async () => {
    const hubIssuerId = newId();
    const credentialId = newId();
    const document = await northwind.sign({ id: `urn:uuid:${credentialId}` });
    await deps.database.db.transaction((tx) =>
      appendEvents(tx, [
        {
          type: EventType.CREDENTIAL_ISSUED,
          issuerId: hubIssuerId,
          payload: { credentialId, issuerId: hubIssuerId, name: 'Teamwork Badge', issuedAt: new Date().toISOString(), recipient: { type: 'EMAIL', value: 'grace@wallet.example' }, document },
        },
      ]),
    );
    await vi.waitFor(async () => expect((await executeAs(subgraph, grace, `query ($id: ID!) { credential(id: $id) { id } }`, { id: credentialId })).data?.credential).toBeTruthy(), {
      timeout: 10_000,
      interval: 100,
    });
    const result = await importAs(grace, { credential: document });
    expect(result.data!.importCredential).toMatchObject({ duplicate: true, credential: { id: credentialId, source: 'ISSUED' } });
  });

  test('who may import: a recipient into its own wallet, operators naming one; not anonymous, not into another wallet', async () => {
    const signed = await northwind.sign({ id: 'urn:uuid:who-1' });
    expect((await importAs(anonymous, { credential: signed })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await importAs(ada, { credential: signed, recipientId: (grace as { recipientId: string }).recipientId })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect((await importAs(admin, { credential: signed })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await importAs(admin, { credential: signed, recipientId: (grace as { recipientId: string }).recipientId })).errors).toBeUndefined();
    expect((await importAs(ada, {})).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('visibility', () => {
  test('PRIVATE: the holder and operators only; PUBLIC: anyone; only the holder changes it', async () => {
    const signed = await issuerOf('Visibility College').sign({ id: 'urn:uuid:visible-1' });
    const id = (await importAs(ada, { credential: signed })).data!.importCredential.credential.id;
    const read = (viewer: Viewer) => executeAs(subgraph, viewer, `query ($id: ID!) { credential(id: $id) { id visibility } }`, { id });
    expect((await read(ada)).data!.credential).toEqual({ id, visibility: 'PRIVATE' });
    expect((await read(admin)).data!.credential).toEqual({ id, visibility: 'PRIVATE' });
    expect((await read(anonymous)).data!.credential).toBeNull();
    expect((await read(grace)).data!.credential).toBeNull();

    const SET = `mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { id visibility } } }`;
    expect((await executeAs(subgraph, grace, SET, { input: { credentialId: id, visibility: 'PUBLIC' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await executeAs(subgraph, ada, SET, { input: { credentialId: id, visibility: 'PUBLIC' } })).data!.setCredentialVisibility.credential).toEqual({ id, visibility: 'PUBLIC' });
    expect((await read(anonymous)).data!.credential).toEqual({ id, visibility: 'PUBLIC' });
    expect((await executeAs(subgraph, grace, SET, { input: { credentialId: id, visibility: 'PRIVATE' } })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    // Public is the credential, not its holder.
    expect((await executeAs(subgraph, anonymous, `query ($id: ID!) { credential(id: $id) { recipient { id } } }`, { id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test("the holder's name goes with a credential only once they made it PUBLIC, for every reader alike", async () => {
    const created = await executeAs(subgraph, admin, `mutation { createRecipient(input: { name: "Margaret Hamilton", identities: [{ type: EMAIL, value: "margaret@wallet.example" }] }) { recipient { id } } }`);
    const margaret = recipientKey(created.data!.createRecipient.recipient.id);
    const signed = await issuerOf('Apollo Guidance').sign({ id: 'urn:uuid:named-1' });
    const id = (await importAs(margaret, { credential: signed })).data!.importCredential.credential.id;
    const nameAs = async (viewer: Viewer) => (await executeAs(subgraph, viewer, `query ($id: ID!) { credential(id: $id) { holderName } }`, { id })).data!.credential?.holderName;
    expect([await nameAs(margaret), await nameAs(admin)]).toEqual([null, null]);
    await executeAs(subgraph, margaret, `mutation ($id: ID!) { setCredentialVisibility(input: { credentialId: $id, visibility: SHARED_ONLY }) { credential { id } } }`, { id });
    expect(await nameAs(margaret)).toBeNull();
    await executeAs(subgraph, margaret, `mutation ($id: ID!) { setCredentialVisibility(input: { credentialId: $id, visibility: PUBLIC }) { credential { id } } }`, { id });
    expect([await nameAs(anonymous), await nameAs(grace), await nameAs(margaret)]).toEqual(['Margaret Hamilton', 'Margaret Hamilton', 'Margaret Hamilton']);
  });
});

describe('portfolios', () => {
  const PORTFOLIO = `id name description credentials { totalCount edges { node { id issuerName } } }`;

  test('create across issuers in the given order, re-order and rename, list on the recipient, delete', async () => {
    const first = (await importAs(ada, { credential: await issuerOf('Issuer One').sign({ id: 'urn:uuid:p-1' }) })).data!.importCredential.credential.id;
    const second = (await importAs(ada, { credential: await issuerOf('Issuer Two').sign({ id: 'urn:uuid:p-2' }) })).data!.importCredential.credential.id;
    const created = await executeAs(subgraph, ada, `mutation ($input: CreatePortfolioInput!) { createPortfolio(input: $input) { portfolio { ${PORTFOLIO} } } }`, {
      input: { name: ' Data work ', credentialIds: [second, first] },
    });
    expect(created.errors).toBeUndefined();
    const portfolio = created.data!.createPortfolio.portfolio;
    expect(portfolio).toMatchObject({ name: 'Data work', description: null, credentials: { totalCount: 2 } });
    expect(portfolio.credentials.edges.map((edge: { node: { issuerName: string } }) => edge.node.issuerName)).toEqual(['Issuer Two', 'Issuer One']);

    const UPDATE = `mutation ($input: UpdatePortfolioInput!) { updatePortfolio(input: $input) { portfolio { ${PORTFOLIO} } } }`;
    const updated = await executeAs(subgraph, ada, UPDATE, { input: { id: portfolio.id, name: 'Data engineering', description: 'Selected', credentialIds: [first, second] } });
    expect(updated.data!.updatePortfolio.portfolio).toMatchObject({ name: 'Data engineering', description: 'Selected' });
    expect(updated.data!.updatePortfolio.portfolio.credentials.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([first, second]);

    const paged = await executeAs(subgraph, ada, `query ($id: ID!) { portfolio(id: $id) { credentials(first: 1) { pageInfo { hasNextPage endCursor } edges { node { id } } } } }`, { id: portfolio.id });
    const { endCursor } = paged.data!.portfolio.credentials.pageInfo;
    const rest = await executeAs(subgraph, ada, `query ($id: ID!, $after: String) { portfolio(id: $id) { credentials(first: 5, after: $after) { edges { node { id } } } } }`, { id: portfolio.id, after: endCursor });
    expect(rest.data!.portfolio.credentials.edges).toEqual([{ node: { id: second } }]);

    const listed = await executeAs(subgraph, ada, `query ($id: ID!) { recipient(id: $id) { portfolios { totalCount edges { node { id name } } } } }`, { id: (ada as { recipientId: string }).recipientId });
    expect(listed.data!.recipient.portfolios).toEqual({ totalCount: 1, edges: [{ node: { id: portfolio.id, name: 'Data engineering' } }] });

    expect((await executeAs(subgraph, grace, `query ($id: ID!) { portfolio(id: $id) { id } }`, { id: portfolio.id })).data!.portfolio).toBeNull();
    expect((await executeAs(subgraph, grace, UPDATE, { input: { id: portfolio.id, name: 'Mine now' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const deleted = await executeAs(subgraph, ada, `mutation ($id: ID!) { deletePortfolio(input: { id: $id }) { deletedPortfolioId } }`, { id: portfolio.id });
    expect(deleted.data!.deletePortfolio.deletedPortfolioId).toBe(portfolio.id);
    expect((await executeAs(subgraph, ada, `query ($id: ID!) { portfolio(id: $id) { id } }`, { id: portfolio.id })).data!.portfolio).toBeNull();
  });

  test('someone else’s credential, a repeat or a non-id is a BAD_USER_INPUT naming the ids, and nothing is created', async () => {
    const graces = (await importAs(grace, { credential: await issuerOf('Issuer Three').sign({ id: 'urn:uuid:p-3' }) })).data!.importCredential.credential.id;
    const CREATE = `mutation ($input: CreatePortfolioInput!) { createPortfolio(input: $input) { portfolio { id } } }`;
    const foreign = await executeAs(subgraph, ada, CREATE, { input: { name: 'Borrowed', credentialIds: [graces] } });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'credentialIds', credentialIds: [graces] });
    const repeated = await executeAs(subgraph, grace, CREATE, { input: { name: 'Twice', credentialIds: [graces, graces] } });
    expect(repeated.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', credentialIds: [graces] });
    expect((await executeAs(subgraph, grace, CREATE, { input: { name: 'Bad', credentialIds: ['nope'] } })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const listed = await executeAs(subgraph, ada, `query ($id: ID!) { recipient(id: $id) { portfolios { totalCount } } }`, { id: (ada as { recipientId: string }).recipientId });
    expect(listed.data!.recipient.portfolios.totalCount).toBe(0);
  });
});
