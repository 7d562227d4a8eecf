import { afterAll, beforeAll, expect, test } from 'vitest';
import { employerKey, ESCO_SQL, issuerWithAchievement, issueTo, type HubIssuer } from '../helpers/employer-view.js';
import { eventually } from '../helpers/eventually.js';
import { isLogUpkeep } from '../helpers/events.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// The SQL one candidate query causes, across the gateway and all four subgraphs, does not grow with the number of
// credentials: 5 and 50 cost the same statements (DataLoader batches in every subgraph, one verdict batch, one write).

let hub: TestHub;
let issuer: HubIssuer;
let employer: { key: string; employerId: string };
let warmUpDocument: Record<string, unknown>;
const candidates: Record<'warmUp' | 'five' | 'fifty', string> = {} as never;

const CANDIDATE = `query ($id: ID!) { candidate(recipientId: $id) {
  displayName
  credentials(first: 100) { totalCount edges { node {
    id name skills { framework code } issuer { name } achievement { name } issuance { status } verification { status verified }
  } } }
  stackedSkills { framework code credentialCount strongestEvidence allCredentialsVerified credentials { id } }
} }`;

/**
 * Statements of background work, not of the query: the event feed's reads, the sequencer numbering what was
 * appended, consumers' checkpoints and projections, and the workers looking for work (bulk rows to claim, webhooks
 * due, pathway awards to issue, pathway back-fills and owed starts, identities to announce, pathway credentials that
 * expired), the program-metrics projection and the key cache's lease upkeep.
 */
const isBackground = (statement: string) =>
  isLogUpkeep(statement) ||
  /consumer_checkpoints|issuer_metrics|from "events"\."events"|insert into "verification"\."wallet_documents"|"issuers"\."issuance_job|"verification"\."webhooks"|"verification"\."metric_|"issuers"\."pathway_award_requests"|"auth"\."key_cache_|"achievements"\."pathway_backfills"|start_announced|"recipient_identities"\."announced"|"expiry_applied_at" is null/.test(statement);

/**
 * The verifier's "is this DID one of this hub's issuers?" lookup: one per issuer DID, kept 10 s (lib/verify/
 * known-issuer-cache.ts). Whether a run finds it still cached depends on how long the runs before it took, not on the
 * number of credentials, so it is counted on its own: at most once per run (one issuer), never per credential.
 */
const isKnownIssuerLookup = (statement: string) => /from "verification"\."known_issuer_dids"/.test(statement);

/**
 * A reviewed work product described at length (12 KB): fifty such credentials are 600 KB of documents, which the
 * gateway once sent to the verifier for every reference (credential and stacked skill), past its 1 MB request limit.
 */
const LONG_NARRATIVE = 'Designed, indexed and tuned the reporting schema; the reviewer reran every query plan. '.repeat(140);

async function recipientWith(email: string, count: number): Promise<string> {
  const created = await hub.gql(`mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  const id = created.data.createRecipient.recipient.id;
  for (let index = 0; index < count; index++) {
    const issued = await issueTo(hub, issuer, { email }, 'ASSESSMENT', `${email}-${index}`, LONG_NARRATIVE);
    warmUpDocument ??= issued.document;
  }
  await eventually(() => hub.gql(`query ($id: ID!) { recipient(id: $id) { credentials { totalCount } } }`, { id }), (r) => r.data?.recipient.credentials.totalCount === count, 60_000);
  const consent = await hub.gql(`mutation ($id: ID!, $org: ID!) { grantConsent(input: { recipientId: $id, employerId: $org, scope: ALL }) { consent { id } } }`, { id, org: employer.employerId });
  expect(consent.errors).toBeUndefined();
  return id;
}

/**
 * Runs the candidate query with every cache that does not depend on the number of credentials warm (issuer DIDs and
 * status lists, by verifying one credential; the employer key's last-used time) and every verdict cold, so both runs
 * verify and record all their credentials. Returns the statements the query itself caused.
 */
async function statementsOfCandidateQuery(recipientId: string): Promise<{ statements: string[]; knownIssuerLookups: number; credentials: number }> {
  expect((await hub.gql(`mutation ($c: JSON) { verifyCredential(input: { credential: $c }) { status } }`, { c: warmUpDocument }, null)).errors).toBeUndefined();
  expect((await hub.gql(CANDIDATE, { id: candidates.warmUp }, employer.key)).errors).toBeUndefined();
  hub.statements.length = 0;
  const result = await hub.gql(CANDIDATE, { id: recipientId }, employer.key);
  expect(result.errors).toBeUndefined();
  const nodes = result.data.candidate.credentials.edges.map((edge: any) => edge.node);
  expect(nodes.every((node: any) => node.verification.status === 'VALID' && node.issuer.name === 'Northwind Academy' && node.issuance.status === 'ACTIVE')).toBe(true);
  const sql = result.data.candidate.stackedSkills.find((skill: { code: string }) => skill.code === ESCO_SQL);
  expect(sql).toMatchObject({ framework: 'ESCO', credentialCount: nodes.length, strongestEvidence: 'ASSESSMENT', allCredentialsVerified: true });
  const ofTheQuery = hub.statements.filter((statement) => !isBackground(statement));
  return {
    statements: ofTheQuery.filter((statement) => !isKnownIssuerLookup(statement)),
    knownIssuerLookups: ofTheQuery.filter(isKnownIssuerLookup).length,
    credentials: nodes.length,
  };
}

beforeAll(async () => {
  // Share views are flushed on a timer in the background; not while this test counts statements.
  hub = await startTestHub({ SHARE_VIEWS_FLUSH_SECONDS: '3600', SHARE_VIEWS_FLUSH_AFTER: '1000000' });
  issuer = await issuerWithAchievement(hub, {
    name: 'Northwind Academy',
    achievement: 'SQL Query Fundamentals',
    skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL' }, { framework: 'CUSTOM', code: 'query-tuning', name: 'Query tuning' }],
    evidenceKind: 'ASSESSMENT',
  });
  employer = await employerKey(hub, 'Acme ATS');
  candidates.warmUp = await recipientWith('warm-up@example.com', 1);
  candidates.five = await recipientWith('five@example.com', 5);
  candidates.fifty = await recipientWith('fifty@example.com', 50);
}, 300_000);
afterAll(() => hub?.dispose());

test('a candidate query costs the same SQL statements for 5 credentials as for 50', async () => {
  const five = await statementsOfCandidateQuery(candidates.five);
  const fifty = await statementsOfCandidateQuery(candidates.fifty);
  expect([five.credentials, fifty.credentials]).toEqual([5, 50]);
  // Both runs took the cold path: every verdict verified now and recorded (in one write).
  for (const run of [five, fifty]) {
    expect(run.statements.some((statement) => statement.startsWith('insert into "verification"."verifications"'))).toBe(true);
    expect(run.knownIssuerLookups).toBeLessThanOrEqual(1);
  }
  expect(fifty.statements.length, `5 credentials:\n${five.statements.join('\n')}\n\n50 credentials:\n${fifty.statements.join('\n')}`).toBe(five.statements.length);
}, 120_000);

test('a warm candidate query answers every verdict from the kept verdict rows: one indexed read, no document, no write', async () => {
  expect((await hub.gql(CANDIDATE, { id: candidates.fifty }, employer.key)).errors).toBeUndefined();
  hub.statements.length = 0;
  const warm = await hub.gql(CANDIDATE, { id: candidates.fifty }, employer.key);
  expect(warm.errors).toBeUndefined();
  expect(warm.data.candidate.credentials.edges.every((edge: any) => edge.node.verification.status === 'VALID')).toBe(true);
  const verifier = hub.statements.filter((statement) => !isBackground(statement) && statement.includes('"verification".'));
  expect(verifier, verifier.join('\n')).toHaveLength(1);
  expect(verifier[0]).toMatch(/^select .* from "verification"\."credential_verdicts" where "verification"\."credential_verdicts"\."credential_key" in \(/);
  // No copy of a document is read, and nothing is written, by the query or any work it set off.
  expect(hub.statements.filter((statement) => /"wallet_documents"|^insert into "verification"\."verifications"|^insert into "verification"\."credential_verdicts"/.test(statement))).toEqual([]);
}, 60_000);
