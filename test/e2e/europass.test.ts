import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateEdc } from '../../lib/europass/edc-validation.js';
import { employerKey, ESCO_SQL, issuerWithAchievement, issueTo, signInByEmail } from '../helpers/employer-view.js';
import { EC_MICROCREDENTIAL, readSealedEdc } from '../helpers/europass-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { createTestSealChain, sealEdc, type TestSealChain } from '../helpers/jades-seal.js';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.js';

// Europass through the real gateway: a university publishes an EU micro-credential, exports the credential it issued
// as an EDC, seals it with its (throwaway) e-seal; the learner imports the sealed EDC and the Commission's sample
// into her wallet beside an Open Badge; an employer sees her ESCO skill once, backed by both. The operator's trust
// anchors file holds the throwaway root, as it would hold the EU trusted lists' certificates.

let hub: TestHub;
let mailbox: TestMailbox;
let chain: TestSealChain;
let ada: { id: string; token: string };
let acme: { key: string; employerId: string };
const wallet: Record<'badge' | 'edc' | 'sample', string> = {} as never;
let sealed: Awaited<ReturnType<typeof sealEdc>>;

const IMPORT = `mutation ($input: ImportCredentialInput!) { importCredential(input: $input) { duplicate verdict { status checks { name passed message } } credential { id format } } }`;
const VERIFY = `mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) { verified status checks { name outcome message } credential { format name } issuer { known source } } }`;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  chain = await createTestSealChain();
  const anchors = join(mkdtempSync(join(tmpdir(), 'cairn-europass-')), 'eu-trust-anchors.pem');
  writeFileSync(anchors, chain.rootPem);
  hub = await startTestHub({ CAIRN_SMTP_URL: mailbox.url, EUROPASS_TRUST_ANCHORS: anchors });
  acme = await employerKey(hub, 'Acme ATS');
  const token = await signInByEmail(hub, mailbox, 'ada@lovelace.example');
  ada = { id: (await hub.gql(`{ me { recipient { id } } }`, {}, token)).data.me.recipient.id, token };
  const northwind = await issuerWithAchievement(hub, {
    name: 'Northwind Academy',
    achievement: 'SQL Query Fundamentals',
    skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL' }],
    evidenceKind: 'ASSESSMENT',
  });
  wallet.badge = (await issueTo(hub, northwind, { email: 'ada@lovelace.example' }, 'ASSESSMENT', 'ada-badge')).id;
  await eventually(() => hub.gql(`{ me { recipient { credentials { totalCount } } } }`, {}, token), (r) => r.data?.me.recipient.credentials.totalCount === 1);
});
afterAll(async () => {
  await hub?.dispose();
  await mailbox?.close();
});

describe('Europass end to end', () => {
  test('a university publishes an EU micro-credential, issues it and exports it as an EDC ready for its seal', async () => {
    const created = await hub.gql(`mutation { createIssuer(input: { name: "Univerza v Zedu", url: "https://uniz.example" }) { issuer { id } } }`);
    const issuerId = created.data.createIssuer.issuer.id;
    const input = {
      issuerId,
      name: 'Data literacy for public servants',
      description: 'Reads, cleans and charts open data.',
      criteria: { narrative: 'Pass the graded project.' },
      achievementType: 'MicroCredential',
      language: 'en',
      creditsAvailable: 2,
      evidenceRules: [{ kind: 'PROJECT', minCount: 1 }],
      euProfile: { awardingBodyCountry: 'SVN', eqfLevel: 5, learningOutcomes: [{ text: 'Writes SQL queries', escoSkillUri: ESCO_SQL }] },
    };
    const achievement = (await hub.gql(`mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id euProfile { complete missing } } } }`, { input })).data
      .createAchievement.achievement;
    expect(achievement.euProfile).toEqual({ complete: false, missing: ['ASSESSMENT_TYPE', 'PARTICIPATION_FORM', 'QUALITY_ASSURANCE'] });
    const PUBLISH = `mutation ($id: ID!) { publishAchievement(input: { id: $id, profile: EU_MICROCREDENTIAL }) { achievement { status } } }`;
    expect((await hub.gql(PUBLISH, { id: achievement.id })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', missing: ['ASSESSMENT_TYPE', 'PARTICIPATION_FORM', 'QUALITY_ASSURANCE'] });
    const completed = { ...input.euProfile, assessmentType: 'Graded project', participationForm: 'ONLINE', qualityAssurance: 'Faculty QA board' };
    await hub.gql(`mutation ($id: ID!, $profile: EuProfileInput!) { updateAchievement(input: { id: $id, euProfile: $profile }) { achievement { id } } }`, { id: achievement.id, profile: completed });
    expect((await hub.gql(PUBLISH, { id: achievement.id })).data.publishAchievement.achievement.status).toBe('PUBLISHED');

    const issued = await hub.gql(
      `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id europass(recipientName: "Ada Lovelace") { document warnings { code } } } } }`,
      { input: { achievementId: achievement.id, recipient: { email: 'ada@lovelace.example' }, evidence: [{ kind: 'PROJECT', narrative: 'A cleaned data set.' }], idempotencyKey: 'uniz-ada' } },
    );
    expect(issued.errors).toBeUndefined();
    const { document, warnings } = issued.data.issueCredential.credential.europass;
    expect(warnings.map((warning: { code: string }) => warning.code)).toEqual(['ISSUER_LEGAL_IDENTIFIER']);
    sealed = await sealEdc(document, chain);
    expect((await validateEdc(JSON.parse(sealed.payload))).conforms).toBe(true);

    // The sealed EDC goes back to the hub, which serves it at the credential's URL from then on.
    const credentialId = issued.data.issueCredential.credential.id;
    const attached = await hub.gql(
      `mutation ($input: ImportSealedEdcInput!) { importSealedEdc(input: $input) { trust sealed { sealedBy } } }`,
      { input: { credentialId, sealed } },
    );
    expect(attached.data.importSealedEdc).toMatchObject({ trust: 'TRUSTED', sealed: { sealedBy: expect.stringContaining('Univerza v Zedu') } });
    const served = await fetch(`${hub.gateway.url.replace(/\/graphql$/, '')}/credentials/${credentialId}?format=edc`, { headers: { authorization: `Bearer ${hub.adminKey}` } });
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(sealed);
  });

  test('the learner imports the sealed EDC and the Commission’s sample: both verify, the sample’s issuer trust is unknown', async () => {
    const edc = await hub.gql(IMPORT, { input: { credential: sealed } }, ada.token);
    expect(edc.errors).toBeUndefined();
    expect(edc.data.importCredential).toMatchObject({ duplicate: false, verdict: { status: 'VALID' }, credential: { format: 'EDC_JADES' } });
    expect(edc.data.importCredential.verdict.checks.find((check: { name: string }) => check.name === 'issuer')).toMatchObject({
      passed: true,
      message: expect.stringContaining('reaches the trust anchor'),
    });
    wallet.edc = edc.data.importCredential.credential.id;

    const sample = await hub.gql(IMPORT, { input: { credential: readSealedEdc(EC_MICROCREDENTIAL) } }, ada.token);
    expect(sample.data.importCredential).toMatchObject({ verdict: { status: 'VALID' }, credential: { format: 'EDC_JADES' } });
    expect(sample.data.importCredential.verdict.checks.find((check: { name: string }) => check.name === 'issuer')).toMatchObject({
      passed: true,
      message: expect.stringMatching(/^Seal valid, issuer trust unknown/),
    });
    wallet.sample = sample.data.importCredential.credential.id;

    // The verification service keeps its own copy (the sealed JWS JSON) and judges it the same way.
    const VERDICT = `query ($id: ID!) { credential(id: $id) { format verification { status checks { name outcome } } } }`;
    const verdict = await eventually(
      () => hub.gql(VERDICT, { id: wallet.edc }, ada.token),
      (result) => result.data?.credential?.verification?.status === 'VALID',
    );
    expect(verdict.data.credential).toMatchObject({ format: 'EDC_JADES', verification: { status: 'VALID' } });
    expect(verdict.data.credential.verification.checks).toContainEqual({ name: 'ISSUER', outcome: 'PASSED' });
  });

  test('verifyCredential: a tampered seal is INVALID; a seal from a chain the operator does not trust is valid with issuer trust unknown', async () => {
    const tampered = await hub.gql(VERIFY, { input: { credential: { ...sealed, payload: sealed.payload.replace('Ada Lovelace', 'Eve Lovelace') } } }, null);
    expect(tampered.data.verifyCredential).toMatchObject({ verified: false, status: 'INVALID' });
    expect(tampered.data.verifyCredential.checks.find((check: { name: string }) => check.name === 'PROOF').outcome).toBe('FAILED');
    const stranger = await sealEdc(JSON.parse(sealed.payload), await createTestSealChain({ organisation: 'Nobody Knows' }));
    const unknown = await hub.gql(VERIFY, { input: { credential: stranger } }, null);
    expect(unknown.data.verifyCredential).toMatchObject({ status: 'VALID', credential: { format: 'EDC_JADES' }, issuer: { known: false } });
    expect(unknown.data.verifyCredential.checks.find((check: { name: string }) => check.name === 'ISSUER')).toMatchObject({ outcome: 'WARNING', message: expect.stringContaining('issuer trust unknown') });
  });

  test('the employer’s candidate view counts the ESCO skill once, backed by the Open Badge and the EDC', async () => {
    const SET = `mutation ($id: ID!) { setCredentialVisibility(input: { credentialId: $id, visibility: PUBLIC }) { credential { id } } }`;
    for (const id of [wallet.badge, wallet.edc]) expect((await hub.gql(SET, { id }, ada.token)).errors).toBeUndefined();
    expect((await hub.gql(`mutation ($org: ID!) { grantConsent(input: { employerId: $org, scope: PUBLIC_AND_SHARED }) { consent { id } } }`, { org: acme.employerId }, ada.token)).errors).toBeUndefined();
    const seen = await hub.gql(`query ($id: ID!) { candidate(recipientId: $id) { stackedSkills { framework code credentialCount credentials { id } } } }`, { id: ada.id }, acme.key);
    expect(seen.errors).toBeUndefined();
    const sql = seen.data.candidate.stackedSkills.filter((skill: { code: string }) => skill.code === ESCO_SQL);
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatchObject({ framework: 'ESCO', credentialCount: 2 });
    expect(sql[0].credentials.map((credential: { id: string }) => credential.id).sort()).toEqual([wallet.badge, wallet.edc].sort());
  });
});
