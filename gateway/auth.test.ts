import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifySignedCaller, VIEWER_HEADER, type Viewer } from '../lib/auth/viewer.js';
import { createInMemoryGateway, FEDERATION_LINK, type InMemoryGateway } from '../test/helpers/in-memory-gateway.js';
import { useViewerAuth } from './auth.js';

const SECRET = 'a-test-viewer-secret-of-at-least-32-characters';
const KEYS: Record<string, Viewer> = {
  'key-of-issuer': { kind: 'ISSUER', apiKeyId: 'k1', issuerId: 'issuer-1', role: 'OWNER' },
  'key-of-employer': { kind: 'EMPLOYER', apiKeyId: 'k2', employerId: 'employer-1' },
};

let gateway: InMemoryGateway;
beforeAll(async () => {
  gateway = await createInMemoryGateway({
    typeDefs: `${FEDERATION_LINK} type Query { me: String! }`,
    resolvers: {
      Query: {
        // Answers a little later, so that identical operations of different viewers are in flight together.
        me: async (_parent, _args, { headers }) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const viewer = verifySignedCaller(headers.get(VIEWER_HEADER), SECRET).viewer;
          return viewer.kind === 'ANONYMOUS' ? 'ANONYMOUS' : `${viewer.kind}:${viewer.apiKeyId}`;
        },
      },
    },
    plugins: [useViewerAuth(async (token) => KEYS[token] ?? null, SECRET)],
  });
});
afterAll(() => gateway?.dispose());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('useViewerAuth', () => {
  test('identical operations of different viewers in flight together each get their own answer', async () => {
    const askers = [
      { headers: bearer('key-of-issuer'), expected: 'ISSUER:k1' },
      { headers: bearer('key-of-employer'), expected: 'EMPLOYER:k2' },
      { headers: {}, expected: 'ANONYMOUS' },
    ];
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => askers).flat().map(async (asker) => ({ asker, answer: await gateway.post({ query: '{ me }' }, asker.headers) })),
    );
    expect(answers.filter(({ asker, answer }) => answer.body.data?.me !== asker.expected)).toEqual([]);
  });

  test('the subgraph receives the viewer signed and never the key', async () => {
    gateway.upstream.length = 0;
    await gateway.post({ query: '{ me }' }, bearer('key-of-employer'));
    const [request] = gateway.upstream;
    expect(request!.headers.get('authorization')).toBeNull();
    expect(verifySignedCaller(request!.headers.get(VIEWER_HEADER), SECRET).viewer).toEqual(KEYS['key-of-employer']);
  });

  test('the subgraph receives the client address the gateway saw, signed with the viewer', async () => {
    const { httpUrl } = await gateway.listen();
    gateway.upstream.length = 0;
    for (const headers of [bearer('key-of-issuer'), {}]) {
      // A client naming another address for itself is not believed: no proxy in front of this gateway is trusted.
      await fetch(httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.66', ...headers }, body: '{"query":"{ me }"}' });
    }
    const signed = gateway.upstream.map((request) => verifySignedCaller(request.headers.get(VIEWER_HEADER), SECRET));
    expect(signed.map((caller) => caller.clientAddress)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(signed.map((caller) => caller.viewer.kind)).toEqual(['ISSUER', 'ANONYMOUS']);
  });

  test('an unknown key or a malformed header is refused with 401 UNAUTHENTICATED, not run as anonymous', async () => {
    gateway.upstream.length = 0;
    for (const headers of [bearer('no-such-key'), { authorization: 'Basic dXNlcjpwYXNz' }]) {
      const answer = await gateway.post({ query: '{ me }' }, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(gateway.upstream).toEqual([]);
  });
});
