import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { GraphQLResponse } from '../../test/helpers/hub.js';
import { EventType } from '../../lib/events/types.js';
import { countEvents } from '../../test/helpers/events.js';
import { makePublic } from '../../test/helpers/pages.js';
import { startBenchHub } from './bench-hub.js';
import { quantile } from './http-load.js';

/**
 * A warm credential page at the hub, without a browser (`tsx scripts/bench/credential-page.ts`; `npm run bench` runs
 * it): `GET /credentials/{id}` with a browser's Accept header, one request at a time, after warm-up requests have
 * filled the verifier's caches (issuer DID, status list) and its kept verdict on the credential, which each page
 * shows as a visitor's does (re-checked only when it may have changed). The goal is a median of at most 30 ms.
 * BENCH_REQUESTS (default 200). PostgreSQL when DATABASE_URL is set, else PGlite. Prints p50/p90/p99 and how many
 * verifications the measured page views recorded (a page view is not one); asserts nothing.
 */

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARM_UP = 20;
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function required(answer: Promise<GraphQLResponse>): Promise<Record<string, any>> {
  const { data, errors } = await answer;
  if (errors || !data) throw new Error(JSON.stringify(errors));
  return data;
}

const hub = await startBenchHub();
try {
  const { createIssuer } = await required(hub.gql(`mutation { createIssuer(input: { name: "Bench College", url: "https://bench.example" }) { issuer { id } } }`));
  const { createApiKey } = await required(
    hub.gql(`mutation ($id: ID!) { createApiKey(input: { name: "owner", principal: ISSUER, issuerId: $id, role: OWNER }) { secret } }`, { id: createIssuer.issuer.id }),
  );
  const key = createApiKey.secret as string;
  const { createAchievement } = await required(
    hub.gql(
      `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`,
      { input: { issuerId: createIssuer.issuer.id, name: 'Bench Badge', description: 'Measured.', criteria: { narrative: 'Pass **the** bench.' }, competencyBased: false } },
      key,
    ),
  );
  await required(hub.gql(`mutation ($id: ID!) { publishAchievement(input: { id: $id }) { achievement { status } } }`, { id: createAchievement.achievement.id }, key));
  let credentialId: string | null = null;
  // The issuers subgraph learns of the published achievement from its event.
  for (let attempt = 0; !credentialId && attempt < 200; attempt++) {
    const issued = await hub.gql(
      `mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }`,
      { input: { achievementId: createAchievement.achievement.id, recipient: { email: 'bench@example.com' }, evidence: [], idempotencyKey: 'bench' } },
      key,
    );
    credentialId = issued.data?.issueCredential?.credential.id ?? null;
    if (!credentialId) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!credentialId) throw new Error('the credential could not be issued');
  // A wallet keeps new credentials PRIVATE; a credential's page is for the ones its holder made public.
  await makePublic(hub, credentialId);
  const url = `${hub.gateway.url.replace(/\/graphql$/, '')}/credentials/${credentialId}`;
  const page = async () => {
    const response = await fetch(url, { headers: { accept: BROWSER_ACCEPT } });
    const html = await response.text();
    if (response.status !== 200 || !html.includes('verdict-VALID')) throw new Error(`${response.status}: ${html.slice(0, 300)}`);
  };
  for (let n = 0; n < WARM_UP; n++) await page();
  const verifiedBefore = await countEvents(hub.deps.database.db, EventType.CREDENTIAL_VERIFIED);
  const latencies: number[] = [];
  for (let n = 0; n < REQUESTS; n++) {
    const started = performance.now();
    await page();
    latencies.push(performance.now() - started);
  }
  const recorded = (await countEvents(hub.deps.database.db, EventType.CREDENTIAL_VERIFIED)) - verifiedBefore;
  latencies.sort((a, b) => a - b);
  console.log(
    `warm credential page (${REQUESTS} sequential, ${hub.deps.database.kind}): p50 ${quantile(latencies, 0.5).toFixed(1)} ms, ` +
      `p90 ${quantile(latencies, 0.9).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms (goal: p50 ≤ 30 ms; load ${os.loadavg()[0]!.toFixed(2)}); ` +
      `verifications recorded by the page views: ${recorded}`,
  );
} finally {
  await hub.dispose();
}
