import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, spawnService, type ServiceProcess } from '../helpers/process.js';

/** The README's query across all four subgraphs, taken from the README itself so the two cannot drift apart. */
function readmeOverviewQuery(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const match = /```graphql\n(query Overview[\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README has no "query Overview" example');
  return match[1]!.replace(/#.*$/gm, '');
}

async function waitForOutput(service: ServiceProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(service.output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A start migrates, starts five services and (the first time) seeds the demo programme. Alone it takes seconds; with
// both databases' suites sharing two cores it took over the helpers' default minute, three times in one run.
const START_WITHIN_MS = 150_000;

/** `npm start` as a new user runs it: no configuration, embedded database, demo data, printed keys. */
describe('the one-process hub (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-start-'));
  let env: Record<string, string>;
  let hub: ServiceProcess | null = null;

  beforeAll(async () => {
    const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    env = {
      NODE_ENV: 'development',
      DATABASE_URL: '',
      CAIRN_DATA_DIR: dataDir,
      GATEWAY_PORT: String(ports[0]),
      ISSUERS_PORT: String(ports[1]),
      ACHIEVEMENTS_PORT: String(ports[2]),
      RECIPIENTS_PORT: String(ports[3]),
      VERIFICATION_PORT: String(ports[4]),
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('starts with demo data and answers the README query with a printed key', async () => {
    hub = await spawnService('scripts/start-all.ts', Number(env.GATEWAY_PORT), env, { readyWithinMs: START_WITHIN_MS });
    const [, adminKey] = await waitForOutput(hub, /admin\s+(cairn_\S+)/, START_WITHIN_MS);
    expect(hub.output()).toContain(`GraphiQL:  http://localhost:${env.GATEWAY_PORT}/graphql`);
    expect(hub.output()).toMatch(/issuer\s+cairn_\S+/);
    expect(hub.output()).toMatch(/employer\s+cairn_\S+\s+\(employerId [0-9a-f-]{36}\)/);
    expect(hub.output()).toMatch(/recipient\s+cairn_\S+/);
    // Issue 13, item 3: what the README's examples name is printed, ready for GraphiQL's Variables pane.
    const variables = JSON.parse(/Variables for the README examples.*\n\s+(\{.*\})/.exec(hub.output())![1]!);
    expect(Object.keys(variables).sort()).toEqual(['achievementId', 'credentialId', 'credentialIds', 'credentialUrl', 'employerId', 'issuerId', 'recipientId']);
    expect(variables.credentialUrl).toMatch(/^http:\/\/localhost:\d+\/credentials\//);

    const query = async () => {
      const response = await fetch(`${hub!.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query: readmeOverviewQuery() }),
      });
      return (await response.json()) as any;
    };
    let result = await query();
    // Metrics are projected from events in the background: wait until the first issuer's have arrived.
    for (let attempt = 0; attempt < 50 && !(result.data?.issuers.edges[0].node.metrics?.issuance?.issued > 0); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      result = await query();
    }
    expect(result.errors).toBeUndefined();
    const [first] = result.data.issuers.edges;
    expect(first.node.name).toBe('Northwind Institute of Technology'); // issuers
    expect(first.node.achievements.totalCount).toBe(3); // achievements
    expect(first.node.metrics.issuance.issued).toBeGreaterThan(0); // verification (program metrics)
    expect(result.data.recipients.edges.map((edge: any) => edge.node.name)).toContain('Ada Lovelace'); // recipients
  }, 2 * START_WITHIN_MS + 30_000);

  test('a restart keeps the data, does not seed again, and prints the same keys', async () => {
    const firstOutput = hub!.output();
    const [, adminKey] = /admin\s+(cairn_\S+)/.exec(firstOutput)!;
    await hub!.stop();
    hub = await spawnService('scripts/start-all.ts', Number(env.GATEWAY_PORT), env, { readyWithinMs: START_WITHIN_MS });
    await waitForOutput(hub, /Cairn is running/, START_WITHIN_MS);
    expect(hub.output()).toContain(adminKey);
    const response = await fetch(`${hub.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ issuers { totalCount } }' }),
    });
    expect(await response.json()).toEqual({ data: { issuers: { totalCount: 3 } } });
  }, START_WITHIN_MS + 30_000);

  test('the bulk CLI issues a CSV through the gateway, with the status purpose asked for, and reports progress', async () => {
    const [, adminKey] = /admin\s+(cairn_\S+)/.exec(hub!.output())!;
    const listing = await fetch(`${hub!.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ issuers(first: 1) { edges { node { achievements(first: 1) { edges { node { id } } } } } } }' }),
    });
    const achievementId = ((await listing.json()) as any).data.issuers.edges[0].node.achievements.edges[0].node.id;
    const csv = join(dataDir, 'cohort.csv');
    writeFileSync(csv, ['email,name,evidence_kind,evidence_url', ...[1, 2, 3].map((n) => `cli${n}@example.com,Learner ${n},assessment,https://lms.example/${n}`)].join('\n'));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/issue.ts', '--achievement', achievementId, '--csv', csv, '--status-purpose', 'suspension', '--url', `${hub!.baseUrl}/graphql`, '--key', adminKey!], {
      cwd: new URL('../../', import.meta.url).pathname,
    });
    expect(stderr).toMatch(/3 credentials queued/);
    expect(stderr).toMatch(/\[#+\] 3\/3 issued 3, failed 0 \(COMPLETED\)/);
    expect(stdout).toMatch(/3 credentials issued/);
    const [, jobId] = /\(job (\S+)\)/.exec(stdout)!;
    const job = await fetch(`${hub!.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ query: 'query ($id: ID!) { issuanceJob(id: $id) { statusPurpose issued } }', variables: { id: jobId } }),
    });
    expect(await job.json()).toEqual({ data: { issuanceJob: { statusPurpose: 'SUSPENSION', issued: 3 } } });

    // The same file again (issue 13, item 5): nothing is issued twice, and the CLI says which rows it skipped.
    const again = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/issue.ts', '--achievement', achievementId, '--csv', csv, '--url', `${hub!.baseUrl}/graphql`, '--key', adminKey!], {
      cwd: new URL('../../', import.meta.url).pathname,
    });
    expect(again.stderr).toMatch(/3 row\(s\) already issued, skipped/);
    expect(again.stdout).toMatch(/Nothing to issue: every row was issued before/);
  });
});
