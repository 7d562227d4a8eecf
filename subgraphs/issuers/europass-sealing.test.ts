import { unzipSync, strFromU8 } from 'fflate';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { validateEdc } from '../../lib/europass/edc-validation.js';
import { newId } from '../../lib/ids.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { EC_MICROCREDENTIAL, readSealedEdc } from '../../test/helpers/europass-fixtures.js';
import { executeAs } from '../../test/helpers/execute.js';
import { serveSubgraphRoutes } from '../../test/helpers/subgraph-routes.js';
import { createTestSealChain, sealEdc, type TestSealChain } from '../../test/helpers/jades-seal.js';
import type { IssuersContext } from './context.js';
import { issuers } from './index.js';
import { BulkWorker } from './workers/bulk-worker.js';

// The sealing hand-off: unsigned EDCs zipped for the institution's sealing tool (by achievement or bulk job), and the
// sealed EDC handed back with importSealedEdc, then served at the credential's URL with format=edc.

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const anonymous: Viewer = { kind: 'ANONYMOUS' };
let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;
let otherIssuerId: string;
let achievementId: string;
let chain: TestSealChain;
let routes: Awaited<ReturnType<typeof serveSubgraphRoutes>>;

const member = (role: 'VIEWER' | 'ISSUER', of = () => issuerId): Viewer => ({ kind: 'ISSUER', apiKeyId: newId(), issuerId: of(), role });
const definition = achievementDefinition({
  name: 'Data literacy',
  achievementType: 'MicroCredential',
  language: 'en',
  creditsAvailable: 2,
  euProfile: {
    awardingBodyCountry: 'SVN',
    learningOutcomes: [{ text: 'Cleans data', escoSkillUri: null }],
    eqfLevel: 5,
    assessmentType: 'Project',
    participationForm: 'ONLINE',
    qualityAssurance: 'Faculty QA',
    prerequisites: null,
    stackable: null,
    stackabilityNote: null,
  },
});

const get = (viewer: Viewer, path: string) => routes.get(viewer, path);

async function issueOne(): Promise<string> {
  const issued = await executeAs(subgraph, admin, `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`, {
    input: { achievementId, recipient: { email: `${newId()}@example.com` }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }], idempotencyKey: newId() },
  });
  expect(issued.errors).toBeUndefined();
  return issued.data!.issueCredential.credential.id;
}

const EXPORT = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Credential { europass { document sealed { sealedBy document } } } } }`;
const IMPORT_SEALED = `mutation ($input: ImportSealedEdcInput!) { importSealedEdc(input: $input) { credential { id } sealed { sealedBy signingTime } trust trustMessage } }`;
const exportOf = async (credentialId: string) =>
  (await executeAs(subgraph, admin, EXPORT, { reps: [{ __typename: 'Credential', id: credentialId }] })).data!._entities[0].europass;

beforeAll(async () => {
  chain = await createTestSealChain();
  const anchors = join(mkdtempSync(join(tmpdir(), 'cairn-anchors-')), 'anchors.pem');
  writeFileSync(anchors, chain.rootPem);
  deps = await createTestDeps({ CAIRN_BULK_WORKER: 'false', EUROPASS_TRUST_ANCHORS: anchors });
  subgraph = await issuers.create(deps);
  const create = `mutation ($name: String!) { createIssuer(input: { name: $name, url: "https://uniz.example" }) { issuer { id } } }`;
  issuerId = (await executeAs(subgraph, admin, create, { name: 'Univerza v Zedu' })).data!.createIssuer.issuer.id;
  otherIssuerId = (await executeAs(subgraph, admin, create, { name: 'Elsewhere' })).data!.createIssuer.issuer.id;
  achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition, publicBaseUrl: deps.config.publicBaseUrl });
  routes = await serveSubgraphRoutes(subgraph, deps.log);
});
afterAll(async () => {
  await routes?.close();
  await subgraph?.close();
  await deps?.dispose();
});

describe('EDC export for the sealing tool', () => {
  test('an achievement’s credentials come zipped, one EDC each, with a manifest of what each lacks', async () => {
    const ids = [await issueOne(), await issueOne()];
    const response = await get(member('VIEWER'), `/issuers/${issuerId}/europass.zip?achievementId=${achievementId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/zip');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([...ids.map((id) => `${id}.json`), 'manifest.json'].sort());
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    expect(manifest.credentials.map((entry: { credentialId: string }) => entry.credentialId)).toEqual(ids);
    expect(manifest.credentials[0].warnings.map((warning: { code: string }) => warning.code)).toEqual(['ISSUER_LEGAL_IDENTIFIER', 'RECIPIENT_NAME_MISSING']);
    for (const id of ids) {
      const document = JSON.parse(strFromU8(files[`${id}.json`]!));
      expect(document.id).toBe(`urn:credential:${id}`);
      const validation = await validateEdc(document);
      expect(validation.violations.map((violation) => violation.shape)).toEqual(['http://data.europa.eu/snb/model/ap/edc-generic-no-cv/EuropeanDigitalCredential-cred_issuer']);
    }
  });

  test('a bulk job’s credentials come zipped in row order', async () => {
    const csv = ['email,evidence_kind,evidence_narrative', 'one@example.com,assessment,Passed.', 'two@example.com,assessment,Passed.'].join('\n');
    const queued = await executeAs(subgraph, admin, `mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id } } }`, { input: { achievementId, csv } });
    const jobId = queued.data!.issueCredentials.job.id;
    const ctx = subgraph.createContext({ viewer: admin, requestId: 't', log: deps.log }) as IssuersContext;
    await new BulkWorker(ctx.issuance, ctx.jobs, deps.feed, deps.log, { chunkSize: 5 }).runOnce();
    const credentialIds = (await ctx.jobs.rowsOf(jobId)).map((row) => row.credentialId);
    const files = unzipSync(new Uint8Array(await (await get(admin, `/issuers/${issuerId}/europass.zip?jobId=${jobId}`)).arrayBuffer()));
    expect(JSON.parse(strFromU8(files['manifest.json']!)).credentials.map((entry: { credentialId: string }) => entry.credentialId)).toEqual(credentialIds);
  });

  test('the zip is for the issuer’s members and operators, and needs exactly one of achievementId or jobId', async () => {
    expect((await get(anonymous, `/issuers/${issuerId}/europass.zip?achievementId=${achievementId}`)).status).toBe(401);
    expect((await get(member('VIEWER', () => otherIssuerId), `/issuers/${issuerId}/europass.zip?achievementId=${achievementId}`)).status).toBe(403);
    expect((await get(admin, `/issuers/${issuerId}/europass.zip`)).status).toBe(400);
    // Another issuer's achievement exports nothing of this one's.
    const files = unzipSync(new Uint8Array(await (await get(admin, `/issuers/${otherIssuerId}/europass.zip?achievementId=${achievementId}`)).arrayBuffer()));
    expect(JSON.parse(strFromU8(files['manifest.json']!)).credentials).toEqual([]);
  });
});

describe('the sealed EDC handed back', () => {
  test('importSealedEdc attaches it; format=edc then serves it byte for byte, and Credential.europass shows it', async () => {
    const credentialId = await issueOne();
    const sealed = await sealEdc((await exportOf(credentialId)).document, chain);
    const imported = await executeAs(subgraph, member('ISSUER'), IMPORT_SEALED, { input: { credentialId, sealed } });
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.importSealedEdc).toMatchObject({ credential: { id: credentialId }, trust: 'TRUSTED', sealed: { sealedBy: expect.stringContaining('Univerza v Zedu') } });
    const served = await get(member('VIEWER'), `/credentials/${credentialId}?format=edc`);
    expect(served.headers.get('content-type')).toContain('application/jose+json');
    expect(await served.text()).toBe(JSON.stringify(sealed));
    expect((await exportOf(credentialId)).sealed.document).toEqual(sealed);
    // Still as visible as the credential: strangers get 404.
    expect((await get(anonymous, `/credentials/${credentialId}?format=edc`)).status).toBe(404);
  });

  test('a seal that does not hold, another credential’s EDC, or a VIEWER member is refused', async () => {
    const credentialId = await issueOne();
    const sealed = await sealEdc((await exportOf(credentialId)).document, chain);
    const tampered = { ...sealed, payload: sealed.payload.replace('Data literacy', 'Brain surgery') };
    expect((await executeAs(subgraph, admin, IMPORT_SEALED, { input: { credentialId, sealed: tampered } })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SEAL_INVALID' });
    const other = await issueOne();
    expect((await executeAs(subgraph, admin, IMPORT_SEALED, { input: { credentialId: other, sealed } })).errors?.[0]?.extensions).toMatchObject({ reason: 'SEALED_EDC_MISMATCH' });
    expect((await executeAs(subgraph, admin, IMPORT_SEALED, { input: { credentialId, sealed: readSealedEdc(EC_MICROCREDENTIAL) } })).errors?.[0]?.extensions).toMatchObject({ reason: 'SEALED_EDC_MISMATCH' });
    expect((await executeAs(subgraph, admin, IMPORT_SEALED, { input: { credentialId, sealed: { hello: 'world' } } })).errors?.[0]?.extensions).toMatchObject({ field: 'sealed' });
    expect((await executeAs(subgraph, member('VIEWER'), IMPORT_SEALED, { input: { credentialId, sealed } })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect((await executeAs(subgraph, member('ISSUER', () => otherIssuerId), IMPORT_SEALED, { input: { credentialId, sealed } })).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    // A seal from a chain no anchor vouches for is kept, and said to be of unknown trust.
    const stranger = await sealEdc((await exportOf(credentialId)).document, await createTestSealChain());
    expect((await executeAs(subgraph, admin, IMPORT_SEALED, { input: { credentialId, sealed: JSON.stringify(stranger) } })).data!.importSealedEdc.trust).toBe('UNKNOWN');
  });
});
