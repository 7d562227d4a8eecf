import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { credentialIssuedEvent } from '../../lib/events/contracts/credential-issued.js';
import { EventType } from '../../lib/events/types.js';
import { BASIC_OB3_EXAMPLE, readConformanceJson } from '../helpers/conformance-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { readLog } from '../helpers/events.js';
import { employerKey } from '../helpers/employer-view.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { verifiesWithStockLibrary } from '../helpers/stock-verify.js';

// A pathway through the real gateway: five credentials from two issuers of this hub and one outside issuer (imported
// into the wallet) complete it; the award and the CLR arrive in the wallet exactly once and verify with the stock
// library; a SEQUENCE earned out of order does not complete; revoking a member credential flags the award.

let hub: TestHub;
const origin = () => hub.gateway.url.replace(/\/graphql$/, '');

interface Issuer {
  id: string;
  key: string;
  achievement(name: string): Promise<string>;
  issue(achievementId: string, email: string): Promise<string>;
}

async function issuer(name: string): Promise<Issuer> {
  const created = await hub.gql(`mutation ($name: String!) { createIssuer(input: { name: $name, url: "https://issuer.example" }) { issuer { id } } }`, { name });
  const id = created.data.createIssuer.issuer.id as string;
  const key = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id })).data.createApiKey.secret as string;
  let serial = 0;
  return {
    id,
    key,
    async achievement(achievementName) {
      const made = await hub.gql(
        `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
        { input: { issuerId: id, name: achievementName, description: `${achievementName}.`, criteria: { narrative: 'Completed.' }, achievementType: 'Course' } },
        key,
      );
      const achievementId = made.data.createAchievement.achievement.id as string;
      expect((await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }`, { id: achievementId }, key)).errors).toBeUndefined();
      return achievementId;
    },
    async issue(achievementId, email) {
      serial += 1;
      const issued = await hub.gql(
        `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`,
        { input: { achievementId, recipient: { email }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }], idempotencyKey: `${email}-${serial}` } },
        key,
      );
      expect(issued.errors).toBeUndefined();
      return issued.data.issueCredential.credential.id as string;
    },
  };
}

async function recipient(email: string): Promise<string> {
  const created = await hub.gql(`mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  const id = created.data.createRecipient.recipient.id;
  return (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "wallet", principal: RECIPIENT, recipientId: $id }) { secret } }`, { id })).data.createApiKey.secret;
}

const WALLET = `{ me { recipient { pathways { satisfied percent next awards { nodeId standing } pathway { name } }
  credentials(first: 50) { edges { node { id name document } } } } } }`;

let northwind: Issuer;
let harbor: Issuer;
let steps: string[];
let award: string;
let outsideDid: string;
let outsideCredential: () => Promise<Record<string, unknown>>;
let pathwayId: string;
const newIdLike = '0190a0a0-0000-7000-8000-0000000000ff';

beforeAll(async () => {
  hub = await startTestHub();
  northwind = await issuer('Northwind');
  harbor = await issuer('Harbor');
  steps = [await northwind.achievement('SQL'), await northwind.achievement('Pipelines'), await northwind.achievement('Modelling'), await harbor.achievement('Cloud')];
  award = await northwind.achievement('Data Engineer');
  const signing = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(signing.publicKeyMultibase);
  outsideDid = did;
  outsideCredential = () => {
    const example = readConformanceJson(BASIC_OB3_EXAMPLE);
    return signCredential({ credential: { ...example, issuer: { ...example.issuer, id: did } }, signer: { verificationMethod, privateKey: signing.privateKey }, documentLoader: createDocumentLoader() });
  };
  const outsideAchievement = ((await outsideCredential()).credentialSubject as { achievement: { id: string } }).achievement.id;
  const leaf = (achievement: string) => ({ kind: 'ACHIEVEMENT', achievement });
  const created = await hub.gql(
    `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
    {
      input: {
        issuerId: northwind.id,
        name: 'Data engineering track',
        description: 'Five credentials, two of them in order.',
        requirement: { kind: 'ALL_OF', children: [{ kind: 'SEQUENCE', children: [leaf(steps[0]!), leaf(steps[1]!)] }, leaf(steps[2]!), leaf(steps[3]!), leaf(outsideAchievement)] },
        award: { achievementId: award },
        acceptExternal: { mode: 'LIST', issuers: [did] },
        revocationPolicy: 'FLAG',
      },
    },
    northwind.key,
  );
  expect(created.errors).toBeUndefined();
  pathwayId = created.data.createPathway.pathway.id;
  expect((await hub.gql(`mutation ($id: ID!) { publishPathway(input: { id: $id }) { pathway { status } } }`, { id: pathwayId }, northwind.key)).errors).toBeUndefined();
}, 120_000);
afterAll(() => hub?.dispose());

async function didDocuments(): Promise<Map<string, object>> {
  const documents = new Map<string, object>();
  for (const { id } of [northwind, harbor]) {
    const document = (await (await fetch(`${origin()}/issuers/${id}/did.json`)).json()) as { id: string };
    documents.set(document.id, document);
  }
  return documents;
}

describe('pathways through the gateway', () => {
  test('five credentials across two issuers and an imported one complete the pathway: the award and the CLR arrive once and verify', async () => {
    const adaKey = await recipient('ada@pathway.example');
    const memberIds = [
      await northwind.issue(steps[0]!, 'ada@pathway.example'),
      await northwind.issue(steps[1]!, 'ada@pathway.example'),
      await northwind.issue(steps[2]!, 'ada@pathway.example'),
      await harbor.issue(steps[3]!, 'ada@pathway.example'),
    ];
    const before = await eventually(() => hub.gql(WALLET, {}, adaKey), (result) => result.data?.me.recipient.pathways[0]?.percent >= 80);
    expect(before.data.me.recipient.pathways[0]).toMatchObject({ satisfied: false, pathway: { name: 'Data engineering track' } });
    const imported = await hub.gql(`mutation ($input: ImportCredentialInput!) { importCredential(input: $input) { verdict { status } } }`, { input: { credential: await outsideCredential() } }, adaKey);
    expect(imported.errors).toBeUndefined();

    const clrName = 'Data engineering track: comprehensive learner record';
    const done = await eventually(
      () => hub.gql(WALLET, {}, adaKey),
      (result) => result.data?.me.recipient.credentials.edges.some((edge: any) => edge.node.name === clrName),
      30_000,
    );
    expect(done.data.me.recipient.pathways[0]).toMatchObject({ satisfied: true, percent: 100, awards: [{ nodeId: 'r', standing: 'ACTIVE' }] });
    const wallet = done.data.me.recipient.credentials.edges.map((edge: any) => edge.node);
    expect(wallet.filter((node: any) => node.name === 'Data Engineer')).toHaveLength(1);
    const clr = wallet.find((node: any) => node.name === clrName).document;
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(clr.credentialSubject.verifiableCredential).toHaveLength(5);
    const dids = await didDocuments();
    // As a relying party resolves did:web: the DID document the hub serves, and the key the proof names in it.
    const resolveDid = async (didUrl: string) => {
      const document = dids.get(didUrl.split('#')[0]!) as { verificationMethod?: { id: string }[] } | undefined;
      if (!didUrl.includes('#')) return document;
      const method = document?.verificationMethod?.find((candidate) => candidate.id === didUrl);
      return method ? { '@context': 'https://w3id.org/security/multikey/v1', ...method } : null;
    };
    expect(await verifiesWithStockLibrary(clr, resolveDid)).toBe(true);
    for (const inner of clr.credentialSubject.verifiableCredential) expect(await verifiesWithStockLibrary(inner, resolveDid)).toBe(true);
    expect(clr.credentialSubject.verifiableCredential.map((inner: any) => inner.issuer.id)).toContain(outsideDid);

    // Exactly once: one award credential issued in the whole log, however many times the events were read.
    const issued = (await readLog(hub.deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_ISSUED] })).map((event) => credentialIssuedEvent.parse(event.payload));
    expect(issued.filter((payload) => payload.achievementId === award)).toHaveLength(1);

    // Revoking a member credential: progress says why, and the FLAG policy flags the award.
    const revoked = await hub.gql(`mutation ($id: ID!) { revokeCredential(input: { credentialId: $id, reason: "issued in error" }) { credential { id } } }`, { id: memberIds[2] }, northwind.key);
    expect(revoked.errors).toBeUndefined();
    const flagged = await eventually(() => hub.gql(WALLET, {}, adaKey), (result) => result.data?.me.recipient.pathways[0]?.awards[0]?.standing === 'FLAGGED');
    expect(flagged.data.me.recipient.pathways[0]).toMatchObject({ satisfied: false, next: ['r.1'] });

    // The employer's view of a share: the pathway as far as the shared credentials go, the award's standing and
    // verdict, the CLR; a share without the pathway's credentials shows no pathway.
    const employer = await employerKey(hub, 'Acme hiring');
    const share = async (credentialIds: string[]) => {
      const created = await hub.gql(
        `mutation ($input: CreateShareInput!) { createShare(input: $input) { token } }`,
        { input: { credentialIds, audience: 'EMPLOYER', employerId: employer.employerId } },
        adaKey,
      );
      expect(created.errors).toBeUndefined();
      return hub.gql(
        `query ($token: String!) { share(token: $token) { pathways { pathway { name } satisfied percent awardStanding award { id verification { status } } clr { id } } } }`,
        { token: created.data.createShare.token },
        employer.key,
      );
    };
    const everything = await share(wallet.map((node: any) => node.id));
    expect(everything.errors).toBeUndefined();
    const [seen] = everything.data.share.pathways;
    expect(seen).toMatchObject({ pathway: { name: 'Data engineering track' }, satisfied: false, percent: 75, awardStanding: 'FLAGGED', clr: { id: clr.id.replace('urn:uuid:', '') } });
    expect(seen.award.verification.status).toBe('VALID');
    const unrelated = await share(wallet.filter((node: any) => node.name === clrName).map((node: any) => node.id));
    expect(unrelated.data.share.pathways).toEqual([]);
  }, 90_000);

  test('the pathway’s public URL serves it as CTDL JSON-LD; a draft’s is 404', async () => {
    const served = await fetch(`${origin()}/pathways/${pathwayId}`);
    expect(served.headers.get('content-type')).toMatch(/application\/ld\+json/);
    const document = (await served.json()) as { '@graph': { '@type': string; 'ceterms:name'?: { en: string } }[] };
    expect(document['@graph'][0]).toMatchObject({ '@type': 'ceterms:Pathway', 'ceterms:name': { en: 'Data engineering track' } });
    expect(document['@graph'].filter((node) => node['@type'] === 'ceterms:CredentialComponent')).toHaveLength(6);
    const draft = await hub.gql(
      `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
      { input: { issuerId: northwind.id, name: 'Draft', description: 'x', requirement: { kind: 'ACHIEVEMENT', achievement: steps[0] }, award: { achievementId: award } } },
      northwind.key,
    );
    expect((await fetch(`${origin()}/pathways/${draft.data.createPathway.pathway.id}`)).status).toBe(404);
  });

  test('a browser gets the pathway’s page: what it earns and how to earn each part, in order', async () => {
    const page = await fetch(`${origin()}/pathways/${pathwayId}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Data engineering track');
    expect(html).toContain('All of these, in this order (each after the one before)');
    for (const name of ['SQL', 'Pipelines', 'Modelling', 'Cloud', 'Data Engineer']) expect(html).toContain(`>${name}</a>`);
    expect(html.indexOf('>SQL</a>')).toBeLessThan(html.indexOf('>Pipelines</a>'));
    expect(html).toContain('import it into your wallet');
    expect((await fetch(`${origin()}/pathways/${newIdLike}`, { headers: { accept: 'text/html' } })).status).toBe(404);
  });

  test('the SEQUENCE earned out of order does not complete', async () => {
    const graceKey = await recipient('grace@pathway.example');
    await northwind.issue(steps[1]!, 'grace@pathway.example');
    await northwind.issue(steps[0]!, 'grace@pathway.example');
    await northwind.issue(steps[2]!, 'grace@pathway.example');
    await harbor.issue(steps[3]!, 'grace@pathway.example');
    await hub.gql(`mutation ($input: ImportCredentialInput!) { importCredential(input: $input) { verdict { status } } }`, { input: { credential: await outsideCredential() } }, graceKey);
    const progress = await eventually(() => hub.gql(WALLET, {}, graceKey), (result) => result.data?.me.recipient.pathways[0]?.percent >= 80);
    expect(progress.data.me.recipient.pathways[0]).toMatchObject({ satisfied: false, next: ['r.0.1'], awards: [] });
  }, 90_000);
});
