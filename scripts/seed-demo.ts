import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey } from '../lib/auth/api-keys.js';
import type { Db } from '../lib/db/client.js';
import type { Logger } from '../lib/log.js';

export interface DemoKeys {
  admin: string;
  issuer: string;
  employer: string;
  issuerId: string;
  recipientId: string;
}

const ISSUERS = [
  {
    name: 'Northwind Institute of Technology',
    url: 'https://northwind.example',
    email: 'badges@northwind.example',
    description: 'Short, assessed courses in software and data skills.',
    achievements: [
      ['SQL Query Fundamentals', 'Writes correct SELECT queries with joins, grouping and filtering against a relational schema.', 'Pass a proctored assessment of 20 queries with at least 80% correct.'],
      ['Accessible Web Forms', 'Builds HTML forms that meet WCAG 2.2 AA for labels, errors and keyboard use.', 'Submit a form project reviewed against a WCAG checklist by an instructor.'],
      ['Incident Response Basics', 'Triages, contains and documents a simulated security incident.', 'Complete a timed tabletop exercise and a written post-incident report.'],
    ],
  },
  {
    name: 'Harbor City Community College',
    url: 'https://harborcity.example',
    email: 'registrar@harborcity.example',
    description: 'Workforce micro-credentials co-designed with local employers.',
    achievements: [
      ['Forklift Safety Practice', 'Operates a counterbalance forklift safely in a warehouse setting.', 'Pass a practical driving evaluation observed by a certified instructor.'],
      ['Customer Conflict De-escalation', 'Resolves a tense customer interaction using active listening and de-escalation.', 'Two role-play scenarios rated by a peer reviewer and an instructor.'],
    ],
  },
  {
    name: 'Open Skills Guild',
    url: 'https://openskills.example',
    description: 'A volunteer guild recognising open-source contribution skills.',
    achievements: [
      ['First Merged Pull Request', 'Prepares, explains and lands a change in a public open-source project.', 'A merged pull request with review discussion, linked as evidence.'],
    ],
  },
] as const;

const RECIPIENTS = [
  { name: 'Ada Lovelace', identities: [{ type: 'EMAIL', value: 'ada@example.com' }] },
  { name: 'Grace Hopper', identities: [{ type: 'EMAIL', value: 'grace@example.com' }, { type: 'DID', value: 'did:example:grace' }] },
  { name: 'Alan Turing', identities: [{ type: 'EMAIL', value: 'alan@example.com' }] },
] as const;

/**
 * Seeds a fresh hub with demo issuers, achievements, recipients and three API keys, through the gateway
 * (so the data takes the same path, with the same checks and events, as any client's). Returns null when the
 * hub already has issuers: demo data is only for an empty database.
 */
export async function seedDemo(db: Db, gatewayUrl: string, log: Logger): Promise<DemoKeys | null> {
  let admin: string | null = null;
  const call = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(admin ? { authorization: `Bearer ${admin}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`demo seed failed: ${body.errors.map((error) => error.message).join('; ')}`);
    return body.data;
  };

  const existing = await call('{ issuers(first: 1) { totalCount } }');
  if (existing.issuers.totalCount > 0) return null;
  admin = (await createApiKey(db, { name: 'Demo operator', grant: { principal: 'ADMIN' } })).secret;

  const issuerIds: string[] = [];
  const achievementIds: string[] = [];
  for (const issuer of ISSUERS) {
    const { achievements, ...profile } = issuer;
    const created = await call('mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }', { input: profile });
    const issuerId: string = created.createIssuer.issuer.id;
    issuerIds.push(issuerId);
    for (const [name, description, narrative] of achievements) {
      const created = await call('mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }', {
        input: {
          issuerId,
          name,
          description,
          criteria: { narrative },
          achievementType: 'Competency',
          estimatedLearningHours: 12,
          validity: 'P3Y',
          evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }],
        },
      });
      const achievementId: string = created.createAchievement.achievement.id;
      await call('mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }', { id: achievementId });
      achievementIds.push(achievementId);
    }
  }
  const recipientIds: string[] = [];
  for (const recipient of RECIPIENTS) {
    const created = await call('mutation ($input: CreateRecipientInput!) { createRecipient(input: $input) { recipient { id } } }', {
      input: recipient,
    });
    recipientIds.push(created.createRecipient.recipient.id);
  }
  // Ada holds two credentials from two issuers (a stacked, cross-issuer portfolio), Grace one.
  const awards: Array<[number, string, string]> = [
    [0, 'ada@example.com', 'Ada Lovelace'],
    [3, 'ada@example.com', 'Ada Lovelace'],
    [0, 'grace@example.com', 'Grace Hopper'],
  ];
  for (const [index, email, name] of awards) {
    await call('mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }', {
      input: {
        achievementId: achievementIds[index],
        recipient: { email, name },
        evidence: [{ kind: 'ASSESSMENT', url: 'https://lms.example/attempts/demo', narrative: 'Passed the proctored assessment.' }],
        idempotencyKey: `demo:${index}:${email}`,
      },
    });
  }
  const keyOf = async (input: Record<string, unknown>) =>
    (await call('mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input })).createApiKey.secret as string;
  const keys: DemoKeys = {
    admin: admin!,
    issuer: await keyOf({ name: 'Demo issuer owner', principal: 'ISSUER', issuerId: issuerIds[0], role: 'OWNER' }),
    employer: await keyOf({ name: 'Demo employer (Acme Hiring)', principal: 'EMPLOYER' }),
    issuerId: issuerIds[0]!,
    recipientId: recipientIds[0]!,
  };
  log.info({ issuers: issuerIds.length, recipients: recipientIds.length }, 'demo data seeded');
  return keys;
}

/**
 * Demo keys are kept next to the embedded database so every later `npm start` can print them again:
 * Cairn itself stores only hashes. Never used in production, where demo seeding is off.
 */
export function demoKeysFile(dataDir: string): string {
  return join(dataDir, 'demo-keys.json');
}

export function saveDemoKeys(dataDir: string, keys: DemoKeys): void {
  writeFileSync(demoKeysFile(dataDir), `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
}

export function loadDemoKeys(dataDir: string): DemoKeys | null {
  const file = demoKeysFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoKeys) : null;
}
