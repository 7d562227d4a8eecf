import { afterAll, beforeAll, expect, test } from 'vitest';
import { employerKey, ESCO_SQL, issuerWithAchievement, issueTo, type HubIssuer } from '../helpers/employer-view.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// The employer's stacked skills count a completed pathway once: its award and the two member credentials that satisfied
// it all align SQL, and with one more SQL credential of its own the skill has two sources, not four.

let hub: TestHub;
const SQL = { framework: 'ESCO' as const, code: ESCO_SQL, name: 'SQL' };

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(() => hub?.dispose());

test('a shown completed pathway (award and members) is one source of the skills it stacks; without its award each credential counts', async () => {
  const [award, first, second, loose] = [
    await issuerWithAchievement(hub, { name: 'Northwind', achievement: 'Data analyst', skills: [SQL], evidenceKind: 'ASSESSMENT' }),
    await issuerWithAchievement(hub, { name: 'Harbor', achievement: 'Queries', skills: [SQL], evidenceKind: 'ASSESSMENT' }),
    await issuerWithAchievement(hub, { name: 'Lakeside', achievement: 'Joins', skills: [SQL], evidenceKind: 'ASSESSMENT' }),
    await issuerWithAchievement(hub, { name: 'Quarry', achievement: 'Reporting', skills: [SQL], evidenceKind: 'ASSESSMENT' }),
  ];
  const leaf = (issuer: HubIssuer) => ({ kind: 'ACHIEVEMENT', achievement: issuer.achievementId });
  const created = await hub.gql(
    `mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }`,
    { input: { issuerId: award.issuerId, name: 'SQL track', description: 'Two courses.', requirement: { kind: 'ALL_OF', children: [leaf(first), leaf(second)] }, award: { achievementId: award.achievementId } } },
    award.ownerKey,
  );
  expect(created.errors).toBeUndefined();
  expect((await hub.gql(`mutation ($id: ID!) { publishPathway(input: { id: $id }) { pathway { status } } }`, { id: created.data.createPathway.pathway.id }, award.ownerKey)).errors).toBeUndefined();

  const email = 'ada@example.org';
  const recipient = await hub.gql(`mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  const recipientId = recipient.data.createRecipient.recipient.id;
  const wallet = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "wallet", principal: RECIPIENT, recipientId: $id }) { secret } }`, { id: recipientId })).data.createApiKey.secret;
  for (const [index, issuer] of [first, second, loose].entries()) await issueTo(hub, issuer, { email }, 'ASSESSMENT', `ada-${index}`);

  // The award arrives in the wallet once the pathway is complete.
  const held: { id: string; name: string }[] = await eventually(
    async () => (await hub.gql(`{ me { recipient { credentials(first: 20) { edges { node { id name } } } } } }`, {}, wallet)).data?.me.recipient.credentials.edges.map((edge: any) => edge.node) ?? [],
    (nodes: { id: string; name: string }[]) => nodes.some((node) => node.name === 'Data analyst'),
    60_000,
  );
  const awardId = held.find((node) => node.name === 'Data analyst')!.id;
  const employer = await employerKey(hub, 'Acme hiring');
  const stacked = async (credentialIds: string[]) => {
    const share = await hub.gql(`mutation ($input: CreateShareInput!) { createShare(input: $input) { token } }`, { input: { credentialIds, audience: 'EMPLOYER', employerId: employer.employerId } }, wallet);
    expect(share.errors).toBeUndefined();
    const seen = await hub.gql(`query ($token: String!) { share(token: $token) { stackedSkills { code credentialCount sourceCount pathways { name } } } }`, { token: share.data.createShare.token }, employer.key);
    expect(seen.errors).toBeUndefined();
    return seen.data.share.stackedSkills;
  };
  const ids = held.map((node) => node.id);
  // Four SQL credentials (award, two members, one of its own; the CLR aligns no skill): the pathway and the loose one.
  const stacks = await eventually(
    () => stacked(ids),
    (skills) => skills[0]?.sourceCount === 2,
  );
  expect(stacks).toEqual([{ code: ESCO_SQL, credentialCount: 4, sourceCount: 2, pathways: [{ name: 'SQL track' }] }]);
  expect(await stacked(ids.filter((id) => id !== awardId))).toEqual([{ code: ESCO_SQL, credentialCount: 3, sourceCount: 3, pathways: [] }]);
}, 120_000);
