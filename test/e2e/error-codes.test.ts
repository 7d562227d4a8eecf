import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../../lib/errors.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// Every error a client can receive carries a code from the one closed list in lib/errors.ts (and the README), and no
// error echoes an internal message (a JSON parser's, a stack).

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.dispose());

type Answer = { status: number; body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } };

async function send(init: RequestInit & { path?: string }): Promise<Answer> {
  const response = await fetch(`${hub.gateway.url}${init.path ?? ''}`, init);
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const json = (body: string, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

const BAD_REQUESTS: [string, () => Promise<Answer>][] = [
  ['malformed JSON', () => send(json('{"query": '))],
  ['a JSON body that is not an object', () => send(json('"{ me { kind } }"'))],
  ['a batch', () => send(json('[{"query":"{ me { kind } }"},{"query":"{ me { kind } }"}]'))],
  ['a mutation over GET', () => send({ method: 'GET', path: `?query=${encodeURIComponent('mutation { revokeApiKey(id: "x") { id } }')}` })],
  ['no query', () => send(json('{"variables":{}}'))],
  ['a query that is not a string', () => send(json('{"query": 42}'))],
  ['variables that are not an object', () => send(json('{"query":"{ me { kind } }","variables":"x"}'))],
  ['an unknown operation name', () => send(json('{"query":"query A { me { kind } }","operationName":"B"}'))],
  ['two operations and no name', () => send(json('{"query":"query A { me { kind } } query B { me { kind } }"}'))],
  ['a variable of the wrong type', () => send(json('{"query":"query ($n: Int) { issuers(first: $n) { totalCount } }","variables":{"n":"many"}}'))],
  ['a parse error', () => send(json('{"query":"{ me { "}'))],
  ['an unknown field', () => send(json('{"query":"{ nope }"}'))],
  ['an invalid key', () => send(json('{"query":"{ me { kind } }"}', { authorization: 'Bearer not-a-key' }))],
  ['a forbidden mutation', () => send(json(JSON.stringify({ query: 'mutation { createIssuer(input: { name: "A", url: "https://a.example" }) { issuer { id } } }' })))],
  ['an unknown id', () => send(json(JSON.stringify({ query: 'mutation { revokeApiKey(id: "01900000-0000-7000-8000-000000000000") { id } }' }), { authorization: `Bearer ${hub.adminKey}` }))],
  ['a PUT', () => send({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { kind } }"}' })],
  ['no Content-Length', () => send({ method: 'POST', headers: { 'content-type': 'application/json' }, body: new Blob(['{"query":"{ me { kind } }"}']).stream(), duplex: 'half' } as RequestInit)],
];

describe('every kind of bad request answers a documented code', () => {
  test.each(BAD_REQUESTS)('%s', async (_kind, request) => {
    const answer = await request();
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors?.length).toBeGreaterThan(0);
    for (const error of answer.body.errors!) {
      expect(ERROR_CODES).toContain(error.extensions?.code);
      expect(error.extensions).not.toHaveProperty('originalError');
      expect(error.extensions).not.toHaveProperty('stacktrace');
      expect(error.message).not.toMatch(/Unexpected (end|token)|is not valid JSON|at position/);
    }
  });

  test('the request-shape refusals use BAD_REQUEST with status 400 (405 for a mutation over GET)', async () => {
    for (const [kind, request] of BAD_REQUESTS.slice(0, 8)) {
      const answer = await request();
      expect({ kind, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ kind, code: 'BAD_REQUEST' });
      expect([400, 405]).toContain(answer.status);
    }
  });
});
