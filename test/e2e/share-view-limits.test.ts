import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newId } from '../../lib/ids.js';
import { signedSampleCredential } from '../fixtures/signed-sample-credential.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Issue 10, item 9: anonymous share views are rate-limited per client address and per share, through the real
// gateway (which tells the subgraph the caller's address, signed with the viewer). Each "client" below connects from
// its own loopback address (127.0.0.0/8 is all loopback on Linux), as different machines would.

const PER_ADDRESS = 1;
const PER_SHARE = 3;
const BURST_SECONDS = 5;

let hub: TestHub;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** One HTTP request to the hub's gateway from `address`, without a key. */
function from(gateway: TestHub, address: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(
      `${new URL(gateway.gateway.url).origin}${path}`,
      {
        method: payload ? 'POST' : 'GET',
        localAddress: address,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
const download = (gateway: TestHub, address: string, token: string) => from(gateway, address, `/shares/${token}`);
const query = (gateway: TestHub, address: string, token: string) =>
  from(gateway, address, '/graphql', { query: 'query ($t: String!) { share(token: $t) { recipientId } }', variables: { t: token } });
const refusedByLimit = (answer: Answer) =>
  answer.status === 429 || answer.body.errors?.some((error: { extensions?: { code?: string } }) => error.extensions?.code === 'TOO_MANY_REQUESTS');

/** A PUBLIC share of one imported credential, made by the operator for a new recipient. */
async function publicShare(hub: TestHub): Promise<string> {
  const recipient = await hub.gql(`mutation { createRecipient(input: { identities: [{ type: EMAIL, value: "${newId()}@limits.example" }] }) { recipient { id } } }`);
  const recipientId = recipient.data.createRecipient.recipient.id;
  const credential = await signedSampleCredential();
  const imported = await hub.gql(`mutation ($c: JSON, $r: ID) { importCredential(input: { credential: $c, recipientId: $r }) { credential { id } } }`, { c: credential, r: recipientId });
  expect(imported.errors).toBeUndefined();
  const share = await hub.gql(`mutation ($ids: [ID!]!, $r: ID) { createShare(input: { credentialIds: $ids, audience: PUBLIC, recipientId: $r }) { token } }`, {
    ids: [imported.data.importCredential.credential.id],
    r: recipientId,
  });
  expect(share.errors).toBeUndefined();
  return share.data.createShare.token;
}

beforeAll(async () => {
  hub = await startTestHub({
    RATE_LIMIT_SHARE_VIEWS_PER_IP_PER_SECOND: String(PER_ADDRESS),
    RATE_LIMIT_SHARE_VIEWS_PER_SHARE_PER_SECOND: String(PER_SHARE),
    RATE_LIMIT_BURST_SECONDS: String(BURST_SECONDS),
  });
});
afterAll(() => hub?.dispose());

describe('anonymous share views are rate-limited', () => {
  test('one address is refused past its burst: 429 with Retry-After over REST, TOO_MANY_REQUESTS over GraphQL; another address still opens the share', async () => {
    const token = await publicShare(hub);
    const started = Date.now();
    const answers: Answer[] = [];
    for (let index = 0; index < BURST_SECONDS + 5; index++) answers.push(await download(hub, '127.0.0.2', token));
    const downloadsEnded = Date.now();
    const elapsedSeconds = (downloadsEnded - started) / 1000;
    expect(answers.slice(0, BURST_SECONDS).map((answer) => answer.status)).toEqual(Array(BURST_SECONDS).fill(200));
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    // Only the burst and what refilled meanwhile went through.
    expect(answers.length - refused.length).toBeLessThanOrEqual(BURST_SECONDS + Math.ceil(elapsedSeconds * PER_ADDRESS));
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });

    // The address's bucket refills one view a second, so on a slow machine a view may have come back since the
    // last download: ask until refused, and allow only what refilled meanwhile.
    const overGraphQL: Answer[] = [];
    do overGraphQL.push(await query(hub, '127.0.0.2', token));
    while (!refusedByLimit(overGraphQL.at(-1)!) && overGraphQL.length < BURST_SECONDS + 5);
    const refusedOverGraphQL = overGraphQL.at(-1)!;
    expect(overGraphQL.length - 1).toBeLessThanOrEqual(Math.ceil(((Date.now() - downloadsEnded) / 1000) * PER_ADDRESS));
    expect(refusedOverGraphQL.body.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: expect.any(Number) });
    expect(refusedOverGraphQL.body.data?.share ?? null).toBeNull();

    const elsewhere = await query(hub, '127.0.0.3', token);
    expect(elsewhere.body.errors).toBeUndefined();
    expect(elsewhere.body.data.share.recipientId).toBeTruthy();
  });

  test('viewers with a key are not counted here (the gateway limits keys)', async () => {
    const token = await publicShare(hub);
    for (let index = 0; index < BURST_SECONDS + 3; index++) {
      const opened = await hub.gql('query ($t: String!) { share(token: $t) { recipientId } }', { t: token });
      expect(opened.errors).toBeUndefined();
    }
  });
});

describe('a crowd of addresses on one share', () => {
  test('is refused past the share’s own burst, each address opening it once', async () => {
    const token = await publicShare(hub);
    const burst = PER_SHARE * BURST_SECONDS;
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 3 * burst }, (_, index) => query(hub, `127.0.1.${index + 1}`, token)));
    const elapsedSeconds = (Date.now() - started) / 1000;
    const refused = answers.filter(refusedByLimit);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.length - refused.length).toBeLessThanOrEqual(burst + Math.ceil(elapsedSeconds * PER_SHARE));
    expect(answers.filter((answer) => !refusedByLimit(answer)).every((answer) => answer.body.data?.share?.recipientId)).toBe(true);
  });
});
