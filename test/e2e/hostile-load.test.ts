import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiKey } from '../../lib/auth/api-keys.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// A legitimate client keeps being served while an anonymous client hammers the hub with the heaviest queries it can
// write (issue 10, item 5): the hostile client is refused with codes, the legitimate one never. Bounded loops on
// localhost. Its latency figures are printed for BENCHMARKS.md ("Gateway under a hostile client"; command:
// npx vitest run test/e2e/hostile-load.test.ts, alone on a quiet machine) rather than asserted in the suite.

const ISSUERS = 100;
const LEGIT_REQUESTS = 40;
const HOSTILE_WORKERS = 4;
const HOSTILE_MAX_REQUESTS = 4_000;

const LEGIT = `{ issuers(first: 10) { totalCount edges { node { id name achievements(first: 5) { totalCount } } } } }`;
const HUGE = `{ ${Array.from({ length: 4_500 }, (_, i) => `a${i}: issuers(first: 1) { totalCount }`).join(' ')} }`;
// The most an anonymous caller may ask in one operation: 40 aliased page reads, within every limit and the budget.
const HEAVIEST_ALLOWED = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: issuers(first: 5) { totalCount edges { node { id name } } }`).join(' ')} }`;

let hub: TestHub;
// Each measuring client has its own key, so the calibration's heavy queries do not spend the legitimate client's rate.
let calibrationKey: string;
let baselineKey: string;
let underAttackKey: string;
beforeAll(async () => {
  hub = await startTestHub();
  const operatorKey = async (name: string) => (await createApiKey(hub.deps.database.db, { name, grant: { principal: 'ADMIN' } })).secret;
  calibrationKey = await operatorKey('calibration');
  baselineKey = await operatorKey('legitimate client, alone');
  underAttackKey = await operatorKey('legitimate client, under attack');
  // Ten at a time: one after another, the hundred took over the two-minute hook limit when the suite shares the machine.
  for (let first = 0; first < ISSUERS; first += 10) {
    const batch = Array.from({ length: Math.min(10, ISSUERS - first) }, (_, n) =>
      hub.gql(`mutation ($name: String!) { createIssuer(input: { name: $name, url: "https://load.example" }) { issuer { id } } }`, { name: `Load ${first + n}` }),
    );
    for (const created of await Promise.all(batch)) expect(created.errors).toBeUndefined();
  }
}, 300_000);
afterAll(() => hub?.dispose());

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;

const bodies = new Map<string, string>();

async function timed(query: string, key: string | null = hub.adminKey): Promise<{ ms: number; status: number; code?: string }> {
  // Bodies serialised once: the hostile client shares this process with the hub, and its own JSON work is not the hub's.
  if (!bodies.has(query)) bodies.set(query, JSON.stringify({ query }));
  const started = performance.now();
  const response = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: bodies.get(query)!,
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { ms: performance.now() - started, status: response.status, code: body.errors?.[0]?.extensions?.code };
}

async function legitLatencies(legitKey: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < LEGIT_REQUESTS; i += 1) {
    const answer = await timed(LEGIT, legitKey);
    expect(answer.code).toBeUndefined();
    latencies.push(answer.ms);
  }
  return latencies;
}

describe('a legitimate client beside a hostile one', () => {
  test('query cost calibration: one page read against fields of rows already read', async () => {
    const pageReads = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: issuers(first: 1) { totalCount }`).join(' ')} }`;
    const wideFields = `{ issuers(first: 100) { edges { node { id name url description email } } } }`;
    const sample = async (query: string) => {
      const times: number[] = [];
      for (let i = 0; i < 15; i += 1) times.push((await timed(query, calibrationKey)).ms);
      return median(times);
    };
    await sample(pageReads); // warm-up: plans, loaders, the database's caches
    const [reads, fields, floor] = [await sample(pageReads), await sample(wideFields), await sample('{ me { kind } }')];
    const perPageRead = (reads - floor) / 40;
    const perField = Math.max((fields - floor - perPageRead) / (100 * 7), 0.001); // 100 nodes × (edges, node, 5 scalars)
    console.log(JSON.stringify({ calibration: { floorMs: floor, fortyPageReadsMs: reads, hundredRowsMs: fields, perPageReadMs: perPageRead, perFieldMs: perField, pageReadInFields: perPageRead / perField } }));
    expect(reads).toBeGreaterThan(0);
  }, 240_000); // sixty timed queries of forty page reads: 40 s at load 9

  test('its median latency stays under 3× normal while an anonymous client hammers the hub', async () => {
    const baseline = await legitLatencies(baselineKey);
    const hostile = { sent: 0, byCode: {} as Record<string, number>, retryAfter: new Set<string>() };
    let stop = false;
    const workers = Array.from({ length: HOSTILE_WORKERS }, async (_, worker) => {
      while (!stop && hostile.sent < HOSTILE_MAX_REQUESTS) {
        hostile.sent += 1;
        const answer = await timed(hostile.sent % 2 === worker % 2 ? HUGE : HEAVIEST_ALLOWED, null);
        const code = answer.code ?? `HTTP ${answer.status}`;
        hostile.byCode[code] = (hostile.byCode[code] ?? 0) + 1;
      }
    });
    // Let the hostile client spend its burst first: the worst moment for everyone else.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const underAttack = await legitLatencies(underAttackKey);
    stop = true;
    await Promise.all(workers);
    const figures = {
      baselineMedianMs: median(baseline),
      baselineP95Ms: p95(baseline),
      underAttackMedianMs: median(underAttack),
      underAttackP95Ms: p95(underAttack),
      hostileRequests: hostile.sent,
      hostileAnswers: hostile.byCode,
    };
    console.log(JSON.stringify({ hostileLoad: figures }));
    expect(hostile.byCode.TOO_MANY_REQUESTS).toBeGreaterThan(0);
    expect(hostile.byCode.QUERY_TOO_COMPLEX).toBeGreaterThan(0);
    // The latency target (under attack < 3× alone) is a benchmark's to judge, on a quiet machine: BENCHMARKS.md records
    // the figures printed above. Inside the test suite other files share the CPU, so a timed assertion would be noise.
  }, 240_000); // forty legitimate requests queued behind a hostile client take minutes when other suites share the CPU
});
