import { createApiKey } from '../../lib/auth/api-keys.js';
import type { Db } from '../../lib/db/client.js';
import type { Logger } from '../../lib/log.js';
import { callGateway } from '../seed-demo.js';
import { seededRandom } from '../../lib/seeded-random.js';
import { planScenario, type ScenarioPlan } from './plan.js';
import { SCENARIO_ISSUERS, SCENARIO_PATHWAYS } from './program.js';

const DAY_MS = 86_400_000;
/** @default 100 // rows per bulk issuance job */
const ROWS_PER_JOB = 100;
/** @default 4 // attempts of a read or idempotent write when the hub was too busy to answer */
const RETRIES = 4;
const TRANSIENT = /ECONNRESET|QUERY_TIMEOUT|DATABASE_UNAVAILABLE|TOO_MANY_REQUESTS/;
const NOT_DELIVERED = /ECONNRESET/;
/** No key: a recruiter opening a public share link. */
const ANONYMOUS_VISITOR = '';

/** What `npm run seed:scenario` hands out: an operator key and each issuer's owner key (sign in to /dashboard). */
export interface ScenarioKeys {
  admin: string;
  issuers: { name: string; issuerId: string; key: string }[];
  employers: { name: string; key: string }[];
}

export class ScenarioAlreadySeeded extends Error {}

/** Runs `tasks` at most `width` at a time (the hub on two cores is not helped by more). */
async function inPool<T>(width: number, items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const EMPLOYERS = ['Acme Freight (talent acquisition)', 'Portside Analytics', 'Meridian Health Logistics'];

/**
 * Seeds the scenario programme (scripts/scenario/program.ts) through the gateway, as clients would: issuers,
 * achievements, pathways, bulk issuance dated by when each learner earned the credential (validFrom), then the
 * holders' shares, employers' verifications and the academy's career records. Refuses a hub that already has it.
 */
export async function seedScenario(db: Db, gatewayUrl: string, options: { learners: number; log: Logger; now?: Date }): Promise<{ keys: ScenarioKeys; plan: ScenarioPlan }> {
  const { log } = options;
  const now = options.now ?? new Date();
  const anonymous = (query: string, variables: Record<string, unknown> = {}) => callGateway(gatewayUrl, 'scenario seed', query, variables);
  // Checked before anything is written, the operator key included: a second run changes nothing.
  const existing = await anonymous('{ issuers(first: 100) { edges { node { name } } } }');
  const names = new Set(existing.issuers.edges.map((edge: { node: { name: string } }) => edge.node.name));
  if (SCENARIO_ISSUERS.some((issuer) => names.has(issuer.name))) {
    throw new ScenarioAlreadySeeded('This hub already has the scenario programme (its issuers exist); start from an empty database to seed it again.');
  }
  const bootstrap = (await createApiKey(db, { name: 'Scenario operator', grant: { principal: 'ADMIN' } })).secret;
  const call = (query: string, variables: Record<string, unknown> = {}, key = bootstrap) => callGateway(gatewayUrl, 'scenario seed', query, variables, key);
  /**
   * Asked again when the hub did not answer: for reads and idempotent writes (publishing, bulk rows with idempotency
   * keys) also after the query timeout, which a two-core machine under load reaches now and then; for creations only
   * after a reset connection (the gateway reused a keep-alive connection the subgraph had just closed: the request
   * never arrived, and likewise for the seed's own connection to the gateway).
   */
  const again = async (query: string, variables: Record<string, unknown> = {}, key = bootstrap, transient = TRANSIENT) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call(query, variables, key);
      } catch (error) {
        // A reset of the seed's own connection to the gateway shows as the fetch's cause.
        const { message, cause } = error as Error & { cause?: { code?: string } };
        if (attempt >= RETRIES || !transient.test(`${message} ${cause?.code ?? ''}`)) throw error;
        await sleep(1000 * attempt);
      }
    }
  };
  const plan = planScenario(options.learners, now);
  const random = seededRandom(options.learners + 1);

  const issuers = new Map<string, { id: string; key: string; achievements: Map<string, { id: string; evidenceKind: string }> }>();
  for (const { key, achievements, recordsCareerEvents: _, ...profile } of SCENARIO_ISSUERS) {
    const id: string = (await again('mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }', { input: profile }, bootstrap, NOT_DELIVERED)).createIssuer.issuer.id;
    const owner: string = (await again('mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name: `${profile.name} (scenario owner)`, principal: 'ISSUER', issuerId: id, role: 'OWNER' } }, bootstrap, NOT_DELIVERED)).createApiKey.secret;
    issuers.set(key, { id, key: owner, achievements: new Map() });
  }
  const awardedByPathway = new Set(SCENARIO_PATHWAYS.map((pathway) => pathway.award));
  // One at a time: the hub's own clients would not define twenty achievements at once either.
  for (const { key, achievements } of SCENARIO_ISSUERS) {
    const issuer = issuers.get(key)!;
    for (const { key: achievementKey, narrative, evidenceKind, hours, weight: _, ...definition } of achievements) {
      const created = await again('mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }', {
        // A pathway's certificate is awarded by the hub on completion, with no evidence of its own to ask for.
        input: { ...definition, issuerId: issuer.id, criteria: { narrative }, achievementType: 'Competency', estimatedLearningHours: hours, validity: 'P3Y', ...(awardedByPathway.has(achievementKey) ? { competencyBased: false, evidenceRules: [] } : { evidenceRules: [{ kind: evidenceKind, minCount: 1 }] }) },
      }, issuer.key, NOT_DELIVERED);
      const id: string = created.createAchievement.achievement.id;
      await again('mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }', { id }, issuer.key);
      issuer.achievements.set(achievementKey, { id, evidenceKind });
    }
  }
  for (const pathway of SCENARIO_PATHWAYS) {
    const issuer = issuers.get(pathway.issuer)!;
    const created = await again('mutation ($input: CreatePathwayInput!) { createPathway(input: $input) { pathway { id } } }', {
      input: {
        issuerId: issuer.id,
        name: pathway.name,
        description: pathway.description,
        requirement: { kind: 'ALL_OF', children: pathway.steps.map((step) => ({ kind: 'ACHIEVEMENT', achievement: issuer.achievements.get(step)!.id })) },
        award: { achievementId: issuer.achievements.get(pathway.award)!.id },
      },
    }, issuer.key, NOT_DELIVERED);
    await again('mutation ($id: ID!) { publishPathway(input: { id: $id }) { pathway { id } } }', { id: created.createPathway.pathway.id }, issuer.key);
  }
  log.info({ issuers: issuers.size, achievements: SCENARIO_ISSUERS.reduce((sum, issuer) => sum + issuer.achievements.length, 0), pathways: SCENARIO_PATHWAYS.length }, 'scenario programme defined');

  // One bulk job per achievement, its rows in the order they were earned (the issuance subscribers see the year replayed).
  const jobs: { id: string; key: string }[] = [];
  for (const [issuerKey, issuer] of issuers) {
    for (const [achievementKey, achievement] of issuer.achievements) {
      const awards = plan.awards.filter((award) => award.issuer === issuerKey && award.achievement === achievementKey).sort((a, b) => a.earnedAt.getTime() - b.earnedAt.getTime());
      if (awards.length === 0) continue;
      const rows = awards.map((award) => {
        const person = plan.learners[award.learner]!;
        return {
          recipient: { email: person.email, name: person.name },
          evidence: [{ kind: achievement.evidenceKind, narrative: 'Assessed and passed.' }],
          // The day the learner earned it: a programme importing its year of awards states each award's date.
          validFrom: award.earnedAt.toISOString(),
          idempotencyKey: `scenario:${achievementKey}:${person.email}`,
        };
      });
      // In parts: one request validating thousands of rows outlasts the gateway's query timeout on a busy machine.
      for (let start = 0; start < rows.length; start += ROWS_PER_JOB) {
        const input = { achievementId: achievement.id, rows: rows.slice(start, start + ROWS_PER_JOB) };
        const started = await again('mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id } } }', { input }, issuer.key);
        jobs.push({ id: started.issueCredentials.job.id, key: issuer.key });
      }
    }
  }
  for (const job of jobs) {
    for (;;) {
      const { issuanceJob } = await again('query ($id: ID!) { issuanceJob(id: $id) { status issued failed total } }', { id: job.id }, job.key);
      if (issuanceJob.failed > 0 || issuanceJob.status === 'FAILED') throw new Error(`scenario seed: issuance job ${job.id} failed ${issuanceJob.failed} of ${issuanceJob.total} rows`);
      if (issuanceJob.status === 'COMPLETED') break;
      await sleep(500);
    }
  }
  log.info({ credentials: plan.awards.length, jobs: jobs.length }, 'scenario credentials issued');

  // The wallets fill from the log; every learner is a recipient once delivery has caught up.
  const holders = new Map<string, { id: string; credentials: { id: string; document: unknown }[] }>();
  for (let attempt = 0; holders.size < plan.learners.length; attempt += 1) {
    if (attempt > 600) throw new Error(`scenario seed: ${holders.size} of ${plan.learners.length} wallets filled after 5 minutes`);
    holders.clear();
    let after: string | null = null;
    do {
      const page: any = await again(`query ($after: String) { recipients(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
        edges { node { id identities { value } credentials(first: 10) { edges { node { id document } } } } } } }`, { after });
      for (const { node } of page.recipients.edges) {
        holders.set(node.identities[0]?.value, { id: node.id, credentials: node.credentials.edges.map((edge: { node: { id: string; document: unknown } }) => edge.node) });
      }
      after = page.recipients.pageInfo.hasNextPage ? page.recipients.pageInfo.endCursor : null;
    } while (after);
    const delivered = [...holders.values()].reduce((sum, holder) => sum + holder.credentials.length, 0);
    if (holders.size >= plan.learners.length && delivered >= plan.awards.length) break;
    holders.clear();
    await sleep(500);
  }

  const employers: ScenarioKeys['employers'] = [];
  for (const name of EMPLOYERS) employers.push({ name, key: (await again('mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name, principal: 'EMPLOYER' } }, bootstrap, NOT_DELIVERED)).createApiKey.secret });
  let shares = 0;
  let verifications = 0;
  await inPool(4, plan.learners, async (person) => {
    const holder = holders.get(person.email);
    if (!holder || !person.shares) return;
    const shown = holder.credentials.filter(() => random() < 0.8);
    if (shown.length === 0) return;
    const share = await again('mutation ($input: CreateShareInput!) { createShare(input: $input) { token } }', { input: { recipientId: holder.id, credentialIds: shown.map((credential) => credential.id), audience: 'PUBLIC' } }, bootstrap, NOT_DELIVERED);
    shares += 1;
    // Recruiters open the link, and some check the credentials with the hub's verifier.
    if (random() < 0.6) await again('query ($token: String!) { share(token: $token) { displayName } }', { token: share.createShare.token }, ANONYMOUS_VISITOR);
    for (const credential of shown) {
      if (random() >= 0.55) continue;
      const employer = employers[Math.floor(random() * employers.length)]!;
      await again('mutation ($input: VerifyCredentialInput!) { verifyCredential(input: $input) { status } }', { input: { credential: credential.document } }, employer.key, NOT_DELIVERED);
      verifications += 1;
    }
  });

  const academy = issuers.get('academy')!;
  const firstAward = new Map<number, number>();
  for (const award of plan.awards) if (award.issuer === 'academy') firstAward.set(award.learner, Math.min(firstAward.get(award.learner) ?? Infinity, award.earnedAt.getTime()));
  const moves: { recipientId: string; occurredAt: Date; type?: string }[] = [];
  for (const person of plan.learners) {
    const earned = firstAward.get(person.index);
    const holder = holders.get(person.email);
    if (earned === undefined || !holder) continue;
    for (const days of person.careerMoves) {
      const occurredAt = new Date(earned + days * DAY_MS);
      if (occurredAt.getTime() < now.getTime()) moves.push({ recipientId: holder.id, occurredAt });
    }
  }
  for (const person of plan.comparisonGroup) {
    const created = await again('mutation ($input: CreateRecipientInput!) { createRecipient(input: $input) { recipient { id } } }', { input: { name: person.name, identities: [{ type: 'EMAIL', value: person.email }] } }, bootstrap, NOT_DELIVERED);
    const recipientId: string = created.createRecipient.recipient.id;
    // The academy knows its staff from their hire, years ago; that is what puts them in the comparison group.
    moves.push({ recipientId, occurredAt: new Date(now.getTime() - person.hiredDaysAgo * DAY_MS), type: 'HIRE' });
    if (person.movedDaysAgo !== null) moves.push({ recipientId, occurredAt: new Date(now.getTime() - person.movedDaysAgo * DAY_MS) });
  }
  await inPool(4, moves, async (move) => {
    const type = move.type ?? (random() < 0.6 ? 'PROMOTION' : 'INTERNAL_MOVE');
    await again('mutation ($input: RecordCareerEventInput!) { recordCareerEvent(input: $input) { careerEvent { id } } }', { input: { recipientId: move.recipientId, type, occurredAt: move.occurredAt.toISOString() } }, academy.key, NOT_DELIVERED);
  });
  log.info({ recipients: holders.size, shares, verifications, careerEvents: moves.length }, 'scenario engagement recorded');

  return {
    keys: {
      admin: bootstrap,
      issuers: SCENARIO_ISSUERS.map(({ key, name }) => ({ name, issuerId: issuers.get(key)!.id, key: issuers.get(key)!.key })),
      employers,
    },
    plan,
  };
}
