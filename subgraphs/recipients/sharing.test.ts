import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { recipients } from './index.js';

// Shares and consents in the recipients subgraph on the real test database, without the gateway: portfolio shares
// are frozen, granting again replaces a consent, and a merge hands shares and consents to the survivor.

const key = '0190a0a0-0000-7000-8000-000000000001';
const acme = '0190a0a0-0000-7000-8000-0000000000c1';
const admin: Viewer = { kind: 'ADMIN', apiKeyId: key };
const employer: Viewer = { kind: 'EMPLOYER', apiKeyId: key, employerId: acme };
const recipientKey = (recipientId: string): Viewer => ({ kind: 'RECIPIENT', apiKeyId: key, recipientId });

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;

async function recipientWithCredentials(email: string, count: number): Promise<{ viewer: Viewer; id: string; credentialIds: string[] }> {
  const created = await executeAs(subgraph, admin, `mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  const id = created.data!.createRecipient.recipient.id;
  const signing = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(signing.publicKeyMultibase);
  const credentialIds: string[] = [];
  for (let index = 0; index < count; index++) {
    const credential = await signCredential({
      credential: buildSampleAchievementCredential({ issuerId: did, id: `urn:uuid:${newId()}`, validFrom: '2025-01-01T00:00:00Z' }),
      signer: { verificationMethod, privateKey: signing.privateKey },
      documentLoader: createDocumentLoader(),
    });
    const imported = await executeAs(subgraph, recipientKey(id), `mutation ($c: JSON) { importCredential(input: { credential: $c }) { credential { id } } }`, { c: credential });
    expect(imported.errors).toBeUndefined();
    credentialIds.push(imported.data!.importCredential.credential.id);
  }
  return { viewer: recipientKey(id), id, credentialIds };
}

beforeAll(async () => {
  deps = await createTestDeps();
  subgraph = await recipients.create(deps);
});
afterAll(async () => {
  await subgraph.close();
  await deps.dispose();
});

describe('shares and consents', () => {
  test('a share made from a portfolio keeps the portfolio’s credentials of that moment', async () => {
    const ada = await recipientWithCredentials('ada@share.example', 3);
    const portfolio = await executeAs(subgraph, ada.viewer, `mutation ($ids: [ID!]!) { createPortfolio(input: { name: "Data", credentialIds: $ids }) { portfolio { id } } }`, { ids: ada.credentialIds.slice(0, 2) });
    const portfolioId = portfolio.data!.createPortfolio.portfolio.id;
    const created = await executeAs(subgraph, ada.viewer, `mutation ($id: ID!) { createShare(input: { portfolioId: $id, audience: PUBLIC }) { token share { portfolioId } } }`, { id: portfolioId });
    expect(created.errors).toBeUndefined();
    await executeAs(subgraph, ada.viewer, `mutation ($id: ID!, $ids: [ID!]!) { updatePortfolio(input: { id: $id, credentialIds: $ids }) { portfolio { id } } }`, { id: portfolioId, ids: [ada.credentialIds[2]] });
    const opened = await executeAs(subgraph, { kind: 'ANONYMOUS' }, `query ($t: String!) { share(token: $t) { credentials { edges { node { id } } } } }`, { t: created.data!.createShare.token });
    expect(opened.data!.share.credentials.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(ada.credentialIds.slice(0, 2));
  });

  test('granting again replaces the consent; the employer then reads under the new scope', async () => {
    const bob = await recipientWithCredentials('bob@share.example', 2);
    const GRANT = `mutation ($scope: ConsentScope!) { grantConsent(input: { employerId: "${acme}", scope: $scope }) { consent { id scope } } }`;
    await executeAs(subgraph, bob.viewer, GRANT, { scope: 'PUBLIC_AND_SHARED' });
    const none = await executeAs(subgraph, employer, `query ($id: ID!) { candidate(recipientId: $id) { credentials { totalCount } } }`, { id: bob.id });
    expect(none.data!.candidate.credentials.totalCount).toBe(0);
    await executeAs(subgraph, bob.viewer, GRANT, { scope: 'ALL' });
    const consents = await executeAs(subgraph, bob.viewer, `query ($id: ID!) { recipient(id: $id) { consents { scope } } }`, { id: bob.id });
    expect(consents.data!.recipient.consents).toEqual([{ scope: 'ALL' }]);
    const all = await executeAs(subgraph, employer, `query ($id: ID!) { candidate(recipientId: $id) { credentials { totalCount } } }`, { id: bob.id });
    expect(all.data!.candidate.credentials.totalCount).toBe(2);
  });

  test('a share listing a copy that a merge drops (both wallets held the credential) shows the kept copy', async () => {
    const signing = importSigningKey(generateSigningKey());
    const { did, verificationMethod } = didKeyFor(signing.publicKeyMultibase);
    const credential = await signCredential({
      credential: buildSampleAchievementCredential({ issuerId: did, id: `urn:uuid:${newId()}`, validFrom: '2025-01-01T00:00:00Z' }),
      signer: { verificationMethod, privateKey: signing.privateKey },
      documentLoader: createDocumentLoader(),
    });
    const holders = await Promise.all(['dora@share.example', 'dora.old@share.example'].map((email) => recipientWithCredentials(email, 0)));
    const copies: string[] = [];
    for (const holder of holders) {
      const imported = await executeAs(subgraph, holder.viewer, `mutation ($c: JSON) { importCredential(input: { credential: $c }) { credential { id } } }`, { c: credential });
      copies.push(imported.data!.importCredential.credential.id);
    }
    const [survivor, merged] = holders as [(typeof holders)[0], (typeof holders)[0]];
    const created = await executeAs(subgraph, merged.viewer, `mutation ($ids: [ID!]!) { createShare(input: { credentialIds: $ids, audience: PUBLIC }) { token } }`, { ids: [copies[1]] });
    const token = created.data!.createShare.token;
    const merge = await executeAs(subgraph, admin, `mutation ($a: ID!, $b: ID!) { mergeRecipients(input: { recipientId: $a, otherRecipientId: $b }) { recipient { id } } }`, { a: survivor.id, b: merged.id });
    expect(merge.errors).toBeUndefined();
    const opened = await executeAs(subgraph, { kind: 'ANONYMOUS' }, `query ($t: String!) { share(token: $t) { credentials { edges { node { id } } } } }`, { t: token });
    expect(opened.errors).toBeUndefined();
    // Equal validFrom: the survivor's copy is kept, and the share now shows it.
    expect(opened.data!.share.credentials.edges).toEqual([{ node: { id: copies[0] } }]);
  });

  test('a merge hands the merged record’s shares and consents to the survivor', async () => {
    const survivor = await recipientWithCredentials('carol@share.example', 1);
    const merged = await recipientWithCredentials('carol.old@share.example', 1);
    await executeAs(subgraph, merged.viewer, `mutation { grantConsent(input: { employerId: "${acme}", scope: ALL }) { consent { id } } }`);
    const share = await executeAs(subgraph, merged.viewer, `mutation ($ids: [ID!]!) { createShare(input: { credentialIds: $ids, audience: PUBLIC }) { share { id } } }`, { ids: merged.credentialIds });
    const merge = await executeAs(subgraph, admin, `mutation ($a: ID!, $b: ID!) { mergeRecipients(input: { recipientId: $a, otherRecipientId: $b }) { recipient { id } } }`, { a: survivor.id, b: merged.id });
    expect(merge.errors).toBeUndefined();
    const after = await executeAs(subgraph, survivor.viewer, `query ($id: ID!) { recipient(id: $id) { shares { id } consents { employerId } } }`, { id: survivor.id });
    expect(after.data!.recipient).toEqual({ shares: [{ id: share.data!.createShare.share.id }], consents: [{ employerId: acme }] });
    const candidate = await executeAs(subgraph, employer, `query ($id: ID!) { candidate(recipientId: $id) { recipientId credentials { totalCount } } }`, { id: survivor.id });
    expect(candidate.data!.candidate).toEqual({ recipientId: survivor.id, credentials: { totalCount: 2 } });
  });
});
