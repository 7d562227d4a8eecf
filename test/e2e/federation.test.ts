import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.dispose());

const CREATE_ISSUER = `mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }`;
const CREATE_ACHIEVEMENT = `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`;

async function createIssuer(name: string): Promise<string> {
  const result = await hub.gql(CREATE_ISSUER, { input: { name, url: `https://${name.toLowerCase().replace(/\W/g, '')}.example` } });
  expect(result.errors).toBeUndefined();
  return result.data.createIssuer.issuer.id;
}

async function createAchievement(issuerId: string, name: string): Promise<string> {
  const result = await hub.gql(CREATE_ACHIEVEMENT, {
    input: { issuerId, name, description: `${name}, assessed.`, criteria: { narrative: 'Pass the assessment.' } },
  });
  expect(result.errors).toBeUndefined();
  return result.data.createAchievement.achievement.id;
}


describe('federation through the gateway', () => {
  test('one query resolves entities across all four subgraphs', async () => {
    const issuerId = await createIssuer('Cross Graph Academy');
    await createAchievement(issuerId, 'Graph Thinking');
    const recipient = await hub.gql(
      `mutation ($input: CreateRecipientInput!) { createRecipient(input: $input) { recipient { id } } }`,
      { input: { name: 'Rita Recipient', identities: [{ type: 'EMAIL', value: 'rita@example.com' }] } },
    );
    expect(recipient.errors).toBeUndefined();
    const query = `query ($issuerId: ID!, $recipientId: ID!) {
      issuer(id: $issuerId) {
        name
        achievements(first: 5) { totalCount edges { node { name issuer { name } } } }
        metrics { achievementsCreated }
      }
      recipient(id: $recipientId) { name identities { type value } }
    }`;
    const variables = { issuerId, recipientId: recipient.data.createRecipient.recipient.id };
    const result = await eventually(
      () => hub.gql(query, variables),
      (response) => response.data?.issuer?.metrics?.achievementsCreated === 1,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      issuer: {
        name: 'Cross Graph Academy',
        achievements: { totalCount: 1, edges: [{ node: { name: 'Graph Thinking', issuer: { name: 'Cross Graph Academy' } } }] },
        metrics: { achievementsCreated: 1 },
      },
      recipient: { name: 'Rita Recipient', identities: [{ type: 'EMAIL', value: 'rita@example.com' }] },
    });
  });

  test('N entity references cost one SQL statement per subgraph, not N', async () => {
    const issuerIds = [];
    for (let index = 0; index < 6; index += 1) {
      const issuerId = await createIssuer(`Batch Issuer ${index}`);
      await createAchievement(issuerId, `Skill ${index}`);
      issuerIds.push(issuerId);
    }
    hub.statements.length = 0;
    const result = await hub.gql(`{
      issuers(first: 50) { edges { node { id name achievements(first: 3) { totalCount edges { node { name issuer { id name } } } } } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.issuers.edges.length).toBeGreaterThanOrEqual(6);
    const touching = (table: string) => hub.statements.filter((statement) => statement.includes(table) && statement.startsWith('select'));
    // Issuer.achievements for every issuer: one windowed page query plus one grouped count.
    expect(touching('"achievements"."achievements"')).toHaveLength(2);
    // Achievement.issuer for every achievement comes back to the issuers subgraph as one _entities batch.
    const issuerLookups = touching('"issuers"."issuers"').filter((statement) => statement.includes(' in ('));
    expect(issuerLookups).toHaveLength(1);
  });
});
