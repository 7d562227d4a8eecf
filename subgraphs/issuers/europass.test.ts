import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { validateEdc } from '../../lib/europass/edc-validation.js';
import { newId } from '../../lib/ids.js';
import type { AchievementDefinition } from '../../lib/ob/achievement.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { achievementDefinition, publishAchievementEvent } from '../../test/helpers/achievements.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs } from '../../test/helpers/execute.js';
import { serveSubgraphRoutes } from '../../test/helpers/subgraph-routes.js';
import { issuers } from './index.js';

const admin: Viewer = { kind: 'ADMIN', apiKeyId: newId() };
const anonymous: Viewer = { kind: 'ANONYMOUS' };
const ESCO_DATA = 'http://data.europa.eu/esco/skill/15d76317-c71a-4fa2-aadc-2ecc34e627b7';
const ESCO_SQL = 'http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742';
const NO_CV = 'http://data.europa.eu/snb/model/ap/edc-generic-no-cv/';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
let issuerId: string;
let otherIssuerId: string;
let routes: Awaited<ReturnType<typeof serveSubgraphRoutes>>;

const member = (role: 'VIEWER' | 'ISSUER' = 'VIEWER', of = () => issuerId): Viewer => ({ kind: 'ISSUER', apiKeyId: newId(), issuerId: of(), role });

/** The EU micro-credential: every Council element set. */
const microCredential = achievementDefinition({
  name: 'Data literacy for public servants',
  description: 'Reads, cleans and charts open data.',
  achievementType: 'MicroCredential',
  language: 'en',
  creditsAvailable: 2,
  estimatedLearningHours: 50,
  skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL', url: ESCO_SQL }],
  euProfile: {
    awardingBodyCountry: 'SVN',
    learningOutcomes: [{ text: 'Cleans an open data set', escoSkillUri: ESCO_DATA }, { text: 'Explains a chart to colleagues', escoSkillUri: null }],
    eqfLevel: 5,
    assessmentType: 'Graded project',
    participationForm: 'BLENDED',
    qualityAssurance: 'Accredited by the national QA agency',
    prerequisites: 'None',
    stackable: true,
    stackabilityNote: 'Counts towards the Data Steward certificate',
  },
});
/** An OB badge with no EU element: a learning achievement specification, outcomes from its ESCO skill. */
const badge = achievementDefinition({ name: 'SQL basics', achievementType: 'Badge', skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL', url: ESCO_SQL }] });
/** A German certificate with part of the profile: the missing elements are named. */
const certificate = achievementDefinition({
  name: 'Schweißen Stufe 1',
  description: 'Schweißt eine saubere MIG-Naht.',
  achievementType: 'Certificate',
  language: 'de',
  euProfile: {
    awardingBodyCountry: 'DEU',
    learningOutcomes: [],
    eqfLevel: 3,
    assessmentType: 'Praktische Prüfung',
    participationForm: null,
    qualityAssurance: null,
    prerequisites: null,
    stackable: null,
    stackabilityNote: null,
  },
});

const EXPORT = `query ($reps: [_Any!]!, $name: String) { _entities(representations: $reps) { ... on Credential { europass(recipientName: $name) { document warnings { code field message } } } } }`;

async function issue(definition: AchievementDefinition): Promise<string> {
  const achievementId = await publishAchievementEvent(deps.database.db, { issuerId, definition, publicBaseUrl: deps.config.publicBaseUrl });
  const issued = await executeAs(subgraph, admin, `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`, {
    input: { achievementId, recipient: { email: `${newId()}@example.com` }, evidence: [{ kind: 'ASSESSMENT', narrative: 'Passed.' }], idempotencyKey: newId() },
  });
  expect(issued.errors).toBeUndefined();
  return issued.data!.issueCredential.credential.id;
}

async function exportAs(viewer: Viewer, credentialId: string, name?: string) {
  return executeAs(subgraph, viewer, EXPORT, { reps: [{ __typename: 'Credential', id: credentialId }], name });
}

async function exported(credentialId: string, name?: string): Promise<{ document: Record<string, any>; warnings: { code: string; field: string }[] }> {
  const result = await exportAs(member(), credentialId, name);
  expect(result.errors).toBeUndefined();
  return result.data!._entities[0].europass;
}

/** What a sealing tool adds (as the Commission's sealed samples show): the issuer's eIDAS legal identifier, from the seal. */
function asSealingToolCompletes(document: Record<string, any>): Record<string, any> {
  const sealed = structuredClone(document);
  sealed.issuer.eIDASIdentifier = {
    id: 'urn:epass:legalIdentifier:seal',
    type: 'LegalIdentifier',
    notation: 'VATSI-12345678',
    spatial: { id: 'http://publications.europa.eu/resource/authority/country/SVN', type: 'Concept', inScheme: { id: 'http://publications.europa.eu/resource/authority/country', type: 'ConceptScheme' } },
  };
  return sealed;
}

beforeAll(async () => {
  deps = await createTestDeps({ CAIRN_BULK_WORKER: 'false' });
  subgraph = await issuers.create(deps);
  const create = `mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }`;
  issuerId = (await executeAs(subgraph, admin, create, { input: { name: 'Univerza v Zedu', url: 'https://uniz.example', address: { addressCountry: 'SVN' } } })).data!
    .createIssuer.issuer.id;
  otherIssuerId = (await executeAs(subgraph, admin, create, { input: { name: 'Elsewhere', url: 'https://elsewhere.example' } })).data!.createIssuer.issuer.id;
  routes = await serveSubgraphRoutes(subgraph, deps.log);
});
afterAll(async () => {
  await routes?.close();
  await subgraph?.close();
  await deps?.dispose();
});

describe('EDC export of issued credentials', () => {
  test.each([
    ['an EU micro-credential', microCredential, 'Qualification'],
    ['an OB badge', badge, 'LearningAchievementSpecification'],
    ['a German certificate', certificate, 'Qualification'],
  ])('%s exports as an EDC that the Commission’s shapes accept once the sealing tool adds the seal’s legal identifier', async (_kind, definition, specification) => {
    const credentialId = await issue(definition);
    const { document, warnings } = await exported(credentialId, 'Ana Andromeda');
    expect(document.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
    expect(document['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap']);
    expect(document.credentialSubject.hasClaim.specifiedBy.type).toBe(specification);
    // Unsealed, it lacks exactly what the Commission's own unsealed samples lack: the issuer's eIDAS identifier.
    const unsealed = await validateEdc(document);
    expect(unsealed.undefinedTerms).toEqual([]);
    expect(unsealed.violations.map((violation) => violation.shape)).toEqual([`${NO_CV}EuropeanDigitalCredential-cred_issuer`]);
    expect(warnings.map((warning) => warning.code)).toContain('ISSUER_LEGAL_IDENTIFIER');
    const sealed = await validateEdc(asSealingToolCompletes(document));
    expect(sealed.violations).toEqual([]);
    expect(sealed.conforms).toBe(true);
    // The original Open Badge is linked, so a verifier can read it.
    expect(document.credentialSubject.hasClaim.supplementaryDocument.contentURL).toBe(`${deps.config.publicBaseUrl}/credentials/${credentialId}`);
  });

  test('every mandatory Council element of a complete profile is in the export, and none is warned about', async () => {
    const { document, warnings } = await exported(await issue(microCredential), 'Ana Andromeda');
    const claim = document.credentialSubject.hasClaim;
    const spec = claim.specifiedBy;
    expect(document.credentialSubject.fullName).toEqual({ en: 'Ana Andromeda' }); // identification of the learner
    expect(claim.title).toEqual({ en: 'Data literacy for public servants' }); // title
    expect(claim.awardedBy.awardingBody.legalName).toEqual({ en: 'Univerza v Zedu' }); // awarding body
    expect(claim.awardedBy.awardingBody.location.address.countryCode.id).toBe('http://publications.europa.eu/resource/authority/country/SVN'); // country
    expect(document.issued).toMatch(/^\d{4}-\d\d-\d\dT/); // date of issuing
    expect(spec.learningOutcome.map((outcome: any) => outcome.title.en)).toEqual(['Cleans an open data set', 'Explains a chart to colleagues', 'SQL']);
    expect(spec.learningOutcome[0].relatedESCOSkill).toMatchObject({ id: ESCO_DATA, inScheme: { id: 'http://data.europa.eu/esco/concept-scheme/skills' } });
    expect(spec.creditPoint).toMatchObject({ point: '2', framework: { id: 'http://data.europa.eu/snb/education-credit/6fcec5c5af' } }); // workload (ECTS)
    expect(spec.volumeOfLearning).toBe('PT50H'); // workload (hours)
    expect(spec.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/5'); // level
    expect(spec.provenBy).toMatchObject({ type: 'LearningAssessmentSpecification', title: { en: 'Graded project' } }); // type of assessment
    expect(spec.mode.id).toBe('http://data.europa.eu/snb/learning-assessment/e92d221e4d'); // form of participation: blended
    expect(spec.additionalNote.map((note: any) => note.noteLiteral.en)).toContain('Type of quality assurance: Accredited by the national QA agency');
    expect(spec.entryRequirement.noteLiteral).toEqual({ en: 'None' });
    expect(document.displayParameter.individualDisplay.displayDetail.image.content).toMatch(/^iVBORw0KGgo/); // a PNG, base64
    expect(warnings.map((warning) => warning.code)).toEqual(['ISSUER_LEGAL_IDENTIFIER']);
  });

  test('an incomplete profile names each missing Council element in warnings, and a hashed recipient asks for a real name', async () => {
    const { document, warnings } = await exported(await issue(certificate));
    expect(document.credentialSubject.fullName).toBeUndefined();
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'RECIPIENT_NAME_MISSING', field: 'credentialSubject.fullName' }));
    expect(warnings.find((warning) => warning.code === 'RECIPIENT_NAME_MISSING')).toMatchObject({ message: expect.stringContaining('hashed e-mail') });
    const missing = warnings.filter((warning) => warning.code === 'EU_ELEMENT_MISSING').map((warning) => warning.field);
    expect(missing).toEqual(['specifiedBy (LEARNING_OUTCOMES)', 'specifiedBy (WORKLOAD)', 'specifiedBy (PARTICIPATION_FORM)', 'specifiedBy (QUALITY_ASSURANCE)']);
    // What the credential had is in German, as the achievement was.
    expect(document.credentialSubject.hasClaim.title).toEqual({ de: 'Schweißen Stufe 1' });
    expect(document.displayParameter.primaryLanguage.id).toBe('http://publications.europa.eu/resource/authority/language/DEU');
  });

  test('the export is for the issuer’s members and operators only', async () => {
    const credentialId = await issue(badge);
    expect((await exportAs(anonymous, credentialId)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await exportAs(member('OWNER' as never, () => otherIssuerId), credentialId)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect((await exportAs(admin, credentialId)).errors).toBeUndefined();
    // A credential this hub did not issue has no export.
    expect((await exportAs(admin, newId())).data!._entities[0].europass).toBeNull();
  });

  test('GET /credentials/{id}?format=edc follows the holder’s visibility, like the JSON and JWT forms', async () => {
    const credentialId = await issue(microCredential);
    const get = (viewer: Viewer, query: string) => routes.get(viewer, `/credentials/${credentialId}${query}`);
    // Issued and in nobody's wallet yet: PRIVATE, so strangers get 404 in every form.
    for (const query of ['', '?format=jwt', '?format=edc']) expect((await get(anonymous, query)).status).toBe(404);
    const response = await get(member(), '?format=edc');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/ld+json');
    const document = await response.json();
    expect(document.type).toContain('EuropeanDigitalCredential');
    expect(document.credentialSubject.hasClaim.awardedBy.awardingBody.location.address.countryCode.id).toMatch(/country\/SVN$/);
    expect((await get(admin, '?format=edc')).status).toBe(200);
  });
});

