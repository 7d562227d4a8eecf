import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey } from '../lib/auth/api-keys.js';
import type { Db } from '../lib/db/client.js';
import type { Logger } from '../lib/log.js';
import { DEMO_AWARDS, DEMO_ISSUERS, DEMO_RECIPIENTS, type DemoRecipientKey } from './demo-program.js';

/**
 * What `npm start` prints and keeps in `.data/demo-keys.json`: a key per kind of caller, and `variables`, the ids
 * every README example names (paste them into GraphiQL's Variables pane: an operation ignores the ones it does not use).
 */
export interface DemoKeys {
  admin: string;
  issuer: string;
  employer: string;
  /** Ada Lovelace's own key (a RECIPIENT key): the README's wallet, sharing and consent examples. */
  recipient: string;
  issuerId: string;
  recipientId: string;
  employerId: string;
  variables: DemoVariables;
}

export interface DemoVariables {
  /** Northwind, the issuer the demo issuer key owns. */
  issuerId: string;
  /** Northwind's "Accessible Web Forms" (PROJECT evidence), published. */
  achievementId: string;
  /** Ada's SQL credential, issued with a suspension entry (the suspend example). */
  credentialId: string;
  /** Ada's credentials, for a share. */
  credentialIds: string[];
  /** Ada, who consented to the demo employer. */
  recipientId: string;
  /** The demo employer's organisation (`me { employerId }` of its key). */
  employerId: string;
  /** Grace's SQL credential, PUBLIC, at this hub's own address. */
  credentialUrl: string;
}

export type Call = (query: string, variables?: Record<string, unknown>, key?: string) => Promise<any>;

/** One operation through the gateway, as a client sends it; the data, or an error naming each GraphQL error's code. */
export async function callGateway(gatewayUrl: string, who: string, query: string, variables: Record<string, unknown> = {}, key?: string): Promise<any> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(`${who} failed: ${body.errors.map((error) => `${error.extensions?.code ?? ''} ${error.message}`).join('; ')}`);
  return body.data;
}

/** @default 100 // times the seed asks again for a credential its wallet has not received yet (every 100 ms) */
const DELIVERY_ATTEMPTS = 100;

/** Sets a wallet credential's visibility once the credential has reached the wallet (delivery runs in the background). */
async function setVisibilityWhenDelivered(call: Call, credentialId: string, visibility: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await call('mutation ($input: SetCredentialVisibilityInput!) { setCredentialVisibility(input: $input) { credential { id } } }', { input: { credentialId, visibility } });
      return;
    } catch (error) {
      if (attempt >= DELIVERY_ATTEMPTS || !/NOT_FOUND/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Seeds a fresh hub with the demo programme (scripts/demo-program.ts) and four API keys, through the gateway (so
 * the data takes the same path, with the same checks and events, as any client's). Returns null when the hub already
 * has issuers: demo data is only for an empty database.
 */
export async function seedDemo(db: Db, gatewayUrl: string, publicBaseUrl: string, log: Logger): Promise<DemoKeys | null> {
  let admin: string | null = null;
  const call: Call = (query, variables = {}, key = admin ?? undefined) => callGateway(gatewayUrl, 'demo seed', query, variables, key);

  const existing = await call('{ issuers(first: 1) { totalCount } }');
  if (existing.issuers.totalCount > 0) return null;
  admin = (await createApiKey(db, { name: 'Demo operator', grant: { principal: 'ADMIN' } })).secret;

  // Independent writes go together: issuers are made in order (lists page by id, so Northwind stays first), their
  // achievements side by side (each issuer's in order), then people, then awards.
  const issuerIds: string[] = [];
  for (const { achievements: _, ...profile } of DEMO_ISSUERS) {
    issuerIds.push((await call('mutation ($input: CreateIssuerInput!) { createIssuer(input: $input) { issuer { id } } }', { input: profile })).createIssuer.issuer.id);
  }
  const achievements = new Map<string, { id: string; evidenceKind: string }>();
  await Promise.all(
    DEMO_ISSUERS.map(async ({ achievements: definitions }, index) => {
      for (const { key, narrative, evidenceKind, ...definition } of definitions) {
        const created = await call('mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }', {
          input: { ...definition, issuerId: issuerIds[index], criteria: { narrative }, achievementType: 'Competency', estimatedLearningHours: 12, validity: 'P3Y', evidenceRules: [{ kind: evidenceKind, minCount: 1 }] },
        });
        const achievementId: string = created.createAchievement.achievement.id;
        await call('mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { id } } }', { id: achievementId });
        achievements.set(key, { id: achievementId, evidenceKind });
      }
    }),
  );
  const recipientIds = new Map<DemoRecipientKey, string>();
  await Promise.all(
    DEMO_RECIPIENTS.map(async ({ key, ...recipient }) => {
      const created = await call('mutation ($input: CreateRecipientInput!) { createRecipient(input: $input) { recipient { id } } }', { input: recipient });
      recipientIds.set(key, created.createRecipient.recipient.id);
    }),
  );
  const issued = await Promise.all(
    DEMO_AWARDS.map(async (award) => {
      const recipient = DEMO_RECIPIENTS.find((candidate) => candidate.key === award.recipient)!;
      const achievement = achievements.get(award.achievement)!;
      const created = await call('mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }', {
        input: {
          achievementId: achievement.id,
          recipient: { email: recipient.identities[0].value, name: recipient.name },
          evidence: [{ kind: achievement.evidenceKind, url: award.evidenceUrl, narrative: 'Reviewed and passed.' }],
          idempotencyKey: `demo:${award.achievement}:${award.recipient}`,
          statusPurpose: award.statusPurpose ?? null,
        },
      });
      const id: string = created.issueCredential.credential.id;
      // Wallets start PRIVATE: the holders choose what employers they consented to (SHARED_ONLY) and anyone (PUBLIC) see.
      if (award.visibility !== 'PRIVATE') await setVisibilityWhenDelivered(call, id, award.visibility);
      return { recipient: award.recipient, achievement: award.achievement, id };
    }),
  );
  const keyOf = async (input: Record<string, unknown>) =>
    (await call('mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { employerId } } }', { input })).createApiKey as {
      secret: string;
      apiKey: { employerId: string | null };
    };
  const adaId = recipientIds.get('ada')!;
  const employer = await keyOf({ name: 'Demo employer (Acme Hiring)', principal: 'EMPLOYER' });
  const recipient = (await keyOf({ name: 'Ada Lovelace (demo wallet)', principal: 'RECIPIENT', recipientId: adaId })).secret;
  const employerId = employer.apiKey.employerId!;
  await call('mutation ($input: GrantConsentInput!) { grantConsent(input: $input) { consent { id } } }', { input: { employerId, scope: 'PUBLIC_AND_SHARED' } }, recipient);
  const credentialOf = (who: DemoRecipientKey, achievement: string) => issued.find((item) => item.recipient === who && item.achievement === achievement)!.id;
  const keys: DemoKeys = {
    admin: admin!,
    issuer: (await keyOf({ name: 'Demo issuer owner', principal: 'ISSUER', issuerId: issuerIds[0], role: 'OWNER' })).secret,
    employer: employer.secret,
    recipient,
    issuerId: issuerIds[0]!,
    recipientId: adaId,
    employerId,
    variables: {
      issuerId: issuerIds[0]!,
      achievementId: achievements.get('forms')!.id,
      credentialId: credentialOf('ada', 'sql'),
      credentialIds: issued.filter((item) => item.recipient === 'ada').map((item) => item.id),
      recipientId: adaId,
      employerId,
      credentialUrl: `${publicBaseUrl}/credentials/${credentialOf('grace', 'sql')}`,
    },
  };
  log.info({ issuers: issuerIds.length, recipients: recipientIds.size, credentials: issued.length }, 'demo data seeded');
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
