import { parseArgs } from 'node:util';

/**
 * An ATS integration in one file: `npx tsx scripts/ats-example.ts --candidate <recipient id> [--skill <code>]`, or
 * `--share <token>` for a share link's token. Asks the gateway for the candidate's stacked skills and every visible
 * credential with its issuer, achievement, issuance status and live verdict, paging through the credentials with
 * Relay cursors, and prints a short report. The key is an EMPLOYER key (`--key`, or $CAIRN_API_KEY; PUBLIC shares need
 * none); the URL defaults to $CAIRN_URL or http://localhost:4000/graphql.
 */
const { values } = parseArgs({
  options: {
    candidate: { type: 'string' },
    share: { type: 'string' },
    skill: { type: 'string' },
    url: { type: 'string', default: process.env.CAIRN_URL ?? 'http://localhost:4000/graphql' },
    key: { type: 'string', default: process.env.CAIRN_API_KEY },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if (!values.candidate === !values.share) fail('usage: npx tsx scripts/ats-example.ts (--candidate <recipient id> | --share <token>) [--skill <code>] [--key <employer key>] [--url <gateway>]');

/** The fields an ATS stores per credential: stable ids, who issued it, what for, and whether it holds up today. */
const VIEW = `
  recipientId displayName
  stackedSkills(skillCode: $skill) { framework code name credentialCount strongestEvidence mostRecentAt allCredentialsVerified }
  credentials(first: 50, after: $after, skillCode: $skill) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name validFrom validUntil issuerName
      issuer { id name }
      achievement { id name }
      issuance { status }
      verification { status verified }
    } }
  }`;
const QUERY = values.candidate
  ? `query Candidate($id: ID!, $after: String, $skill: String) { view: candidate(recipientId: $id) { ${VIEW} } }`
  : `query Share($id: String!, $after: String, $skill: String) { view: share(token: $id) { ${VIEW} } }`;

interface CredentialNode {
  id: string;
  name: string;
  issuerName: string | null;
  issuer: { name: string } | null;
  issuance: { status: string } | null;
  verification: { status: string; verified: boolean };
}

async function ask(after: string | null) {
  const response = await fetch(values.url!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(values.key ? { authorization: `Bearer ${values.key}` } : {}) },
    body: JSON.stringify({ query: QUERY, variables: { id: values.candidate ?? values.share, after, skill: values.skill ?? null } }),
  });
  const body = (await response.json()) as { data?: { view: any }; errors?: { message: string; extensions?: { code?: string } }[] };
  // UNAUTHORIZED means no consent (or a revoked/expired share): the ATS gets nothing, by design.
  if (body.errors?.length) fail(body.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n'));
  return body.data!.view;
}

let page = await ask(null);
const view = page;
const credentials: CredentialNode[] = [];
for (;;) {
  credentials.push(...page.credentials.edges.map((edge: { node: CredentialNode }) => edge.node));
  if (!page.credentials.pageInfo.hasNextPage) break;
  page = await ask(page.credentials.pageInfo.endCursor);
}

console.log(`${view.displayName ?? '(no name given)'}  [recipient ${view.recipientId}]  ${credentials.length} credential(s)\n`);
console.log('Stacked skills');
for (const skill of view.stackedSkills) {
  const verified = skill.allCredentialsVerified ? 'all verified' : 'NOT all verified';
  console.log(`  ${skill.framework.padEnd(9)} ${skill.name} (${skill.code}): ${skill.credentialCount} credential(s), ${skill.strongestEvidence}, latest ${skill.mostRecentAt.slice(0, 10)}, ${verified}`);
}
console.log('\nCredentials');
for (const credential of credentials) {
  const issuer = credential.issuer?.name ?? credential.issuerName ?? 'unknown issuer';
  console.log(`  ${credential.verification.verified ? '✔' : '✘'} ${credential.name} — ${issuer} [${credential.verification.status}${credential.issuance ? `, ${credential.issuance.status}` : ''}]  ${credential.id}`);
}
