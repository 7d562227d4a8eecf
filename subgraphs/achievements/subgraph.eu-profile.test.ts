import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import { newId } from '../../lib/ids.js';
import { achievementPublishedEvent } from '../../lib/events/contracts/achievement-published.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { executeAs, type FormattedResult } from '../../test/helpers/execute.js';
import { readLog } from '../../test/helpers/events.js';
import { achievements } from './index.js';

const issuerId = newId();
const member: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000012', issuerId, role: 'ISSUER' };
const stranger: Viewer = { kind: 'ISSUER', apiKeyId: '0190a0a0-0000-7000-8000-000000000013', issuerId: newId(), role: 'OWNER' };
const ESCO_DATA = 'http://data.europa.eu/esco/skill/15d76317-c71a-4fa2-aadc-2ecc34e627b7';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let subgraph: SubgraphInstance;
beforeAll(async () => {
  deps = await createTestDeps({ PUBLIC_BASE_URL: 'https://cairn.example' });
  subgraph = await achievements.create(deps);
});
afterAll(() => deps.dispose());

const PROFILE = `euProfile { complete missing awardingBodyCountry learningOutcomes { text escoSkillUri } eqfLevel assessmentType participationForm
  qualityAssurance prerequisites stackable stackabilityNote }`;
const CREATE = `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id ${PROFILE} } } }`;
const UPDATE = `mutation ($input: UpdateAchievementInput!) { updateAchievement(input: $input) { achievement { id version ${PROFILE} } } }`;
const PUBLISH = `mutation ($input: PublishAchievementInput!) { publishAchievement(input: $input) { achievement { id version status openBadge } } }`;

const data = <T = any>(result: FormattedResult<T>): T => {
  expect(result.errors).toBeUndefined();
  return result.data!;
};

const definition = {
  issuerId,
  name: 'Data literacy for public servants',
  description: 'Reads, cleans and charts open data.',
  criteria: { narrative: 'Pass the graded project.' },
  achievementType: 'MicroCredential',
  evidenceRules: [{ kind: 'PROJECT', minCount: 1 }],
};
const completeProfile = {
  awardingBodyCountry: 'SVN',
  learningOutcomes: [{ text: 'Cleans an open data set', escoSkillUri: ESCO_DATA }, { text: 'Explains a chart to colleagues' }],
  eqfLevel: 5,
  assessmentType: 'Graded project',
  participationForm: 'BLENDED',
  qualityAssurance: 'Accredited by the national QA agency',
  prerequisites: 'None',
  stackable: true,
  stackabilityNote: 'Counts towards the Data Steward certificate',
};

describe('EU micro-credential profile on achievements', () => {
  test('euProfile names the missing mandatory elements, and publishing under EU_MICROCREDENTIAL refuses until none is missing', async () => {
    const created = data(await executeAs(subgraph, member, CREATE, { input: { ...definition, euProfile: { eqfLevel: 5 } } })).createAchievement.achievement;
    expect(created.euProfile).toMatchObject({ complete: false, eqfLevel: 5, learningOutcomes: [] });
    expect(created.euProfile.missing).toEqual(['AWARDING_BODY_COUNTRY', 'LEARNING_OUTCOMES', 'WORKLOAD', 'ASSESSMENT_TYPE', 'PARTICIPATION_FORM', 'QUALITY_ASSURANCE']);

    const refused = await executeAs(subgraph, member, PUBLISH, { input: { id: created.id, profile: 'EU_MICROCREDENTIAL' } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'euProfile', missing: created.euProfile.missing });
    expect(refused.errors?.[0]?.message).toContain('QUALITY_ASSURANCE');

    const updated = data(await executeAs(subgraph, member, UPDATE, { input: { id: created.id, euProfile: completeProfile, creditsAvailable: 2 } }))
      .updateAchievement.achievement;
    expect(updated.euProfile).toMatchObject({ ...completeProfile, complete: true, missing: [] });

    const published = data(await executeAs(subgraph, member, PUBLISH, { input: { id: created.id, profile: 'EU_MICROCREDENTIAL' } })).publishAchievement
      .achievement;
    expect(published.status).toBe('PUBLISHED');
    const ob = published.openBadge;
    // What OB has a place for goes there: ECTS in creditsAvailable, the ESCO skill as an alignment to a competency.
    expect(ob.creditsAvailable).toBe(2);
    expect(ob.alignment).toContainEqual(
      expect.objectContaining({ targetUrl: ESCO_DATA, targetFramework: 'ESCO', targetType: 'ceasn:Competency', type: ['Alignment'] }),
    );
    // The rest rides in the extension, which issuance copies into every credential.
    expect(ob.euMicroCredential).toMatchObject({
      type: ['EuMicroCredentialExtension'],
      awardingBodyCountry: 'SVN',
      eqfLevel: 5,
      participationForm: 'BLENDED',
      assessmentType: 'Graded project',
      qualityAssurance: 'Accredited by the national QA agency',
      learningOutcome: [{ description: 'Cleans an open data set', relatedESCOSkill: ESCO_DATA }, { description: 'Explains a chart to colleagues' }],
      stackable: true,
    });
    const events = await readLog(deps.database.db, { after: 0, limit: 100, issuerId });
    const payload = events.filter((event) => event.type === achievementPublishedEvent.type).map((event) => achievementPublishedEvent.parse(event.payload));
    expect(payload[0]?.achievement.euMicroCredential?.awardingBodyCountry).toBe('SVN');
  });

  test('publishing without a profile does not check the EU elements; null clears the profile', async () => {
    const created = data(await executeAs(subgraph, member, CREATE, { input: { ...definition, euProfile: completeProfile } })).createAchievement.achievement;
    const cleared = data(await executeAs(subgraph, member, UPDATE, { input: { id: created.id, euProfile: null } })).updateAchievement.achievement;
    expect(cleared.euProfile).toMatchObject({ complete: false, awardingBodyCountry: null, learningOutcomes: [] });
    const published = data(await executeAs(subgraph, member, PUBLISH, { input: { id: created.id } })).publishAchievement.achievement;
    expect(published.openBadge.euMicroCredential).toBeUndefined();
  });

  test('another issuer may not set the profile or publish under it', async () => {
    const created = data(await executeAs(subgraph, member, CREATE, { input: { ...definition, euProfile: completeProfile } })).createAchievement.achievement;
    const update = await executeAs(subgraph, stranger, UPDATE, { input: { id: created.id, euProfile: null } });
    expect(update.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const publish = await executeAs(subgraph, stranger, PUBLISH, { input: { id: created.id, profile: 'EU_MICROCREDENTIAL' } });
    expect(publish.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });
});
