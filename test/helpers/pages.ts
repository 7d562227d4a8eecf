import { expect } from 'vitest';
import { eventually } from './eventually.js';
import type { TestHub } from './hub.js';

/** The hub's public origin as the test reaches it (the gateway's address without /graphql). */
export const originOf = (hub: TestHub) => hub.gateway.url.replace(/\/graphql$/, '');

/** A new issuer and its OWNER key. */
export async function createIssuer(hub: TestHub, input: { name: string; url?: string; image?: string }) {
  const created = await hub.gql(`mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }`, {
    input: { url: 'https://harbor.example', ...input },
  });
  expect(created.errors).toBeUndefined();
  const issuerId = created.data.createIssuer.issuer.id as string;
  const key = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId })).data
    .createApiKey.secret as string;
  return { issuerId, key };
}

/** Creates and publishes an achievement (no evidence needed unless `input` says so); returns its id. */
export async function publishAchievement(hub: TestHub, key: string, input: Record<string, unknown>): Promise<string> {
  const created = await hub.gql(
    `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
    { input: { description: 'Handles untrusted input.', criteria: { narrative: 'Pass the exam.' }, achievementType: 'Badge', competencyBased: false, ...input } },
    key,
  );
  expect(created.errors).toBeUndefined();
  const achievementId = created.data.createAchievement.achievement.id as string;
  const published = await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, key);
  expect(published.errors).toBeUndefined();
  return achievementId;
}

/** Issues a credential once the issuers subgraph has learnt of the published achievement (from its event). */
/**
 * Issues a credential and, once it is in its holder's wallet, makes it PUBLIC as the holder would (here with the
 * operator's key), so its hosted copy and page are open to anyone: a wallet keeps new credentials PRIVATE.
 */
export async function issueCredential(hub: TestHub, key: string, input: Record<string, unknown> & { idempotencyKey: string }): Promise<string> {
  const issued = await eventually(
    () => hub.gql(`mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`, { input: { evidence: [], ...input } }, key),
    (answer) => answer.errors?.[0]?.extensions?.code !== 'NOT_FOUND',
  );
  expect(issued.errors).toBeUndefined();
  const id = issued.data.issueCredential.credential.id as string;
  await makePublic(hub, id);
  return id;
}

/** The holder's choice (the operator's key acts for them): anyone may read this credential at its URL. */
export async function makePublic(hub: TestHub, credentialId: string): Promise<void> {
  const published = await eventually(
    () =>
      hub.gql(`mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { visibility } } }`, {
        input: { credentialId, visibility: 'PUBLIC' },
      }),
    (answer) => answer.data?.setCredentialVisibility?.credential.visibility === 'PUBLIC',
  );
  expect(published.errors).toBeUndefined();
  // The issuers service learns of it from the log.
  await eventually(
    () => fetch(`${originOf(hub)}/credentials/${credentialId}`).then((response) => response.status),
    (status) => status === 200,
  );
}
