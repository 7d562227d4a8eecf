import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bakePng } from '../../lib/badges/bake.js';
import { renderPng } from '../../lib/badges/render.js';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { BASIC_OB3_EXAMPLE, readConformanceJson } from '../helpers/conformance-fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// The wallet through the real gateway: a recipient imports an OB 3.0 spec example signed here by a did:key issuer,
// as JSON and as a baked PNG (one entry), a tampered copy is refused, an expired one kept, a newer one replaces;
// visibility holds for anonymous callers and other recipients; a portfolio spans two issuers in the given order.

const SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#2a6"/></svg>';

let hub: TestHub;
let adaKey: string;
let graceKey: string;

function issuerOf(name: string) {
  const signing = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(signing.publicKeyMultibase);
  return (changes: Record<string, unknown> = {}) => {
    const example = readConformanceJson(BASIC_OB3_EXAMPLE);
    const credential = { ...example, issuer: { ...example.issuer, id: did, name }, ...changes };
    return signCredential({ credential, signer: { verificationMethod, privateKey: signing.privateKey }, documentLoader: createDocumentLoader() });
  };
}

const IMPORT = `mutation ($input: ImportCredentialInput!) { importCredential(input: $input) {
  duplicate replaced verdict { status } credential { id name issuerName validFrom visibility importVerdict { status } }
} }`;
const importAs = (key: string, input: Record<string, unknown>) => hub.gql(IMPORT, { input }, key);

async function recipientKey(email: string): Promise<{ id: string; key: string }> {
  const created = await hub.gql(`mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  const id = created.data.createRecipient.recipient.id;
  const key = await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "wallet", principal: RECIPIENT, recipientId: $id }) { secret } }`, { id });
  expect(key.errors).toBeUndefined();
  return { id, key: key.data.createApiKey.secret };
}

beforeAll(async () => {
  hub = await startTestHub();
  adaKey = (await recipientKey('ada@wallet.example')).key;
  graceKey = (await recipientKey('grace@wallet.example')).key;
});
afterAll(() => hub?.dispose());

describe('wallet import through the gateway', () => {
  const northwind = issuerOf('Northwind Academy');
  let teamworkId: string;

  test('JSON then the same credential baked into a PNG: one wallet entry, the second a duplicate', async () => {
    const signed = await northwind();
    const first = await importAs(adaKey, { credential: signed });
    expect(first.errors).toBeUndefined();
    expect(first.data.importCredential).toMatchObject({ duplicate: false, verdict: { status: 'VALID' }, credential: { name: 'Teamwork Badge', issuerName: 'Northwind Academy', visibility: 'PRIVATE' } });
    teamworkId = first.data.importCredential.credential.id;
    const png = bakePng(renderPng(SQUARE, 64), signed).toString('base64');
    const second = await importAs(adaKey, { image: png });
    expect(second.errors).toBeUndefined();
    expect(second.data.importCredential).toMatchObject({ duplicate: true, credential: { id: teamworkId } });
  });

  test('a tampered copy is refused with the failed proof check in the error', async () => {
    const signed = await northwind({ id: 'urn:uuid:e2e-tampered' });
    const result = await importAs(adaKey, { credential: { ...signed, name: 'Forged Badge' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CREDENTIAL_INVALID', status: 'INVALID' });
    expect(result.errors?.[0]?.extensions?.failedChecks).toContainEqual(expect.objectContaining({ name: 'proof', passed: false }));
  });

  test('an expired credential is kept with status EXPIRED', async () => {
    const result = await importAs(adaKey, { credential: await northwind({ id: 'urn:uuid:e2e-expired', validUntil: '2011-01-01T00:00:00Z' }) });
    expect(result.errors).toBeUndefined();
    expect(result.data.importCredential).toMatchObject({ duplicate: false, verdict: { status: 'EXPIRED' }, credential: { importVerdict: { status: 'EXPIRED' } } });
  });

  test('a newer validFrom replaces the held copy', async () => {
    const result = await importAs(adaKey, { credential: await northwind({ validFrom: '2010-03-01T00:00:00Z', name: 'Teamwork Badge (renewed)' }) });
    expect(result.data.importCredential).toMatchObject({ replaced: true, credential: { id: teamworkId, name: 'Teamwork Badge (renewed)', validFrom: '2010-03-01T00:00:00.000Z' } });
  });

  test('visibility: private to anonymous callers and other recipients until the holder makes it PUBLIC', async () => {
    const read = (key: string | null) => hub.gql(`query ($id: ID!) { credential(id: $id) { id name } }`, { id: teamworkId }, key);
    expect((await read(null)).data.credential).toBeNull();
    expect((await read(graceKey)).data.credential).toBeNull();
    expect((await read(adaKey)).data.credential).toMatchObject({ id: teamworkId });
    const SET = `mutation ($id: ID!, $visibility: CredentialVisibility!) { setCredentialVisibility(input: { credentialId: $id, visibility: $visibility }) { credential { visibility } } }`;
    expect((await hub.gql(SET, { id: teamworkId, visibility: 'PUBLIC' }, graceKey)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await hub.gql(SET, { id: teamworkId, visibility: 'PUBLIC' }, adaKey)).data.setCredentialVisibility.credential.visibility).toBe('PUBLIC');
    expect((await read(null)).data.credential).toMatchObject({ id: teamworkId, name: 'Teamwork Badge (renewed)' });
    expect((await read(graceKey)).data.credential).toMatchObject({ id: teamworkId });
  });

  test('a portfolio across two issuers returns its credentials in the given order', async () => {
    const harbor = (await importAs(adaKey, { credential: await issuerOf('Harbor Institute')({ id: 'urn:uuid:e2e-harbor' }) })).data.importCredential.credential.id;
    const created = await hub.gql(
      `mutation ($input: CreatePortfolioInput!) { createPortfolio(input: $input) { portfolio { id credentials { edges { node { id issuerName } } } } } }`,
      { input: { name: 'Teamwork across issuers', credentialIds: [harbor, teamworkId] } },
      adaKey,
    );
    expect(created.errors).toBeUndefined();
    const { id, credentials } = created.data.createPortfolio.portfolio;
    expect(credentials.edges.map((edge: { node: { issuerName: string } }) => edge.node.issuerName)).toEqual(['Harbor Institute', 'Northwind Academy']);
    expect((await hub.gql(`query ($id: ID!) { portfolio(id: $id) { id } }`, { id }, graceKey)).data.portfolio).toBeNull();
  });
});
