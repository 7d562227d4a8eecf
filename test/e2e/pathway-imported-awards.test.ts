import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { credentialIssuedEvent } from '../../lib/events/contracts/credential-issued.js';
import { pathwayCompletedEvent } from '../../lib/events/contracts/pathway-completed.js';
import { EventType } from '../../lib/events/types.js';
import { BASIC_OB3_EXAMPLE, readConformanceJson } from '../helpers/conformance-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { readLog } from '../helpers/events.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// A pathway whose every member credential was imported from outside the hub: the completion names no identity the
// hub's issuers know the recipient by, so the award goes to the one the issuers subgraph projected from the
// recipients subgraph's events (RecipientCreated v2), and the award and the CLR reach the wallet.

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub?.dispose());

const WALLET = `{ me { recipient { pathways { satisfied percent awards { nodeId standing } } credentials(first: 50) { edges { node { name document } } } } } }`;

describe('a pathway completed with imported credentials only', () => {
  test('the award and the CLR are issued to the recipient’s projected e-mail address and arrive in the wallet', async () => {
    const created = await hub.gql(`mutation { createIssuer(input: { name: "Northwind", url: "https://issuer.example" }) { issuer { id } } }`);
    const issuerId = created.data.createIssuer.issuer.id as string;
    const key = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId })).data
      .createApiKey.secret as string;
    const made = await hub.gql(
      `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
      { input: { issuerId, name: 'Recognised Graduate', description: 'Recognised.', criteria: { narrative: 'Completed elsewhere.' }, achievementType: 'Course' } },
      key,
    );
    const award = made.data.createAchievement.achievement.id as string;
    expect((await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }`, { id: award }, key)).errors).toBeUndefined();

    const signing = importSigningKey(generateSigningKey());
    const { did, verificationMethod } = didKeyFor(signing.publicKeyMultibase);
    const example = readConformanceJson(BASIC_OB3_EXAMPLE);
    const outside = await signCredential({ credential: { ...example, issuer: { ...example.issuer, id: did } }, signer: { verificationMethod, privateKey: signing.privateKey }, documentLoader: createDocumentLoader() });
    const outsideAchievement = (outside.credentialSubject as { achievement: { id: string } }).achievement.id;
    const pathway = await hub.gql(
      `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
      {
        input: {
          issuerId,
          name: 'Recognition of prior learning',
          description: 'One credential from a partner.',
          requirement: { kind: 'ACHIEVEMENT', achievement: outsideAchievement },
          award: { achievementId: award },
          acceptExternal: { mode: 'LIST', issuers: [did] },
          revocationPolicy: 'KEEP',
        },
      },
      key,
    );
    expect(pathway.errors).toBeUndefined();
    const pathwayId = pathway.data.createPathway.pathway.id as string;
    expect((await hub.gql(`mutation ($id: ID!) { publishPathway(input: { id: $id }) { pathway { status } } }`, { id: pathwayId }, key)).errors).toBeUndefined();

    const recipient = await hub.gql(`mutation { createRecipient(input: { identities: [{ type: EMAIL, value: "lin@partner.example" }] }) { recipient { id } } }`);
    const recipientId = recipient.data.createRecipient.recipient.id as string;
    const wallet = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "wallet", principal: RECIPIENT, recipientId: $id }) { secret } }`, { id: recipientId })).data
      .createApiKey.secret as string;
    const imported = await hub.gql(`mutation ($input: ImportCredentialInput!) { importCredential(input: $input) { verdict { status } } }`, { input: { credential: outside } }, wallet);
    expect(imported.errors).toBeUndefined();

    const clrName = 'Recognition of prior learning: comprehensive learner record';
    const done = await eventually(
      () => hub.gql(WALLET, {}, wallet),
      (result) => result.data?.me.recipient.credentials.edges.some((edge: any) => edge.node.name === clrName),
      45_000,
    );
    expect(done.data.me.recipient.pathways[0]).toMatchObject({ satisfied: true, percent: 100, awards: [{ nodeId: 'r', standing: 'ACTIVE' }] });
    const names = done.data.me.recipient.credentials.edges.map((edge: any) => edge.node.name);
    expect(names.filter((name: string) => name === 'Recognised Graduate')).toHaveLength(1);
    expect(names.filter((name: string) => name === clrName)).toHaveLength(1);

    // The completion named no identity (the only member was imported): the award went to the projected address.
    const completions = (await readLog(hub.deps.database.db, { after: 0, limit: 10_000, types: [EventType.PATHWAY_COMPLETED] })).map((event) => pathwayCompletedEvent.parse(event.payload));
    expect(completions.filter((payload) => payload.pathwayId === pathwayId).map((payload) => payload.recipient)).toEqual([null]);
    const issued = (await readLog(hub.deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_ISSUED] })).map((event) => credentialIssuedEvent.parse(event.payload));
    expect(issued.filter((payload) => payload.achievementId === award).map((payload) => payload.recipient)).toEqual([expect.objectContaining({ type: 'EMAIL', value: 'lin@partner.example' })]);
  }, 120_000);
});
