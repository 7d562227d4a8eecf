import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { employerKey, issuerWithAchievement, issueTo, type HubIssuer } from '../helpers/employer-view.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Issue 13, item 8: a wallet credential its holder keeps PRIVATE was still served to anyone at GET /credentials/{id}
// while GraphQL hid it. Hosted copies now follow the holder's visibility; the status list stays readable.

let hub: TestHub;
let issuer: HubIssuer;
let holderKey: string;
let credential: { id: string; document: Record<string, any> };
const origin = () => new URL(hub.gateway.url).origin;
const statusOf = async (path: string, key?: string | null) =>
  (await fetch(`${origin()}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })).status;

beforeAll(async () => {
  hub = await startTestHub();
  issuer = await issuerWithAchievement(hub, { name: 'Harbor City', achievement: 'Forklift Safety Practice', skills: [], evidenceKind: 'PROJECT' });
  const recipient = await hub.gql(`mutation { createRecipient(input: { name: "Ada", identities: [{ type: EMAIL, value: "ada@example.com" }] }) { recipient { id } } }`);
  expect(recipient.errors).toBeUndefined();
  const recipientId = recipient.data.createRecipient.recipient.id;
  holderKey = (await createApiKey(hub.deps.database.db, { name: 'Ada', grant: { principal: 'RECIPIENT', recipientId } })).secret;
  credential = await issueTo(hub, issuer, { email: 'ada@example.com' }, 'PROJECT', 'hosted/ada');
}, 120_000);
afterAll(async () => hub?.dispose());

describe('hosted credentials follow their holder’s visibility', () => {
  test('a PRIVATE wallet credential is 404 to anyone but its issuer, its holder and operators; its status list stays readable', async () => {
    const path = `/credentials/${credential.id}`;
    // Delivered credentials start PRIVATE, as in the wallet: once the delivery is projected, strangers get 404.
    expect(await eventually(() => statusOf(path), (status) => status === 404)).toBe(404);
    const otherIssuer = await issuerWithAchievement(hub, { name: 'Elsewhere', achievement: 'Something Else', skills: [], evidenceKind: 'PROJECT' });
    const employer = await employerKey(hub, 'Acme Hiring');
    const statuses = {
      anonymous: await statusOf(path),
      employer: await statusOf(path, employer.key),
      otherIssuer: await statusOf(path, otherIssuer.ownerKey),
      issuer: await statusOf(path, issuer.ownerKey),
      holder: await statusOf(path, holderKey),
      operator: await statusOf(path, hub.adminKey),
    };
    expect(statuses).toEqual({ anonymous: 404, employer: 404, otherIssuer: 404, issuer: 200, holder: 200, operator: 200 });
    // The same for its other forms: the VC-JWT and the baked badges carry the whole credential.
    expect([await statusOf(`${path}?format=jwt`), await statusOf(`${path}/badge.svg`), await statusOf(`${path}/badge.png`)]).toEqual([404, 404, 404]);
    expect(await statusOf(`${path}/badge.svg`, holderKey)).toBe(200);
    const statusList = new URL(credential.document.credentialStatus.statusListCredential as string);
    expect(await statusOf(statusList.pathname)).toBe(200);
  });

  test('made PUBLIC by its holder it is served to anyone, and PRIVATE again it is not', async () => {
    const path = `/credentials/${credential.id}`;
    const setVisibility = (visibility: string) =>
      hub.gql(`mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { id } } }`, { input: { credentialId: credential.id, visibility } }, holderKey);
    expect((await setVisibility('PUBLIC')).errors).toBeUndefined();
    expect(await eventually(() => statusOf(path), (status) => status === 200)).toBe(200);
    const served = await (await fetch(`${origin()}${path}`)).json();
    expect(served.id).toBe(credential.document.id);
    expect((await setVisibility('SHARED_ONLY')).errors).toBeUndefined();
    expect(await eventually(() => statusOf(path), (status) => status === 404)).toBe(404);
  });

  test('a credential for an address nobody has claimed lands PRIVATE in the wallet made for it, and is hidden too', async () => {
    const unclaimed = await issueTo(hub, issuer, { email: 'nobody-yet@example.com' }, 'PROJECT', 'hosted/nobody');
    expect(await eventually(() => statusOf(`/credentials/${unclaimed.id}`), (status) => status === 404)).toBe(404);
    expect(await statusOf(`/credentials/${unclaimed.id}`, issuer.ownerKey)).toBe(200);
  });
});
