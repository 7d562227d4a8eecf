import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issuerWithAchievement, issueTo, type HubIssuer } from '../helpers/employer-view.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// A field the caller may not read is null with its own error beside it; it does not wipe the public data around it
// (issue 10, item 7). Every field guarded by an access check that can fail while its parent is readable is nullable.

let hub: TestHub;
let issuer: HubIssuer;
let credentialId: string;
beforeAll(async () => {
  hub = await startTestHub();
  issuer = await issuerWithAchievement(hub, { name: 'Partial Academy', achievement: 'Partial Data', skills: [{ framework: 'CUSTOM', code: 'partial', name: 'Partial' }], evidenceKind: 'ASSESSMENT' });
  credentialId = (await issueTo(hub, issuer, { email: 'grace@partial.example' }, 'ASSESSMENT', 'partial-1')).id;
  // credential(id) is the wallet's copy: wait for wallet delivery (asynchronous, through the event log).
  await eventually(() => hub.gql(`query ($id: ID!) { credential(id: $id) { id } }`, { id: credentialId }), (result) => result.data?.credential != null);
});
afterAll(() => hub?.dispose());

const codeAt = (errors: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined, field: string) =>
  errors?.find((error) => error.path?.at(-1) === field)?.extensions?.code;

describe('a refused field keeps the public data around it', () => {
  test('anonymous: me and the issuer come back, members is null with UNAUTHENTICATED', async () => {
    const result = await hub.gql('{ me { kind } issuers(first: 1) { edges { node { id members { id } } } } }', {}, null);
    expect(result.data?.me).toEqual({ kind: 'ANONYMOUS' });
    expect(result.data?.issuers.edges[0].node).toEqual({ id: issuer.issuerId, members: null });
    expect(codeAt(result.errors, 'members')).toBe('UNAUTHENTICATED');
    expect(result.errors?.map((error) => error.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  test('an issuer’s keys and metrics, asked anonymously beside its public profile', async () => {
    const result = await hub.gql(`query ($id: ID!) { issuer(id: $id) { name apiKeys { totalCount } metrics { achievementsCreated } } }`, { id: issuer.issuerId }, null);
    expect(result.data?.issuer).toEqual({ name: 'Partial Academy', apiKeys: null, metrics: null });
    expect(codeAt(result.errors, 'apiKeys')).toBe('UNAUTHENTICATED');
    expect(codeAt(result.errors, 'metrics')).toBe('UNAUTHENTICATED');
  });

  test('the issuer reads a credential it issued, but not the holder’s record', async () => {
    const result = await hub.gql(`query ($id: ID!) { credential(id: $id) { id recipient { id } } }`, { id: credentialId }, issuer.ownerKey);
    expect(result.data?.credential).toEqual({ id: credentialId, recipient: null });
    expect(codeAt(result.errors, 'recipient')).toBe('UNAUTHORIZED');
  });
});
