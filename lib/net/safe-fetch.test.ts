import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchFailedError, FetchRefusedError } from './types.js';
import { createSafeFetch, nonPublicAddressReason } from './safe-fetch.js';

// A real node:http server on 127.0.0.1 stands in for the internet; nothing here may leave the machine.

type Route = (request: IncomingMessage, response: ServerResponse) => void;

const routes = new Map<string, Route>();
const requestedPaths: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    requestedPaths.push(request.url ?? '');
    const route = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (route) route(request, response);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  routes.set('/json', (request, response) => {
    response.writeHead(200, { 'content-type': 'application/did+json', 'x-accept-encoding': request.headers['accept-encoding'] ?? '' });
    response.end('{"ok":true}');
  });
  routes.set('/never', () => {
    // never answers: only the deadline can end this request
  });
  routes.set('/big-announced', (_request, response) => {
    response.writeHead(200, { 'content-length': '5000' });
    response.end('x'.repeat(5000));
  });
  routes.set('/big-chunked', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    // keeps streaming well past the limit: the client must stop reading, not wait for the end
    let sent = 0;
    const timer = setInterval(() => {
      if (response.destroyed || sent > 1_000_000) {
        clearInterval(timer);
        response.end();
        return;
      }
      response.write('y'.repeat(1000));
      sent += 1000;
    }, 1);
  });
  routes.set('/redirect-once', (_request, response) => response.writeHead(302, { location: '/json' }).end());
  routes.set('/loop-a', (_request, response) => response.writeHead(301, { location: '/loop-b' }).end());
  routes.set('/loop-b', (_request, response) => response.writeHead(301, { location: '/loop-a' }).end());
  routes.set('/chain', (request, response) => {
    const step = Number(new URL(request.url ?? '', 'http://x').searchParams.get('n') ?? '0');
    response.writeHead(307, { location: `/chain?n=${step + 1}` }).end();
  });
  routes.set('/to-private', (_request, response) => response.writeHead(302, { location: 'http://10.0.0.1/did.json' }).end());
  routes.set('/to-metadata', (_request, response) =>
    response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  );
  routes.set('/gzip', (_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end('zz'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const localFetch = createSafeFetch({ allowHttp: true, allowPrivateNetwork: true, timeoutMs: 1_000 });

/** The error a promise rejects with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('expected a rejection');
  return outcome;
}

describe('fetching from a reachable server (http and private network allowed)', () => {
  it('returns the body, the final URL and the content type, asking for an uncompressed body', async () => {
    const fetched = await localFetch(`${base}/json`);
    expect(fetched.url).toBe(`${base}/json`);
    expect(fetched.contentType).toBe('application/did+json');
    expect(JSON.parse(fetched.body.toString('utf8'))).toEqual({ ok: true });
  });

  it('reports a 404 as FetchFailedError carrying the status', async () => {
    const error = await rejectionOf(localFetch(`${base}/missing`));
    expect(error).toBeInstanceOf(FetchFailedError);
    expect((error as FetchFailedError).httpStatus).toBe(404);
  });

  it('gives up on a server that never answers within the deadline', async () => {
    const fetchWithShortDeadline = createSafeFetch({ allowHttp: true, allowPrivateNetwork: true, timeoutMs: 200 });
    const started = Date.now();
    const error = await rejectionOf(fetchWithShortDeadline(`${base}/never`));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(FetchFailedError);
    expect(error.message).toMatch(/timed out after 200 ms/);
  });

  it('refuses a body whose Content-Length announces more than the limit', async () => {
    const error = await rejectionOf(localFetch(`${base}/big-announced`, { maxBytes: 1000 }));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/5000 bytes exceeds the limit of 1000/);
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    const started = Date.now();
    const error = await rejectionOf(localFetch(`${base}/big-chunked`, { maxBytes: 10_000 }));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/exceeds the limit of 10000 bytes/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('uses the per-fetch limit over the default one', async () => {
    const smallByDefault = createSafeFetch({ allowHttp: true, allowPrivateNetwork: true, maxBytes: 5 });
    await expect(smallByDefault(`${base}/json`)).rejects.toBeInstanceOf(FetchRefusedError);
    await expect(smallByDefault(`${base}/json`, { maxBytes: 100 })).resolves.toMatchObject({ url: `${base}/json` });
  });

  it('refuses a compressed body it did not ask for', async () => {
    await expect(localFetch(`${base}/gzip`)).rejects.toThrow(/Content-Encoding "gzip"/);
  });

  it('follows a redirect and reports the final URL', async () => {
    const fetched = await localFetch(`${base}/redirect-once`);
    expect(fetched.url).toBe(`${base}/json`);
    expect(JSON.parse(fetched.body.toString('utf8'))).toEqual({ ok: true });
  });

  it('refuses a redirect loop', async () => {
    const error = await rejectionOf(localFetch(`${base}/loop-a`));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/redirect loop/);
  });

  it('refuses more redirects than allowed', async () => {
    const error = await rejectionOf(localFetch(`${base}/chain?n=0`));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/more than 3 redirects/);
  });
});

describe('redirects judged by the same rules as the first URL', () => {
  // Only the test server's own address is allowed; every other private address stays refused.
  const onlyTestServer = createSafeFetch({ allowHttp: true, allowedAddresses: ['127.0.0.1'], timeoutMs: 1_000 });

  it('reaches the explicitly allowed address', async () => {
    await expect(onlyTestServer(`${base}/json`)).resolves.toMatchObject({ url: `${base}/json` });
  });

  it('refuses a redirect to a private address', async () => {
    const error = await rejectionOf(onlyTestServer(`${base}/to-private`));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/10\.0\.0\.1 is a private address/);
  });

  it('refuses a redirect to the cloud metadata endpoint', async () => {
    const error = await rejectionOf(onlyTestServer(`${base}/to-metadata`));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/cloud metadata address/);
  });
});

describe('the default rules (https only, public addresses only)', () => {
  const strictFetch = createSafeFetch({ timeoutMs: 1_000 });

  it('refuses http://', async () => {
    const error = await rejectionOf(strictFetch('http://example.com/did.json'));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/http: scheme is not allowed/);
  });

  it('refuses other schemes and URLs with credentials', async () => {
    await expect(strictFetch('file:///etc/passwd')).rejects.toBeInstanceOf(FetchRefusedError);
    await expect(strictFetch('https://user:secret@example.com/')).rejects.toThrow(/credentials/);
    await expect(strictFetch('not a url')).rejects.toBeInstanceOf(FetchRefusedError);
  });

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://10.0.0.1/', 'private'],
    ['https://[::1]/', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['https://100.64.1.1/', 'carrier-grade NAT'],
    ['https://[fd00::1]/', 'unique-local'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://224.0.0.1/', 'multicast'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
  ])('refuses %s (%s) without connecting', async (url, reason) => {
    const error = await rejectionOf(strictFetch(url));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toContain(reason);
  });

  it('refuses a hostname that resolves to a loopback address, at connect time', async () => {
    const error = await rejectionOf(strictFetch('https://localhost/'));
    expect(error).toBeInstanceOf(FetchRefusedError);
    expect(error.message).toMatch(/resolves to a non-public address/);
  });

  it('never reaches a live local server through its hostname', async () => {
    const httpButPublicOnly = createSafeFetch({ allowHttp: true, timeoutMs: 1_000 });
    const before = requestedPaths.length;
    const port = new URL(base).port;
    await expect(httpButPublicOnly(`http://localhost:${port}/json`)).rejects.toBeInstanceOf(FetchRefusedError);
    expect(requestedPaths.length).toBe(before);
  });
});

describe('nonPublicAddressReason', () => {
  it('finds nothing to object to in public addresses', () => {
    expect(nonPublicAddressReason('93.184.215.14')).toBeNull();
    expect(nonPublicAddressReason('8.8.8.8')).toBeNull();
    expect(nonPublicAddressReason('2606:2800:21f:cb07:6820:80da:af6b:8b2c')).toBeNull();
  });

  it('names the range of a non-public address', () => {
    expect(nonPublicAddressReason('172.31.255.255')).toBe('a private address');
    expect(nonPublicAddressReason('::ffff:8.8.8.8')).toBe('an IPv4-mapped address');
    expect(nonPublicAddressReason('255.255.255.255')).toBe('a reserved address');
  });
});

describe('misuse', () => {
  it('throws TypeError for nonsensical limits', () => {
    expect(() => createSafeFetch({ timeoutMs: 0 })).toThrow(TypeError);
    expect(() => createSafeFetch({ maxRedirects: -1 })).toThrow(TypeError);
    expect(() => createSafeFetch({ allowedAddresses: ['example.com'] })).toThrow(TypeError);
  });
});
