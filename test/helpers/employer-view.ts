import { expect } from 'vitest';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { BASIC_OB3_EXAMPLE, readConformanceJson } from './conformance-fixtures.js';
import type { TestHub } from './hub.js';

/** What the shares and employer-view tests set up through the gateway: issuers with skilled achievements, keys, issuance. */

export const ESCO_SQL = 'http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742';

export interface SkillSpec {
  framework: 'ESCO' | 'ONET' | 'LIGHTCAST' | 'CUSTOM';
  code: string;
  name: string;
  url?: string;
}

export interface HubIssuer {
  issuerId: string;
  ownerKey: string;
  achievementId: string;
}

/** An issuer with an owner key and one published competency achievement aligned to `skills`, needing `evidenceKind`. */
export async function issuerWithAchievement(
  hub: TestHub,
  options: { name: string; achievement: string; skills: SkillSpec[]; evidenceKind: string },
): Promise<HubIssuer> {
  const created = await hub.gql(`mutation ($name: String!) { createIssuer(input: { name: $name, url: "https://issuer.example" }) { issuer { id } } }`, { name: options.name });
  expect(created.errors).toBeUndefined();
  const issuerId = created.data.createIssuer.issuer.id;
  const key = await hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: issuerId });
  const ownerKey = key.data.createApiKey.secret;
  const achievement = await hub.gql(
    `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
    {
      input: {
        issuerId,
        name: options.achievement,
        description: `${options.achievement}, assessed.`,
        criteria: { narrative: 'Reviewed work.' },
        achievementType: 'Competency',
        skills: options.skills.map((skill) => ({ ...skill, url: skill.url ?? (skill.code.startsWith('http') ? null : `https://skills.example/${encodeURIComponent(skill.code)}`) })),
        evidenceRules: [{ kind: options.evidenceKind, minCount: 1 }],
      },
    },
    ownerKey,
  );
  expect(achievement.errors).toBeUndefined();
  const achievementId = achievement.data.createAchievement.achievement.id;
  const published = await hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: achievementId }, ownerKey);
  expect(published.errors).toBeUndefined();
  return { issuerId, ownerKey, achievementId };
}

/** Issues the issuer's achievement to a recipient given by e-mail or DID, with one piece of evidence of the required kind. */
export async function issueTo(
  hub: TestHub,
  issuer: HubIssuer,
  recipient: { email?: string; did?: string },
  evidenceKind: string,
  idempotencyKey: string,
  narrative = 'Reviewed and passed.',
): Promise<{ id: string; document: Record<string, any> }> {
  const issued = await hub.gql(
    `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } document } }`,
    { input: { achievementId: issuer.achievementId, recipient, evidence: [{ kind: evidenceKind, narrative }], idempotencyKey } },
    issuer.ownerKey,
  );
  expect(issued.errors).toBeUndefined();
  return { id: issued.data.issueCredential.credential.id, document: issued.data.issueCredential.document };
}

/** An employer API key, for a new employer organisation. */
export async function employerKey(hub: TestHub, name: string): Promise<{ key: string; employerId: string }> {
  const created = await hub.gql(`mutation ($name: String!) { createApiKey(input: { name: $name, principal: EMPLOYER }) { secret apiKey { employerId } } }`, { name });
  expect(created.errors).toBeUndefined();
  return { key: created.data.createApiKey.secret, employerId: created.data.createApiKey.apiKey.employerId };
}

/** The OB 3.0 spec's basic example, re-issued by a did:key issuer made here and signed in the test (eddsa-rdfc-2022). */
export function externalIssuer(name: string) {
  const signing = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(signing.publicKeyMultibase);
  return (changes: { id: string; achievement?: Record<string, unknown>; evidence?: unknown[] }) => {
    const example = readConformanceJson(BASIC_OB3_EXAMPLE);
    const credentialSubject = { ...example.credentialSubject, achievement: { ...example.credentialSubject.achievement, ...changes.achievement } };
    const credential = { ...example, id: changes.id, issuer: { ...example.issuer, id: did, name }, credentialSubject, ...(changes.evidence ? { evidence: changes.evidence } : {}) };
    return signCredential({ credential, signer: { verificationMethod, privateKey: signing.privateKey }, documentLoader: createDocumentLoader() });
  };
}

/** A did:key DID nobody controls in the test: an identity to issue to. */
export function someDid(): string {
  return didKeyFor(importSigningKey(generateSigningKey()).publicKeyMultibase).did;
}

/** Signs a recipient in by e-mail one-time code (read from the test mailbox); returns their token. */
export async function signInByEmail(hub: TestHub, mailbox: { nextCodeFor(to: string): Promise<string> }, email: string): Promise<string> {
  await hub.gql(`mutation ($email: String!) { requestSignInCode(input: { email: $email }) { expiresAt } }`, { email }, null);
  const code = await mailbox.nextCodeFor(email);
  const signedIn = await hub.gql(`mutation ($email: String!, $code: String!) { signIn(input: { email: $email, code: $code }) { token recipient { id } } }`, { email, code }, null);
  expect(signedIn.errors).toBeUndefined();
  return signedIn.data.signIn.token;
}
