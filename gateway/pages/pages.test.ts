import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import { createHubClient, type PageServerContext } from './hub-client.js';
import { createPages } from './pages.js';

// A page whose query the gateway refused for the visitor's rate said "No such share": the refusal is a 429 page with
// Retry-After. The gateway here is a stand-in answering as the real one does when a bucket is empty.

const refusals: PageServerContext[] = [];
let server: Server;

beforeAll(async () => {
  const client = createHubClient({
    gateway: {
      graphqlEndpoint: '/graphql',
      fetch: (_input, _init, serverContext) => {
        refusals.push(serverContext);
        const body = { errors: [{ message: 'Too many requests; retry after 7 s', extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 7 } }] };
        return new Response(JSON.stringify(body), { status: 429, headers: { 'content-type': 'application/json' } });
      },
    },
    subgraphOrigins: { issuers: 'http://unused', achievements: 'http://unused', recipients: 'http://unused', verification: 'http://unused' },
    lookup: async () => null,
    viewerSecret: 'a-test-viewer-secret-of-at-least-32-characters',
    clientAddressOf: () => '127.0.0.1',
  });
  const pages = createPages({ client, site: { hubName: 'Cairn', graphiql: false }, publicBaseUrl: 'http://hub.example', formSecret: 'a-test-form-secret-of-at-least-32-characters', log: silentLogger() });
  server = createServer((req, res) => void pages(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => server?.close());

describe('a page the visitor asked for too often', () => {
  test('is a 429 page that says when to try again, not "no such" anything', async () => {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/shares/some-token`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    const html = await response.text();
    expect(html).toContain('Too many requests');
    expect(html).toContain('try again in 7 s');
    expect(html).not.toContain('No such share');
    // The gateway is told the operation is a page's own, which its rate limit prices flat.
    expect(refusals[0]?.pageOperation).toBe(true);
  });
});
