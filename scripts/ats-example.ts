import { askHub, CONNECTION_HELP, defaultHubUrl, exitWith, parseCliArgs, runCli } from './cli/hub-client.js';

const USAGE = `usage: npx tsx scripts/ats-example.ts (--candidate <recipient id> | --share <token>) [--skill <code>] [--key <employer key>] [--url <url>]

An ATS integration in one file: asks the gateway for the candidate's stacked skills and every visible credential with
its issuer, achievement, issuance status and live verdict, paging through the credentials with Relay cursors, and
prints a short report. The key is an EMPLOYER key (PUBLIC shares need none).

  --candidate <id>           a recipient who consented to the key's employer
  --share <token>            or the token of a share link
  --skill <code>             only this skill (an ESCO or O*NET code)
${CONNECTION_HELP}`;

const { values } = parseCliArgs(USAGE, {
  candidate: { type: 'string' },
  share: { type: 'string' },
  skill: { type: 'string' },
  url: { type: 'string', default: defaultHubUrl() },
  key: { type: 'string', default: process.env.CAIRN_API_KEY },
});
if (!values.candidate === !values.share) exitWith(USAGE);

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

// UNAUTHORIZED means no consent (or a revoked/expired share): the ATS gets nothing, by design, and askHub says so.
async function ask(after: string | null) {
  const data = await askHub<{ view: any }>(values.url!, values.key, QUERY, { id: values.candidate ?? values.share, after, skill: values.skill ?? null });
  return data.view;
}

runCli(async () => {
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
});
