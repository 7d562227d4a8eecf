import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { EventType } from '../../lib/events/types.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { readLog } from '../helpers/events.js';

// Verification through the real gateway: Cairn's own credentials (did:web issuer resolved from the projection, status
// lists read from the issuers service), in every form a candidate could hand over, and the VC-API verifier routes.

let hub: TestHub;
let ownerKey: string;
let issuerId: string;
let achievementId: string;

const origin = () => hub.gateway.url.replace(/\/graphql$/, '');
const VERIFY = `mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) {
  verificationId verified status checks { name passed message } credential { format name issuerId achievementName }
  issuer { id known source hubIssuer { id name } } recheckAfter } }`;

/** A hosted credential as its issuer reads it (a holder's PRIVATE copy is 404 to strangers). */
const asIssuer = (path: string, headers: Record<string, string> = {}) => fetch(`${origin()}${path}`, { headers: { ...headers, authorization: `Bearer ${ownerKey}` } });

/** Once delivered to its wallet, the credential is made PUBLIC (by an operator) and its hosted copy served to anyone. */
async function makePublic(id: string): Promise<void> {
  const set = () => hub.gql(`mutation ($id: ID!) { setCredentialVisibility(input: { credentialId: $id, visibility: PUBLIC }) { credential { id } } }`, { id });
  expect((await eventually(set, (result) => !result.errors)).errors).toBeUndefined();
  await eventually(() => fetch(`${origin()}/credentials/${id}`).then((response) => response.status), (status) => status === 200);
}

async function issue(key: string, statusPurpose: 'REVOCATION' | 'SUSPENSION' = 'REVOCATION') {
  const issued = await hub.gql(
    `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } document } }`,
    {
      input: {
        achievementId,
        recipient: { email: 'grace@example.com', name: 'Grace Hopper' },
        evidence: [{ kind: 'PROJECT', url: 'https://git.example/grace/compiler', narrative: 'A reviewed compiler project.' }],
        idempotencyKey: key,
        statusPurpose,
      },
    },
    ownerKey,
  );
  expect(issued.errors).toBeUndefined();
  return { id: issued.data.issueCredential.credential.id as string, document: issued.data.issueCredential.document as Record<string, any> };
}

async function verify(input: Record<string, unknown>, key: string | null = null) {
  const result = await hub.gql(VERIFY, { input }, key);
  expect(result.errors).toBeUndefined();
  return result.data.verifyCredential;
}

beforeAll(async () => {
  hub = await startTestHub();
  issuerId = (await hub.gql(`mutation { createIssuer(input: { name: "Harbor Institute", url: "https://harbor.example" }) { issuer { id } } }`)).data.createIssuer.issuer.id;
  ownerKey = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId })).data.createApiKey.secret;
  const created = await hub.gql(
    `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
    { input: { issuerId, name: 'Compiler Construction', description: 'Builds a working compiler.', criteria: { narrative: 'A reviewed compiler.' }, achievementType: 'Competency', evidenceRules: [{ kind: 'PROJECT', minCount: 1 }] } },
    ownerKey,
  );
  achievementId = created.data.createAchievement.achievement.id;
  await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, ownerKey);
});
afterAll(() => hub?.dispose());

describe('verifyCredential through the gateway', () => {
  test('anyone verifies a credential of this hub: VALID, issuer known and linked, recorded as CredentialVerified', async () => {
    const { document } = await issue('verify-1');
    const result = await eventually(() => verify({ credential: document, recipientEmail: 'grace@example.com' }), (answer) => answer.issuer?.known === true);
    expect(result.checks.filter((check: { passed: boolean }) => !check.passed)).toEqual([]);
    expect(result).toMatchObject({
      verified: true,
      status: 'VALID',
      credential: { format: 'VC_2_0', issuerId: document.issuer.id, achievementName: 'Compiler Construction' },
      issuer: { id: document.issuer.id, known: true, source: 'cairn', hubIssuer: { id: issuerId, name: 'Harbor Institute' } },
    });
    expect(result.checks.map((check: { name: string }) => check.name)).toEqual(['FORMAT', 'SCHEMA', 'SUBJECT', 'PROOF', 'STATUS', 'VALIDITY', 'RECIPIENT', 'ISSUER']);
    await eventually(
      () => hub.gql(`query ($id: ID!) { issuer(id: $id) { metrics { credentialsVerified } } }`, { id: issuerId }, ownerKey),
      (answer) => answer.data?.issuer.metrics.credentialsVerified >= 1,
    );
  });

  test('each verification records who asked: an employer organisation, or anonymous', async () => {
    const { document } = await issue('verify-who');
    const employer = (await hub.gql(`mutation { createApiKey(input: { name: "ats", principal: EMPLOYER }) { secret apiKey { employerId } } }`)).data.createApiKey;
    const asEmployer = await verify({ credential: document }, employer.secret);
    const anonymous = await verify({ credential: document });
    const recorded = await readLog(hub.deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_VERIFIED] });
    const payloadOf = (id: string) => recorded.find((event) => (event.payload as { verificationId: string }).verificationId === id)!.payload;
    expect(payloadOf(asEmployer.verificationId)).toMatchObject({ status: 'VALID', verified: true, verifier: { kind: 'EMPLOYER', id: employer.apiKey.employerId } });
    expect(payloadOf(anonymous.verificationId)).toMatchObject({ status: 'VALID', verifier: { kind: 'ANONYMOUS', id: null } });
    expect(recorded.find((event) => (event.payload as { verificationId: string }).verificationId === asEmployer.verificationId)!.issuerId).toBe(issuerId);
  });

  test('a revocation shows in the very next verification; suspension and reinstatement too', async () => {
    const revocable = await issue('verify-revoke');
    expect((await verify({ credential: revocable.document })).status).toBe('VALID');
    await hub.gql(`mutation ($id: ID!) { revokeCredential(input: { credentialId: $id, reason: "Plagiarised" }) { credential { id } } }`, { id: revocable.id }, ownerKey);
    const revoked = await eventually(() => verify({ credential: revocable.document }), (answer) => answer.status !== 'VALID');
    expect(revoked).toMatchObject({ verified: false, status: 'REVOKED' });
    expect(revoked.checks.find((check: { name: string }) => check.name === 'STATUS').message).toMatch(/^The credential is revoked \(index \d+ of http/);

    const suspendable = await issue('verify-suspend', 'SUSPENSION');
    await hub.gql(`mutation ($id: ID!) { suspendCredential(input: { credentialId: $id, reason: "Under review" }) { credential { id } } }`, { id: suspendable.id }, ownerKey);
    expect((await eventually(() => verify({ credential: suspendable.document }), (answer) => answer.status !== 'VALID')).status).toBe('SUSPENDED');
    await hub.gql(`mutation ($id: ID!) { reinstateCredential(input: { credentialId: $id, reason: "Cleared" }) { credential { id } } }`, { id: suspendable.id }, ownerKey);
    expect((await eventually(() => verify({ credential: suspendable.document }), (answer) => answer.status !== 'SUSPENDED')).status).toBe('VALID');
  });

  test('the same credential as a baked PNG, a baked SVG, a VC-JWT (EdDSA and RS256) and by URL', async () => {
    const { id } = await issue('verify-forms');
    // Hosted copies are the issuer's to read (and the holder's); verifying by URL needs the holder to have made it PUBLIC.
    const png = Buffer.from(await (await asIssuer(`/credentials/${id}/badge.png`)).arrayBuffer()).toString('base64');
    const svg = Buffer.from(await (await asIssuer(`/credentials/${id}/badge.svg`)).text()).toString('base64');
    const eddsa = await (await asIssuer(`/credentials/${id}`, { accept: 'application/vc+jwt' })).text();
    const rs256 = await (await asIssuer(`/credentials/${id}?format=jwt&alg=RS256`)).text();
    await makePublic(id);
    for (const input of [{ image: png }, { image: svg }, { jwt: eddsa }, { jwt: rs256 }, { url: `${hub.deps.config.publicBaseUrl}/credentials/${id}` }]) {
      const result = await verify(input);
      expect({ input: Object.keys(input)[0], status: result.status, failed: result.checks.filter((check: { passed: boolean }) => !check.passed) }).toMatchObject({
        status: 'VALID',
        failed: [],
      });
    }
    expect((await verify({ jwt: eddsa })).credential.format).toBe('VC_JWT');
  });

  test('bad input is a verdict with reasons, and a missing input is a coded error', async () => {
    const { document } = await issue('verify-bad');
    const tampered = await verify({ credential: { ...document, name: 'Something Else' } });
    expect(tampered).toMatchObject({ verified: false, status: 'INVALID' });
    expect(tampered.checks.find((check: { name: string }) => check.name === 'PROOF').passed).toBe(false);
    expect((await verify({ credential: '{ not json' })).checks[0]).toMatchObject({ name: 'FORMAT', passed: false });
    const none = await hub.gql(VERIFY, { input: {} }, null);
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('Credential.verification shows each wallet credential’s verdict inline and follows status changes', async () => {
    const { id } = await issue('verify-inline');
    const query = `query ($id: ID!) { credential(id: $id) { name verification { status verified checkedAt } } }`;
    const first = await eventually(() => hub.gql(query, { id }), (answer) => answer.data?.credential?.verification?.status === 'VALID');
    const again = await hub.gql(query, { id });
    expect(again.data.credential.verification.checkedAt).toBe(first.data.credential.verification.checkedAt);
    await hub.gql(`mutation ($id: ID!) { revokeCredential(input: { credentialId: $id }) { credential { id } } }`, { id }, ownerKey);
    await eventually(() => hub.gql(query, { id }), (answer) => answer.data?.credential?.verification?.status === 'REVOKED');
  });
});

describe('credentials from issuers the hub does not know', () => {
  test('a subject-less OB 3.0 credential by an unknown did:key issuer is VALID, warning on subject and issuer, in GraphQL and the VC-API', async () => {
    const generated = await Ed25519Multikey.generate();
    const stranger = `did:key:${generated.publicKeyMultibase}`;
    const signer = await Ed25519Multikey.from({ ...(await generated.export({ publicKey: true, secretKey: true, includeContext: true })), id: `${stranger}#${generated.publicKeyMultibase}`, controller: stranger });
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: 'urn:uuid:8c3b1f9e-4d2a-4e6b-a1f0-5e9d7c2b4a10',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'Diploma in Applied Welding',
      issuer: { id: stranger, type: ['Profile'], name: 'Elsewhere Polytechnic' },
      validFrom: '2025-06-30T00:00:00Z',
      credentialSubject: {
        type: ['AchievementSubject'],
        achievement: { id: 'https://elsewhere.example/achievements/welding', type: ['Achievement'], name: 'Applied Welding', description: 'Two years of welding practice.', criteria: { narrative: 'Passed the final exam.' } },
      },
    };
    const signed = await vc.issue({ credential, suite: new DataIntegrityProof({ signer: signer.signer(), cryptosuite }), documentLoader: createDocumentLoader() });

    const result = await hub.gql(
      `mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) { verified status checks { name outcome passed message } issuer { known } } }`,
      { input: { credential: signed } },
    );
    expect(result.errors).toBeUndefined();
    const verdict = result.data.verifyCredential;
    expect(verdict).toMatchObject({ verified: true, status: 'VALID', issuer: { known: false } });
    const outcomes = Object.fromEntries(verdict.checks.map((check: { name: string; outcome: string }) => [check.name, check.outcome]));
    expect(outcomes).toMatchObject({ SUBJECT: 'WARNING', ISSUER: 'WARNING', PROOF: 'PASSED', FORMAT: 'PASSED', VALIDITY: 'PASSED' });
    expect(verdict.checks.filter((check: { outcome: string }) => check.outcome === 'FAILED')).toEqual([]);
    expect(verdict.checks.every((check: { outcome: string; passed: boolean }) => check.passed === (check.outcome !== 'FAILED'))).toBe(true);

    const response = await fetch(`${origin()}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential: signed }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { verified: boolean; checks: string[]; warnings: Array<{ type: string }>; errors: unknown[] };
    expect(body).toMatchObject({ verified: true, errors: [] });
    expect(body.warnings.map((warning) => warning.type).sort()).toEqual(['issuer', 'subject']);
    expect(body.checks).toEqual(expect.arrayContaining(['format', 'proof', 'validity']));
  });
});

describe('W3C VC-API verifier routes', () => {
  test('POST /credentials/verify answers 200 for a good credential and 400 with the reasons for a bad one', async () => {
    const { document } = await issue('vcapi-1');
    const post = (body: unknown) => fetch(`${origin()}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const good = await eventually(() => post({ verifiableCredential: document }), (response) => response.status === 200);
    const body = (await good.json()) as any;
    expect(body).toMatchObject({ verified: true, status: 'VALID', errors: [] });
    expect(body.checks).toEqual(expect.arrayContaining(['proof', 'status']));
    const bad = await post({ verifiableCredential: { ...document, name: 'Forged Name' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0]).toMatchObject({ type: 'proof' });
    const malformed = await fetch(`${origin()}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/problem\+json/);
    for (const notAMap of [JSON.stringify(document), 42, [document]]) {
      const refused = await post({ verifiableCredential: notAMap });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as any).detail).toMatch(/not a map/);
    }
  });

  test('POST /credentials/verify takes a VC-JWT as an EnvelopedVerifiableCredential', async () => {
    const { id } = await issue('vcapi-enveloped');
    const jwt = await (await asIssuer(`/credentials/${id}`, { accept: 'application/vc+jwt' })).text();
    const post = (verifiableCredential: unknown) => fetch(`${origin()}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential }) });
    const envelope = { '@context': 'https://www.w3.org/ns/credentials/v2', id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' };
    const good = await eventually(() => post(envelope), (response) => response.status === 200);
    expect(await good.json()).toMatchObject({ verified: true, result: { credential: { format: 'VC_JWT' } } });
    const [head, payload] = jwt.split('.');
    const forged = await post({ ...envelope, id: `data:application/vc+jwt,${head}.${payload}.${'A'.repeat(86)}` });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as any).errors[0]).toMatchObject({ type: 'proof' });
  });

  test('POST /presentations/verify refuses malformed presentations with 400 naming the rule', async () => {
    const post = (verifiablePresentation: unknown) =>
      fetch(`${origin()}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiablePresentation, options: { challenge: 'c' } }) });
    const presentation = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'] };
    const { type: _type, ...untyped } = presentation;
    for (const [bad, cause] of [
      [untyped, /has no type/],
      [{ ...presentation, holder: { name: 'Acme' } }, /holder must be a URL/],
      [{ ...presentation, holder: 'not a url' }, /holder must be a URL/],
      [{ ...presentation, verifiableCredential: ['eyJhbGciOiJFZERTQSJ9.e30.AAAA'] }, /must be an object/],
    ] as const) {
      const refused = await post(bad);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as any).detail).toMatch(cause);
    }
  });

  test('POST /presentations/verify checks the holder’s proof against the challenge and every credential inside', async () => {
    const { document } = await issue('vcapi-vp');
    const documentLoader = createDocumentLoader();
    const holderKey = await Ed25519Multikey.generate();
    const holder = `did:key:${holderKey.publicKeyMultibase}`;
    const signer = await Ed25519Multikey.from({ ...(await holderKey.export({ publicKey: true, secretKey: true, includeContext: true })), id: `${holder}#${holderKey.publicKeyMultibase}`, controller: holder });
    const presentation = vc.createPresentation({ verifiableCredential: [document], holder });
    const signed = await vc.signPresentation({ presentation, suite: new DataIntegrityProof({ signer: signer.signer(), cryptosuite }), challenge: 'nonce-42', domain: 'ats.example', documentLoader });
    const post = (options: Record<string, string>) =>
      fetch(`${origin()}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiablePresentation: signed, options }) });
    const good = await eventually(() => post({ challenge: 'nonce-42', domain: 'ats.example' }), (response) => response.status === 200);
    expect(await good.json()).toMatchObject({ verified: true, holder, credentialResults: [{ verified: true, status: 'VALID' }] });
    const replayed = await post({ challenge: 'another-nonce', domain: 'ats.example' });
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as any).errors[0].detail).toMatch(/does not verify for challenge "another-nonce"/);
  });
});

describe('hostile input through the gateway', () => {
  const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

  test('deeply nested JSON is a coded error or an INVALID verdict over GraphQL and a 400 over the VC-API, never a crash', async () => {
    const response = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":${JSON.stringify(VERIFY)},"variables":{"input":{"credential":${deep(50_000)}}}}`,
    });
    const body = (await response.json()) as any;
    expect(body.errors?.[0]).toMatchObject({ message: 'Variables nest deeper than 128 levels', extensions: { code: 'BAD_USER_INPUT' } });
    // Within the gateway's limit but beyond the verifier's, it is a verdict with its reason.
    const nested = await verify({ credential: JSON.parse(deep(100)) });
    expect(nested.checks[0]).toMatchObject({ name: 'FORMAT', passed: false, message: 'The credential nests deeper than 64 levels' });
    const rest = await fetch(`${origin()}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"verifiableCredential":${deep(50_000)}}` });
    expect(rest.status).toBe(400);
    // The hub is still up and answering.
    expect((await hub.gql(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
  });

  test('a 10 MB credential is refused with 413 before anything parses it', async () => {
    const huge = JSON.stringify({ verifiableCredential: { padding: 'x'.repeat(10 * 1024 * 1024) } });
    const rest = await fetch(`${origin()}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    expect(rest.status).toBe(413);
    const graphql = await fetch(hub.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query":${JSON.stringify(VERIFY)},"variables":{"input":{"credential":${huge}}}}` });
    expect(graphql.status).toBe(413);
  });
});

describe('badges baked into the achievement’s own artwork', () => {
  test('an uploaded (data: URI) image is the badge, in SVG and PNG, and the baked credential verifies', async () => {
    const art = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle id="harbor-art" cx="50" cy="50" r="40" fill="#0a6"/></svg>`;
    const created = await hub.gql(
      `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
      {
        input: {
          issuerId,
          name: 'Harbor Piloting',
          description: 'Pilots a vessel into harbour.',
          criteria: { narrative: 'A supervised piloting exam.' },
          achievementType: 'Competency',
          image: { url: `data:image/svg+xml;base64,${Buffer.from(art).toString('base64')}`, caption: 'Harbor badge' },
          evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }],
        },
      },
      ownerKey,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data.createAchievement.achievement.id;
    await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id }, ownerKey);
    const issued = await eventually(
      () =>
        hub.gql(
          `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } document } }`,
          { input: { achievementId: id, recipient: { email: 'pilot@example.com' }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed the exam.' }], idempotencyKey: 'art-1' } },
          ownerKey,
        ),
      (result) => !result.errors,
    );
    const credentialId = issued.data.issueCredential.credential.id;
    expect(issued.data.issueCredential.document.credentialSubject.achievement.image.id).toMatch(/^data:image\/svg\+xml;base64,/);
    const svgResponse = await asIssuer(`/credentials/${credentialId}/badge.svg`);
    expect(svgResponse.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const svg = await svgResponse.text();
    expect(svg).toContain('id="harbor-art"');
    const png = Buffer.from(await (await asIssuer(`/credentials/${credentialId}/badge.png`)).arrayBuffer());
    for (const image of [Buffer.from(svg).toString('base64'), png.toString('base64')]) expect((await verify({ image })).status).toBe('VALID');
  });
});

describe('inline verdicts on imported credentials', () => {
  test('a VC-JWT in a wallet is verified as the JWT it arrived as', async () => {
    const { id } = await issue('verify-imported-jwt');
    const jwt = await (await asIssuer(`/credentials/${id}`, { accept: 'application/vc+jwt' })).text();
    const recipient = (await hub.gql(`mutation { createRecipient(input: { identities: [{ type: EMAIL, value: "jwt-holder@example.com" }] }) { recipient { id } } }`)).data.createRecipient.recipient.id;
    const key = (await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "wallet", principal: RECIPIENT, recipientId: $id }) { secret } }`, { id: recipient })).data.createApiKey.secret;
    const imported = await hub.gql(`mutation ($input: ImportCredentialInput!) { importCredential(input: $input) { credential { id } } }`, { input: { jwt } }, key);
    expect(imported.errors).toBeUndefined();
    const walletId = imported.data.importCredential.credential.id;
    const inline = await hub.gql(`query ($id: ID!) { credential(id: $id) { verification { status checks { name passed } credential { format } } } }`, { id: walletId }, key);
    expect(inline.errors).toBeUndefined();
    expect(inline.data.credential.verification).toMatchObject({ status: 'VALID', credential: { format: 'VC_JWT' } });
  });
});
