import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Program metrics through the real gateway: projected from what the hub really did (issuance, verifications by an
// employer over GraphQL and anonymously over the VC-API), federated onto Issuer and Achievement, and as CSV.

let hub: TestHub;
let ownerKey: string;
let otherKey: string;
let issuerId: string;
let achievementId: string;

const origin = () => hub.gateway.url.replace(/\/graphql$/, '');
const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

async function newIssuer(name: string) {
  const id = (await hub.gql(`mutation ($name: String!) { createIssuer(input: { name: $name, url: "https://issuer.example" }) { issuer { id } } }`, { name })).data.createIssuer.issuer.id as string;
  const key = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id })).data.createApiKey.secret as string;
  return { id, key };
}

async function issue(idempotencyKey: string) {
  const issued = await hub.gql(
    `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } document } }`,
    { input: { achievementId, recipient: { email: `${idempotencyKey}@example.com` }, evidence: [{ kind: 'PROJECT', url: 'https://git.example/p', narrative: 'A project.' }], idempotencyKey } },
    ownerKey,
  );
  expect(issued.errors).toBeUndefined();
  return issued.data.issueCredential.document as Record<string, unknown>;
}

beforeAll(async () => {
  hub = await startTestHub();
  ({ id: issuerId, key: ownerKey } = await newIssuer('Harbor Institute'));
  ({ key: otherKey } = await newIssuer('Other Academy'));
  const created = await hub.gql(
    `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
    { input: { issuerId, name: 'Compiler Construction', description: 'Builds a compiler.', criteria: { narrative: 'A reviewed compiler.' }, achievementType: 'Competency', evidenceRules: [{ kind: 'PROJECT', minCount: 1 }] } },
    ownerKey,
  );
  achievementId = created.data.createAchievement.achievement.id;
  await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, ownerKey);
  const [first] = [await issue('metrics-1'), await issue('metrics-2')];
  const employer = (await hub.gql(`mutation { createApiKey(input: { name: "ats", principal: EMPLOYER }) { secret } }`)).data.createApiKey.secret as string;
  const verified = await hub.gql(`mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) { status } }`, { input: { credential: first } }, employer);
  expect(verified.errors).toBeUndefined();
  const response = await fetch(`${origin()}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential: first }) });
  expect(response.status).toBe(200);
}, 120_000);
afterAll(() => hub?.dispose());

describe('program metrics through the gateway', () => {
  test('Issuer.metrics and Achievement.metrics: issuance, and verifications by relying party (employer over GraphQL, anonymous over the VC-API)', async () => {
    const query = `query ($issuer: ID!, $achievement: ID!) {
      issuer(id: $issuer) { metrics(interval: DAY) { credentialsIssued issuance { issued } verification { rate { numerator denominator } byRelyingParty { relyingParty verdict count } } } }
      achievement(id: $achievement) { metrics { issuance { issued } } }
    }`;
    const answer = await eventually(
      () => hub.gql(query, { issuer: issuerId, achievement: achievementId }, ownerKey),
      (result) => result.data?.issuer.metrics.verification.byRelyingParty.length === 2 && result.data.achievement.metrics.issuance.issued === 2,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.issuer.metrics).toEqual({
      credentialsIssued: 2,
      issuance: { issued: 2 },
      verification: {
        rate: { numerator: 1, denominator: 2 },
        byRelyingParty: [
          { relyingParty: 'EMPLOYER', verdict: 'VALID', count: 1 },
          { relyingParty: 'VC_API', verdict: 'VALID', count: 1 },
        ],
      },
    });
  });

  test('another issuer’s key reads neither the metrics nor the CSV', async () => {
    const refused = await hub.gql(`query ($id: ID!) { metrics(scope: { achievementId: $id }) { issuance { issued } } }`, { id: achievementId }, otherKey);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const csv = await fetch(`${origin()}/issuers/${issuerId}/metrics.csv`, { headers: { authorization: `Bearer ${otherKey}` } });
    expect(csv.status).toBe(403);
    expect((await fetch(`${origin()}/issuers/${issuerId}/metrics.csv`)).status).toBe(401);
  });

  test('the CSV export is the time series, one row per period, for the issuer’s API key', async () => {
    const response = await fetch(`${origin()}/issuers/${issuerId}/metrics.csv?interval=DAY&from=${today}&to=${tomorrow}`, { headers: { authorization: `Bearer ${ownerKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, row, ...rest] = (await response.text()).trimEnd().split('\r\n');
    expect(header).toBe('periodStart,issued,revoked,suspended,reinstated,delivered,claimed,shared,shareViewsByOthers,verifications,thirdPartyVerifications');
    expect(row).toMatch(new RegExp(`^${today},2,0,0,0,\\d,0,0,0,2,2$`));
    expect(rest).toEqual([]);
  });
});
