import 'reflect-metadata';
import { Agent } from 'node:http';
import os from 'node:os';
import { employerKey, ESCO_SQL, issuerWithAchievement, issueTo, type HubIssuer } from '../../test/helpers/employer-view.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startBenchHub } from './bench-hub.js';
import { postJson, quantile, timedLoad, warmUp } from './http-load.js';

/**
 * The employer ATS query (`tsx scripts/bench/candidate-query.ts`; `npm run bench` runs it): one candidate holding 50
 * credentials from 5 issuers, every achievement aligned to the shared ESCO SQL skill and one of its own, read with its
 * stacked skills and every credential's verdict, by BENCH_EMPLOYERS (default 16) distinct employer organisations the
 * candidate consented to, each on its own keep-alive connection. Verdicts are warm (one query per employer first).
 * BENCH_CONCURRENCY (default "1,16") connections, BENCH_SECONDS (default 5) per round. Prints p50/p99 latency,
 * requests/s, the CPU each query cost the process (hub and bench; what a loaded machine cannot hide, unlike
 * wall-clock), the answer's size and the process's memory before and after; asserts nothing.
 */

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const EMPLOYERS = Number(process.env.BENCH_EMPLOYERS ?? 16);
const ISSUERS = 5;
const PER_ISSUER = 10;
/**
 * BENCH_SHAPES (default all three, in this order) says which queries to measure, each reaching fewer subgraphs, so one
 * run shows what each hop costs: `ats` is what an ATS asks (recipients, then issuers, achievements and verification);
 * `owned` leaves out what the issuers and achievements subgraphs add (`issuer`, `achievement`, `issuance`: the names
 * as issued and the verdict's status say as much), so recipients and verification answer; `recipients` also leaves
 * out the verdicts, so recipients answers alone: the floor for this answer through the gateway.
 */
const SHAPES: Record<string, { credential: string; stacked: string; verdicts: boolean }> = {
  ats: {
    credential: 'id name issuerName validFrom skills { framework code } issuer { name } achievement { name } issuance { status } verification { status verified }',
    stacked: 'framework code name credentialCount strongestEvidence mostRecentAt allCredentialsVerified credentials { id }',
    verdicts: true,
  },
  owned: {
    credential: 'id name issuerName validFrom skills { framework code } verification { status verified }',
    stacked: 'framework code name credentialCount strongestEvidence mostRecentAt allCredentialsVerified credentials { id }',
    verdicts: true,
  },
  recipients: {
    credential: 'id name issuerName validFrom skills { framework code }',
    stacked: 'framework code name credentialCount strongestEvidence mostRecentAt credentials { id }',
    verdicts: false,
  },
};
const SHAPE_NAMES = (process.env.BENCH_SHAPES ?? Object.keys(SHAPES).join(',')).split(',');
for (const name of SHAPE_NAMES) if (!SHAPES[name]) throw new Error(`BENCH_SHAPES: ${name} is not one of ${Object.keys(SHAPES).join(', ')}`);
const queryOf = (shape: (typeof SHAPES)[string]) => `query ($id: ID!) { candidate(recipientId: $id) {
  displayName
  credentials(first: 100) { totalCount edges { node { ${shape.credential} } } }
  stackedSkills { ${shape.stacked} }
} }`;

const load = () => os.loadavg()[0]!.toFixed(2);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

// Views are not what this measures; keep their flush out of the rounds.
const hub = await startBenchHub({ SHARE_VIEWS_FLUSH_SECONDS: '3600', SHARE_VIEWS_FLUSH_AFTER: '1000000' });
try {
  const issuers: HubIssuer[] = [];
  for (let n = 0; n < ISSUERS; n++) {
    issuers.push(
      await issuerWithAchievement(hub, {
        name: `Bench Institute ${n}`,
        achievement: `Data Skills ${n}`,
        skills: [{ framework: 'ESCO', code: ESCO_SQL, name: 'SQL' }, { framework: 'CUSTOM', code: `skill-${n}`, name: `Skill ${n}` }],
        evidenceKind: 'ASSESSMENT',
      }),
    );
  }
  const email = 'candidate@bench.example';
  const created = await hub.gql(`mutation ($email: String!) { createRecipient(input: { identities: [{ type: EMAIL, value: $email }] }) { recipient { id } } }`, { email });
  const recipientId: string = created.data.createRecipient.recipient.id;
  for (const issuer of issuers) for (let n = 0; n < PER_ISSUER; n++) await issueTo(hub, issuer, { email }, 'ASSESSMENT', `${issuer.issuerId}-${n}`);
  const total = ISSUERS * PER_ISSUER;
  await eventually(() => hub.gql(`query ($id: ID!) { recipient(id: $id) { credentials { totalCount } } }`, { id: recipientId }), (r) => r.data?.recipient.credentials.totalCount === total, 120_000);
  const employers = await Promise.all(Array.from({ length: EMPLOYERS }, (_, n) => employerKey(hub, `Bench ATS ${n}`)));
  for (const employer of employers) {
    const consent = await hub.gql(`mutation ($id: ID!, $org: ID!) { grantConsent(input: { recipientId: $id, employerId: $org, scope: ALL }) { consent { id } } }`, { id: recipientId, org: employer.employerId });
    if (consent.errors) throw new Error(JSON.stringify(consent.errors));
  }
  const bodies = new Map(Object.entries(SHAPES).map(([name, shape]) => [name, JSON.stringify({ query: queryOf(shape), variables: { id: recipientId } })]));
  const url = new URL(hub.gateway.url);
  let answerBytes = 0;

  async function post(agent: Agent, key: string, shapeName = 'ats'): Promise<void> {
    const { status, text } = await postJson(agent, url, bodies.get(shapeName)!, { authorization: `Bearer ${key}` });
    answerBytes = text.length;
    const answer = status === 200 ? JSON.parse(text) : null;
    const edges = answer?.data?.candidate?.credentials?.edges;
    if (answer?.errors || edges?.length !== total || !edges.every((edge: any) => !SHAPES[shapeName]!.verdicts || edge.node.verification.verified)) throw new Error(`${status}: ${text.slice(0, 300)}`);
  }

  async function measure(connections: number, shapeName: string) {
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const keys = employers.slice(0, connections).map((employer) => employer.key);
    await warmUp(connections, 0, (n) => post(agent, keys[n]!, shapeName));
    const cpuBefore = process.cpuUsage();
    const { latencies, elapsedSeconds } = await timedLoad(connections, SECONDS, (n) => post(agent, keys[n]!, shapeName));
    const cpu = process.cpuUsage(cpuBefore);
    agent.destroy();
    const cpuMsPerQuery = (cpu.user + cpu.system) / 1000 / latencies.length;
    return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), rps: latencies.length / elapsedSeconds, cpuMsPerQuery };
  }

  // Every employer once, so every verdict is cached and every key known before the rounds.
  const warm = new Agent({ keepAlive: true });
  for (const employer of employers) await post(warm, employer.key);
  warm.destroy();
  if (process.env.BENCH_SHOW_STATEMENTS) {
    // What one warm query asks of the database, background work included (for finding what to cut, not a figure).
    hub.statements.length = 0;
    const agent = new Agent({ keepAlive: true });
    await post(agent, employers[0]!.key);
    agent.destroy();
    console.log(`${hub.statements.length} statements during one warm query:\n${hub.statements.map((statement) => `  ${statement.slice(0, 220)}`).join('\n')}`);
  }
  console.log(`employer candidate query: ${total} credentials from ${ISSUERS} issuers, warm verdicts, ${EMPLOYERS} employers, on ${hub.deps.database.kind}, ${SECONDS} s per round, load ${load()}`);
  const rssBefore = process.memoryUsage().rss;
  for (const shapeName of SHAPE_NAMES) {
    for (const connections of CONCURRENCY) {
      const round = await measure(connections, shapeName);
      console.log(`${shapeName} c=${connections}: p50 ${round.p50.toFixed(1)} ms, p99 ${round.p99.toFixed(1)} ms, ${round.rps.toFixed(1)} rps, ${round.cpuMsPerQuery.toFixed(1)} ms CPU per query, answer ${(answerBytes / 1024).toFixed(0)} KB (load ${load()})`);
    }
  }
  console.log(`memory (hub and bench in one process): rss ${mb(rssBefore)} before the rounds, ${mb(process.memoryUsage().rss)} after`);
} finally {
  await hub.dispose();
}
