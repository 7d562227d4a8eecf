import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { postJson, quantile } from './http-load.js';

/**
 * The clients of the subscriptions bench (scripts/bench/subscriptions.ts), in a process of their own as on other
 * machines: the graphql-ws subscribers and the client that issues. Started with the gateway's URL, an API key and the
 * achievement to issue as arguments; steps arrive over IPC; every time is taken here, on one clock.
 */

export type ClientsRequest = { step: 'issue'; count: number; label: string } | { step: 'listen'; subscribers: number };

export interface ClientsReport {
  /** When credentials were issued: how long each mutation took. */
  issuance?: { p50: number; p99: number };
  /** When clients listen: what they received of these issuances. */
  delivery?: { complete: string; receipts: { count: number; p50: number; p99: number; max: number } };
}

const [gatewayUrl, key, achievementId] = process.argv.slice(2) as [string, string, string];
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const listeners: { client: Client; arrivals: number[]; cursors: string[]; warm: number }[] = [];
const failures: unknown[] = [];
let wake: (() => void) | null = null;

process.on('message', (message: ClientsRequest | { step: 'stop' }) => {
  if (message.step === 'stop') {
    void Promise.all(listeners.map(({ client }) => client.dispose())).finally(() => process.exit(0));
    return;
  }
  const handled = message.step === 'issue' ? issueMany(message) : listen(message);
  handled.then(
    (report) => process.send!(report),
    (error: unknown) => process.send!({ error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});

async function issue(idempotencyKey: string): Promise<void> {
  const body = JSON.stringify({
    query: 'mutation ($input: IssueCredentialInput!) { issueCredential(input: $input) { credential { id } } }',
    variables: {
      input: {
        achievementId,
        recipient: { email: `${idempotencyKey}@bench.example`, name: 'Bench Recipient' },
        evidence: [{ kind: 'PROJECT', url: 'https://git.example/bench', narrative: 'Reviewed.' }],
        idempotencyKey,
      },
    },
  });
  const { status, text } = await postJson(agent, new URL(gatewayUrl), body, { authorization: `Bearer ${key}` });
  if (status !== 200 || text.includes('"errors"')) throw new Error(`issuance failed: ${status} ${text.slice(0, 500)}`);
}

/** Issues `count` credentials one after another; while clients listen, each waits until every client has its event. */
async function issueMany(request: Extract<ClientsRequest, { step: 'issue' }>): Promise<ClientsReport> {
  const latencies: number[] = [];
  const receipts: number[] = [];
  for (let i = 0; i < request.count; i++) {
    const started = performance.now();
    await issue(`${request.label}-${i}`);
    const answered = performance.now();
    latencies.push(answered - started);
    if (listeners.length === 0) continue;
    await everyClientHas(i + 1);
    for (const { arrivals, warm } of listeners) receipts.push(Math.max(0, arrivals[warm + i]! - answered));
  }
  latencies.sort((a, b) => a - b);
  const issuance = { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
  if (listeners.length === 0) return { issuance };
  receipts.sort((a, b) => a - b);
  // Settled again, so a duplicate still on its way would be counted.
  await settled();
  return {
    issuance,
    delivery: {
      complete: completeness(request.count),
      receipts: { count: receipts.length, p50: quantile(receipts, 0.5), p99: quantile(receipts, 0.99), max: receipts.at(-1)! },
    },
  };
}

/** Connects and subscribes every client, then issues until each has received an event, and lets the stream settle. */
async function listen(request: Extract<ClientsRequest, { step: 'listen' }>): Promise<ClientsReport> {
  for (let index = 0; index < request.subscribers; index++) {
    const client = createClient({ url: gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${key}` }, retryAttempts: 0 });
    const listener = { client, arrivals: [] as number[], cursors: [] as string[], warm: 0 };
    listeners.push(listener);
    client.subscribe(
      { query: 'subscription { credentialEvents(types: [CREDENTIAL_ISSUED]) { cursor type } }' },
      {
        next: (result) => {
          listener.arrivals.push(performance.now());
          listener.cursors.push((result.data as { credentialEvents: { cursor: string } }).credentialEvents.cursor);
          wake?.();
        },
        error: (error) => failures.push(error),
        complete: () => {},
      },
    );
  }
  // Identical subscriptions of one key share one upstream stream, so the hub's subscriber count does not tell how many
  // clients listen: warm-up issuances until each has received one.
  for (let warmUp = 0; listeners.some(({ arrivals }) => arrivals.length === 0); warmUp++) {
    if (failures.length > 0) throw new Error(`a subscription failed: ${JSON.stringify(failures[0])}`);
    if (warmUp === 100) throw new Error(`after 100 warm-up issuances ${listeners.filter(({ arrivals }) => arrivals.length === 0).length} clients have nothing`);
    await issue(`warm-up-${warmUp}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Each client joined at its own moment, so counts differ: what each has once no warm-up event is on its way.
  await settled();
  for (const listener of listeners) listener.warm = listener.arrivals.length;
  return {};
}

/** Resolves once every client has received `count` events after its warm-up. */
async function everyClientHas(count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (listeners.some(({ arrivals, warm }) => arrivals.length < warm + count)) {
    if (failures.length > 0) throw new Error(`a subscription failed: ${JSON.stringify(failures[0])}`);
    if (Date.now() > deadline) throw new Error(`timed out: ${listeners.filter(({ arrivals, warm }) => arrivals.length >= warm + count).length} of ${listeners.length} clients have ${count}`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 50);
    });
  }
}

/** Waits until no client's count changes for a second. */
async function settled(): Promise<void> {
  let counts = '';
  while (counts !== (counts = listeners.map(({ arrivals }) => arrivals.length).join())) await new Promise((resolve) => setTimeout(resolve, 1_000));
}

/** Whether every client received the same `count` cursors after its warm-up, in order, once each. */
function completeness(count: number): string {
  const timed = listeners.map(({ cursors, warm }) => cursors.slice(warm).join());
  const expected = timed[0]!.split(',');
  const inOrderOnce = expected.length === count && new Set(expected).size === count && expected.every((cursor, i) => i === 0 || BigInt(cursor) > BigInt(expected[i - 1]!));
  const missing = timed.filter((received) => received !== timed[0]).length;
  return inOrderOnce && missing === 0
    ? `no client missing an event: all ${listeners.length} clients received the same ${count} events, in order, once each`
    : `CLIENTS MISSING EVENTS: ${missing} of ${listeners.length} clients differ from the first; the first's ${expected.length} cursors ${inOrderOnce ? 'are' : 'are not'} the ${count} events in order once each`;
}
