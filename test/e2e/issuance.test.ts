import { importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { extractFromPng, extractFromSvg } from '../../lib/badges/bake.js';
import { publicKeyFromMultibase } from '../../lib/crypto/keys.js';
import { decodeList } from '../../lib/status/bitstring.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { eventsBreakingTheirContracts } from '../helpers/events.js';

let hub: TestHub;
let ownerKey: string;
let issuerId: string;
let achievementId: string;

const origin = () => hub.gateway.url.replace(/\/graphql$/, '');


beforeAll(async () => {
  hub = await startTestHub();
  issuerId = (await hub.gql(`mutation { createIssuer(input: { name: "Northwind", url: "https://northwind.example" }) { issuer { id } } }`)).data.createIssuer.issuer.id;
  ownerKey = (
    await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId })
  ).data.createApiKey.secret;
  const created = await hub.gql(
    `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
    {
      input: {
        issuerId,
        name: 'Accessible Web Forms',
        description: 'Builds forms that meet WCAG 2.2 AA.',
        criteria: { narrative: 'A reviewed form project.' },
        achievementType: 'Competency',
        evidenceRules: [{ kind: 'PROJECT', minCount: 1 }],
      },
    },
    ownerKey,
  );
  achievementId = created.data.createAchievement.achievement.id;
  const published = await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, ownerKey);
  expect(published.errors).toBeUndefined();
});
afterAll(() => hub?.dispose());

describe('issuing through the gateway', () => {
  let credentialId: string;
  let document: any;

  test('publish then issue at once; the credential reaches the recipient’s wallet and joins up across subgraphs', async () => {
    const issued = await hub.gql(
      `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id issuance { status } } document } }`,
      {
        input: {
          achievementId,
          recipient: { email: 'rosa@example.com', name: 'Rosa Parks' },
          evidence: [{ kind: 'PROJECT', url: 'https://git.example/rosa/forms', narrative: 'Reviewed against the WCAG checklist.' }],
          idempotencyKey: 'e2e-1',
        },
      },
      ownerKey,
    );
    expect(issued.errors).toBeUndefined();
    credentialId = issued.data.issueCredential.credential.id;
    document = issued.data.issueCredential.document;
    const query = `query ($id: ID!) { credential(id: $id) {
      name source recipient { name identities { value } } issuer { name did } achievement { name version }
      issuance { status achievementVersion url }
    } }`;
    const joined = await eventually(() => hub.gql(query, { id: credentialId }), (result) => result.data?.credential != null);
    expect(joined.errors).toBeUndefined();
    expect(joined.data.credential).toMatchObject({
      name: 'Accessible Web Forms', // recipients (wallet copy)
      source: 'ISSUED',
      recipient: { name: 'Rosa Parks', identities: [{ value: 'rosa@example.com' }] },
      issuer: { name: 'Northwind', did: document.issuer.id }, // issuers
      achievement: { name: 'Accessible Web Forms', version: 1 }, // achievements
      issuance: { status: 'ACTIVE', achievementVersion: 1 }, // issuers (contributed field)
    });
    const metrics = await eventually(
      () => hub.gql(`query ($id: ID!) { issuer(id: $id) { metrics { credentialsIssued } } }`, { id: issuerId }),
      (result) => result.data?.issuer.metrics.credentialsIssued === 1,
    );
    expect(metrics.data.issuer.metrics.credentialsIssued).toBe(1); // verification
  });

  test('the standard endpoints serve the credential, the issuer profile, its DID document and baked badges', async () => {
    // Hosted copies are the issuer's to read (the holder keeps theirs PRIVATE until they choose otherwise).
    const asIssuer = (path: string, headers: Record<string, string> = {}) => fetch(`${origin()}${path}`, { headers: { ...headers, authorization: `Bearer ${ownerKey}` } });
    const served = await asIssuer(`/credentials/${credentialId}`);
    expect(served.headers.get('content-type')).toMatch(/application\/vc\+ld\+json/);
    expect(await served.json()).toEqual(document);

    const profile = (await (await fetch(`${origin()}/issuers/${issuerId}`)).json()) as any;
    expect(profile).toMatchObject({ id: document.issuer.id, type: ['Profile'], name: 'Northwind' });
    const did = (await (await fetch(`${origin()}/issuers/${issuerId}/did.json`)).json()) as any;
    expect(did.id).toBe(document.issuer.id);
    expect(did.assertionMethod).toContain(document.proof[0].verificationMethod);

    const png = Buffer.from(await (await asIssuer(`/credentials/${credentialId}/badge.png`)).arrayBuffer());
    expect(JSON.parse((extractFromPng(png) as { credential: string }).credential)).toEqual(document);
    const svg = await (await asIssuer(`/credentials/${credentialId}/badge.svg`)).text();
    expect(JSON.parse((extractFromSvg(svg) as { credential: string }).credential)).toEqual(document);

    const jwt = await (await asIssuer(`/credentials/${credentialId}`, { accept: 'application/vc+jwt' })).text();
    const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: document.proof[0].verificationMethod });
    expect(payload).toMatchObject({ iss: document.issuer.id, jti: document.id, vc: document });
    await expect(jwtVerify(jwt, publicKeyFromMultibase(header.kid.split('#')[1]))).resolves.toBeTruthy();

    // RS256, 1EdTech's required JWT algorithm: the kid is a dereferenceable JWK URL.
    const rs256 = await (await asIssuer(`/credentials/${credentialId}?format=jwt&alg=RS256`)).text();
    const rsHeader = JSON.parse(Buffer.from(rs256.split('.')[0]!, 'base64url').toString());
    expect(rsHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    const jwk = (await (await fetch(rsHeader.kid.replace(hub.deps.config.publicBaseUrl, origin()))).json()) as Record<string, unknown>;
    expect(jwk).toMatchObject({ kty: 'RSA', kid: rsHeader.kid });
    expect(jwk).not.toHaveProperty('d');
    await expect(jwtVerify(rs256, await importJWK(jwk as never, 'RS256'))).resolves.toBeTruthy();
    const jwks = (await (await fetch(`${origin()}/issuers/${issuerId}/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);

    const missing = await fetch(`${origin()}/credentials/00000000-0000-7000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  test('revocation shows in the published status list', async () => {
    const revoked = await hub.gql(
      `mutation ($id: ID!) { revokeCredential(input: { credentialId: $id, reason: "Issued in error" }) { credential { issuance { status } } } }`,
      { id: credentialId },
      ownerKey,
    );
    expect(revoked.data.revokeCredential.credential.issuance.status).toBe('REVOKED');
    const list = (await (await fetch(document.credentialStatus.statusListCredential.replace(hub.deps.config.publicBaseUrl, origin()))).json()) as any;
    expect(list.type).toContain('BitstringStatusListCredential');
    expect(decodeList(list.credentialSubject.encodedList).get(Number(document.credentialStatus.statusListIndex))).toBe(true);
  });

  test('a credential issued for suspension is suspended and reinstated: the published list shows its bit set, then cleared', async () => {
    const issued = await hub.gql(
      `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id issuance { statusPurpose } } document } }`,
      {
        input: {
          achievementId,
          recipient: { email: 'ida@example.com', name: 'Ida B. Wells' },
          evidence: [{ kind: 'PROJECT', url: 'https://git.example/ida/forms' }],
          idempotencyKey: 'e2e-suspendable',
          statusPurpose: 'SUSPENSION',
        },
      },
      ownerKey,
    );
    expect(issued.errors).toBeUndefined();
    const { id } = issued.data.issueCredential.credential;
    const entry = issued.data.issueCredential.document.credentialStatus;
    expect(issued.data.issueCredential.credential.issuance.statusPurpose).toBe('SUSPENSION');
    expect(entry.statusPurpose).toBe('suspension');
    const publishedBit = async () => {
      const list = (await (await fetch(entry.statusListCredential.replace(hub.deps.config.publicBaseUrl, origin()))).json()) as any;
      expect(list.credentialSubject.statusPurpose).toBe('suspension');
      return decodeList(list.credentialSubject.encodedList).get(Number(entry.statusListIndex));
    };
    expect(await publishedBit()).toBe(false);

    const change = (mutation: 'suspendCredential' | 'reinstateCredential') =>
      hub.gql(`mutation ($id: ID!) { ${mutation}(input: { credentialId: $id, reason: "Enrolment check" }) { credential { issuance { status statusReason } } } }`, { id }, ownerKey);
    const suspended = await change('suspendCredential');
    expect(suspended.data.suspendCredential.credential.issuance).toEqual({ status: 'SUSPENDED', statusReason: 'Enrolment check' });
    expect(await publishedBit()).toBe(true);
    const reinstated = await change('reinstateCredential');
    expect(reinstated.data.reinstateCredential.credential.issuance.status).toBe('ACTIVE');
    expect(await publishedBit()).toBe(false);

    // The revoked credential from the test above carries a revocation entry: suspension is refused with a code.
    const refused = await hub.gql(`mutation ($id: ID!) { suspendCredential(input: { credentialId: $id }) { credential { id } } }`, { id: credentialId }, ownerKey);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', statusPurpose: 'revocation' });
  });

  test('an archived achievement issues nothing more, with a clear CONFLICT', async () => {
    const created = await hub.gql(
      `mutation ($issuerId: ID!) { createAchievement(input: { issuerId: $issuerId, name: "Retired Skill", description: "No longer offered.", criteria: { narrative: "n/a" }, evidenceRules: [{ kind: PROJECT, minCount: 1 }] }) { achievement { id } } }`,
      { issuerId },
      ownerKey,
    );
    const id = created.data.createAchievement.achievement.id;
    await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }`, { id }, ownerKey);
    await hub.gql(`mutation ($id: ID!) { archiveAchievement(input: { id: $id }) { achievement { id } } }`, { id }, ownerKey);
    const issue = () =>
      hub.gql(
        `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`,
        { input: { achievementId: id, recipient: { email: 'late@example.com' }, evidence: [{ kind: 'PROJECT', url: 'https://git.example/late' }], idempotencyKey: 'late' } },
        ownerKey,
      );
    const refused = await eventually(issue, (result) => result.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/archived/);
  });

  test('a forged viewer header from a client is ignored: the gateway sets its own', async () => {
    const response = await fetch(`${origin()}/issuers/${issuerId}`, { headers: { 'x-cairn-viewer': 'v1.forged.sig' } });
    expect(response.status).toBe(200);
  });
});

describe('W3C VC-API', () => {
  const post = (path: string, body: unknown, key: string | null) =>
    fetch(`${origin()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:subject' },
  };

  test('POST /credentials/issue signs for the caller’s issuer (201); without a key it is 401, with bad input 400', async () => {
    const issued = await post('/credentials/issue', { credential }, ownerKey);
    expect(issued.status).toBe(201);
    const { verifiableCredential } = (await issued.json()) as any;
    expect(verifiableCredential.proof[0]).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
    expect(verifiableCredential.issuer).toMatch(/^did:web:/);
    expect((await post('/credentials/issue', { credential }, null)).status).toBe(401);
    const wrongIssuer = await post('/credentials/issue', { credential: { ...credential, issuer: 'did:example:someone-else' } }, ownerKey);
    expect(wrongIssuer.status).toBe(400);
    expect(await wrongIssuer.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'credential.issuer' });
    const undefinedTerm = await post('/credentials/issue', { credential: { ...credential, favouriteColour: 'teal' } }, ownerKey);
    expect(undefinedTerm.status).toBe(400);
    // A status entry is asked for with options.credentialStatus; the old statusPurpose option is refused, not ignored.
    const withPurpose = await post('/credentials/issue', { credential, options: { statusPurpose: 'suspension' } }, ownerKey);
    expect(withPurpose.status).toBe(400);
    expect(await withPurpose.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.statusPurpose' });
    const unknownOption = await post('/credentials/issue', { credential, options: { mandatoryPointers: ['/issuer'] } }, ownerKey);
    expect(unknownOption.status).toBe(400);
    expect(await unknownOption.json()).toMatchObject({ field: 'options.mandatoryPointers', detail: expect.stringMatching(/options\.mandatoryPointers is not supported/) });
    for (const issuer of [null, {}, { name: 'No Id' }]) {
      const refused = await post('/credentials/issue', { credential: { ...credential, issuer } }, ownerKey);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'BAD_USER_INPUT', detail: expect.stringMatching(/issuer/) });
    }
    const untypedEvidence = await post('/credentials/issue', { credential: { ...credential, evidence: [{ id: 'https://example.org/e' }] } }, ownerKey);
    expect(untypedEvidence.status).toBe(400);
    expect(await untypedEvidence.json()).toMatchObject({ detail: expect.stringMatching(/every evidence entry must have a type/) });
  });

  test('POST /credentials/status revokes a credential the hub issued', async () => {
    const issued = await hub.gql(
      `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`,
      { input: { achievementId, recipient: { did: 'did:example:vcapi' }, evidence: [{ kind: 'PROJECT', url: 'https://git.example/p' }], idempotencyKey: 'vc-api-status' } },
      ownerKey,
    );
    const id = issued.data.issueCredential.credential.id;
    const updated = await post('/credentials/status', { credentialId: `urn:uuid:${id}`, credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }] }, ownerKey);
    expect(updated.status).toBe(200);
    // `credential(id)` is the wallet's copy: wait for delivery, then read the issuer's contributed status.
    const status = await eventually(
      () => hub.gql(`query ($id: ID!) { credential(id: $id) { issuance { status } } }`, { id }),
      (result) => result.data?.credential != null,
    );
    expect(status.data.credential.issuance.status).toBe('REVOKED');
    expect((await post('/credentials/status', { credentialId: id, credentialStatus: [{ status: 'suspended' }] }, ownerKey)).status).toBe(400);
  });

  test('POST /credentials/issue adds a Bitstring status entry from the issuer’s lists when asked, and /credentials/status revokes it', async () => {
    const verify = async (verifiableCredential: unknown) => {
      const response = await fetch(`${hub.gateway.url.replace(/\/graphql$/, '')}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential }) });
      return ((await response.json()) as { status: string }).status;
    };
    const issued = await post('/credentials/issue', { credential, options: { credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' } } }, ownerKey);
    expect(issued.status).toBe(201);
    const { verifiableCredential } = (await issued.json()) as any;
    expect(verifiableCredential.id).toMatch(/^urn:uuid:/);
    expect(verifiableCredential.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: expect.stringMatching(/\/status-lists\//) });
    expect(await eventually(() => verify(verifiableCredential), (status) => status === 'VALID')).toBe('VALID');
    const revoked = await post('/credentials/status', { credentialId: verifiableCredential.id, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' }, status: true }, ownerKey);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ status: 'revoked' });
    expect(await eventually(() => verify(verifiableCredential), (status) => status === 'REVOKED')).toBe('REVOKED');

    const suspendable = (await (await post('/credentials/issue', { credential: { ...credential, id: 'https://example.org/credentials/vc-api-1' }, options: { credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' } } }, ownerKey)).json()) as any;
    expect(suspendable.verifiableCredential.id).toBe('https://example.org/credentials/vc-api-1');
    const suspend = (value: boolean) => post('/credentials/status', { credentialId: 'https://example.org/credentials/vc-api-1', credentialStatus: { statusPurpose: 'suspension' }, status: value }, ownerKey);
    expect((await suspend(true)).status).toBe(200);
    expect(await eventually(() => verify(suspendable.verifiableCredential), (status) => status === 'SUSPENDED')).toBe('SUSPENDED');
    expect((await suspend(false)).status).toBe(200);
    expect(await eventually(() => verify(suspendable.verifiableCredential), (status) => status === 'VALID')).toBe('VALID');

    const statusMessage = [{ status: '0x0', message: 'valid' }, { status: '0x1', message: 'revoked' }];
    const described = (await (await post('/credentials/issue', { credential, options: { credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusMessage, statusReference: 'https://example.org/status' } } }, ownerKey)).json()) as any;
    expect(described.verifiableCredential.credentialStatus).toMatchObject({ statusSize: 1, statusMessage, statusReference: 'https://example.org/status' });
    expect(await eventually(() => verify(described.verifiableCredential), (status) => status === 'VALID')).toBe('VALID');

    for (const credentialStatus of [{ type: 'StatusList2021Entry', statusPurpose: 'revocation' }, { type: 'BitstringStatusListEntry', statusPurpose: 'message' }]) {
      const refused = await post('/credentials/issue', { credential, options: { credentialStatus } }, ownerKey);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ field: expect.stringMatching(/^options\.credentialStatus\./) });
    }
  });

  test('POST /credentials/status suspends and reinstates a credential issued for suspension', async () => {
    const issued = await hub.gql(
      `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`,
      {
        input: {
          achievementId,
          recipient: { did: 'did:example:vcapi-suspend' },
          evidence: [{ kind: 'PROJECT', url: 'https://git.example/s' }],
          idempotencyKey: 'vc-api-suspend',
          statusPurpose: 'SUSPENSION',
        },
      },
      ownerKey,
    );
    const id = issued.data.issueCredential.credential.id;
    const update = (statusPurpose: string, status: unknown) =>
      post('/credentials/status', { credentialId: `urn:uuid:${id}`, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose }, status }, ownerKey);
    const suspended = await update('suspension', true);
    expect(suspended.status).toBe(200);
    expect(await suspended.json()).toEqual({ credentialId: `urn:uuid:${id}`, status: 'suspended' });
    expect(await (await update('suspension', false)).json()).toMatchObject({ status: 'active' });
    const unrevoke = await update('revocation', false);
    expect(unrevoke.status).toBe(400);
    expect(await unrevoke.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
    expect(await (await update('revocation', true)).json()).toMatchObject({ status: 'revoked' });
    const reinstateRevoked = await update('suspension', false);
    expect(reinstateRevoked.status).toBe(409);
    expect(await reinstateRevoked.json()).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('the log this file wrote', () => {
  test('every event in it, replayed from cursor 0, parses with its type\'s contract', async () => {
    expect(await eventsBreakingTheirContracts(hub.deps.database.db)).toEqual([]);
  });
});
