/**
 * The verifier's only door to the network. Credentials name URLs chosen by whoever made them (did:web hosts, status
 * lists, OB 2.0 assertions and keys), so every fetch is treated as attacker-directed: https only, public addresses
 * only (checked on the address actually connected to, so DNS rebinding cannot slip through), bounded time and size,
 * and every redirect judged by the same rules as the first URL.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { FetchFailedError, FetchRefusedError, type FetchedDocument, type SafeFetch } from './types.js';

/** Options for {@link createSafeFetch}. The relaxations exist for tests and local development only. */
export interface SafeFetchOptions {
  /** Allow plain `http:` URLs. @default false */
  allowHttp?: boolean;
  /** Allow private, loopback, link-local and other non-public addresses. @default false */
  allowPrivateNetwork?: boolean;
  /**
   * IP addresses or CIDR ranges reachable even though they are not public (an operator's internal registry, or a
   * test server on 127.0.0.1 while every other private address stays refused). @default []
   */
  allowedAddresses?: readonly string[];
  /** Deadline for the whole fetch: connect, headers, body and every redirect. @default 5_000 // 5 seconds */
  timeoutMs?: number;
  /** Largest accepted body; a call may pass its own `maxBytes`. @default 2_097_152 // 2 MiB */
  maxBytes?: number;
  /** Redirects followed before giving up. @default 3 */
  maxRedirects?: number;
  /** @default 'Cairn-Verifier/1.0' */
  userAgent?: string;
  /** Certificate authorities trusted besides the system's (PEM): a test server's own CA. @default none */
  ca?: string;
}

/** What a receiver answered to a {@link SafePost}: its status and the start of its body, for a delivery log. */
export interface PostAnswer {
  status: number;
  body: string;
}

/**
 * POSTs a body to a URL chosen by a user (a webhook receiver) under the same rules as {@link SafeFetch}: https only,
 * public addresses only, bounded time; redirects are not followed (a receiver that moved is answered by its status).
 * Any HTTP status is an answer; only a refused URL or a failed connection rejects.
 */
export type SafePost = (url: string, request: { body: string; headers: Record<string, string> }) => Promise<PostAnswer>;

/** @default 1_024 // characters of a receiver's answer kept for the delivery log */
const ANSWER_KEPT_CHARS = 1_024;

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 3;
const DEFAULT_USER_AGENT = 'Cairn-Verifier/1.0';
const DEFAULT_ACCEPT = 'application/json, application/ld+json;q=0.9, */*;q=0.1';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Address ranges a verifier must never reach, most specific first so the reason names the metadata endpoint rather
 * than "link-local". The connect-time agent refuses everything ipaddr.js does not call unicast; this list only gives
 * literal-IP URLs a precise reason before any socket is opened.
 */
const NON_PUBLIC_RANGES: ReadonlyArray<readonly [reason: string, network: string, prefix: number]> = [
  ['the cloud metadata address', '169.254.169.254', 32],
  ['an unspecified address', '0.0.0.0', 8],
  ['a private address', '10.0.0.0', 8],
  ['a carrier-grade NAT address', '100.64.0.0', 10],
  ['a loopback address', '127.0.0.0', 8],
  ['a link-local address', '169.254.0.0', 16],
  ['a private address', '172.16.0.0', 12],
  ['a reserved address', '192.0.0.0', 24],
  ['a documentation address', '192.0.2.0', 24],
  ['a private address', '192.168.0.0', 16],
  ['a benchmarking address', '198.18.0.0', 15],
  ['a documentation address', '198.51.100.0', 24],
  ['a documentation address', '203.0.113.0', 24],
  ['a multicast address', '224.0.0.0', 4],
  ['a reserved address', '240.0.0.0', 4],
  ['an unspecified address', '::', 128],
  ['a loopback address', '::1', 128],
  ['an IPv4-mapped address', '::ffff:0:0', 96],
  ['a NAT64 address', '64:ff9b::', 96],
  ['a NAT64 address', '64:ff9b:1::', 48],
  ['a Teredo address', '2001::', 32],
  ['a documentation address', '2001:db8::', 32],
  ['a 6to4 address', '2002::', 16],
  ['a unique-local address', 'fc00::', 7],
  ['a link-local address', 'fe80::', 10],
  ['a site-local address', 'fec0::', 10],
  ['a multicast address', 'ff00::', 8],
];

const NON_PUBLIC_BLOCKLISTS = NON_PUBLIC_RANGES.map(([reason, network, prefix]) => {
  const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { reason, family, list };
});

/** Why a literal IP may not be fetched, or null when it is public. @private */
export function nonPublicAddressReason(address: string): string | null {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  // BlockList compares across families through IPv4-mapped addresses: an IPv6 address may meet the IPv4 rules (so
  // `::ffff:127.0.0.1` reads as loopback), but an IPv4 address must skip the IPv6 rules, or `::ffff:0:0/96` would
  // swallow every one of them.
  const rules = family === 'ipv4' ? NON_PUBLIC_BLOCKLISTS.filter((rule) => rule.family === 'ipv4') : NON_PUBLIC_BLOCKLISTS;
  return rules.find(({ list }) => list.check(address, family))?.reason ?? null;
}

/**
 * Creates the verifier's {@link SafeFetch}. Rejects with {@link FetchRefusedError} for URLs it may not fetch (scheme,
 * credentials, non-public address, too large, too many redirects) and {@link FetchFailedError} for fetches that were
 * allowed but did not succeed (DNS, connection, timeout, non-2xx status, which it carries as `httpStatus`).
 */
export function createSafeFetch(options: SafeFetchOptions = {}): SafeFetch & { post: SafePost } {
  const allowHttp = options.allowHttp ?? false;
  const allowPrivateNetwork = options.allowPrivateNetwork ?? false;
  const allowedAddresses = [...(options.allowedAddresses ?? [])];
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const defaultMaxBytes = positiveInteger('maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES);
  const maxRedirects = nonNegativeInteger('maxRedirects', options.maxRedirects ?? DEFAULT_MAX_REDIRECTS);
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;

  const allowList = new BlockList();
  for (const entry of allowedAddresses) {
    const [network = '', prefix] = entry.split('/');
    const family = isIP(network);
    if (family === 0) throw new TypeError(`allowedAddresses entries must be IP addresses or CIDR ranges, got: ${entry}`);
    const fullLength = family === 6 ? 128 : 32;
    allowList.addSubnet(network, prefix === undefined ? fullLength : Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
  }

  // The agents re-check the resolved address when the socket connects, after our own URL checks: a hostname that
  // resolves to 127.0.0.1 (or rebinds to it between two lookups) is refused there. No keep-alive, so a socket is never
  // reused across a redirect to another host.
  const filter = {
    allowPrivateIPAddress: allowPrivateNetwork,
    allowMetaIPAddress: allowPrivateNetwork,
    allowIPAddressList: allowedAddresses,
  };
  const httpAgent = new RequestFilteringHttpAgent({ ...filter, keepAlive: false });
  const httpsAgent = new RequestFilteringHttpsAgent({ ...filter, keepAlive: false, ...(options.ca ? { ca: options.ca } : {}) });

  const isAllowedAddress = (host: string) => allowList.check(host, isIP(host) === 6 ? 'ipv6' : 'ipv4');
  /** Parses and judges one URL (the first or a redirect target); throws FetchRefusedError. */
  function checkUrl(rawUrl: string): URL {
    const judged = judgeOutboundUrl(rawUrl, { allowHttp, allowPrivateNetwork, isAllowedAddress });
    if ('refused' in judged) throw new FetchRefusedError(rawUrl, judged.refused);
    return judged.url;
  }

  function send(url: URL, signal: AbortSignal, headers: Record<string, string>, body?: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const isHttps = url.protocol === 'https:';
      const request = (isHttps ? httpsRequest : httpRequest)(
        url,
        {
          method: body === undefined ? 'GET' : 'POST',
          agent: isHttps ? httpsAgent : httpAgent,
          signal,
          // identity: a compressed body could inflate far beyond maxBytes, and we never decompress.
          headers: { ...headers, 'accept-encoding': 'identity', 'user-agent': userAgent },
        },
        resolve,
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  async function post(target: string, request: { body: string; headers: Record<string, string> }): Promise<PostAnswer> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      const response = await send(checkUrl(target), deadline.signal, { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) }, request.body);
      const answer = await readBody(response, defaultMaxBytes, target).catch(() => Buffer.alloc(0));
      return { status: response.statusCode ?? 0, body: answer.toString('utf8').slice(0, ANSWER_KEPT_CHARS) };
    } catch (error) {
      throw toFetchError(error, target, deadline.signal.aborted ? timeoutMs : null);
    } finally {
      clearTimeout(timer);
    }
  }

  return Object.assign(async function safeFetch(firstUrl: string, callOptions: Parameters<SafeFetch>[1] = {}): Promise<FetchedDocument> {
    const maxBytes = positiveInteger('maxBytes', callOptions.maxBytes ?? defaultMaxBytes);
    const accept = callOptions.accept ?? DEFAULT_ACCEPT;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const visited = new Set<string>();
    let currentUrl = firstUrl;
    try {
      for (let redirects = 0; ; redirects++) {
        const url = checkUrl(currentUrl);
        visited.add(url.href);
        const response = await send(url, deadline.signal, { accept });
        const status = response.statusCode ?? 0;

        if (REDIRECT_STATUSES.has(status)) {
          response.destroy();
          const next = redirectTarget(url, response.headers.location, status);
          if (visited.has(next)) throw new FetchRefusedError(firstUrl, `redirect loop at ${next}`);
          if (redirects >= maxRedirects) throw new FetchRefusedError(firstUrl, `more than ${maxRedirects} redirects`);
          currentUrl = next;
          continue;
        }
        if (status < 200 || status > 299) {
          response.destroy();
          throw new FetchFailedError(url.href, `HTTP ${status}`, status);
        }
        const encoding = response.headers['content-encoding'];
        if (encoding && encoding.toLowerCase() !== 'identity') {
          response.destroy();
          throw new FetchRefusedError(url.href, `unrequested Content-Encoding "${encoding}"`);
        }
        const announced = Number(response.headers['content-length']);
        if (Number.isFinite(announced) && announced > maxBytes) {
          response.destroy();
          throw new FetchRefusedError(url.href, `response of ${announced} bytes exceeds the limit of ${maxBytes}`);
        }
        const body = await readBody(response, maxBytes, url.href);
        return { url: url.href, contentType: response.headers['content-type'] ?? null, body };
      }
    } catch (error) {
      throw toFetchError(error, currentUrl, deadline.signal.aborted ? timeoutMs : null);
    } finally {
      clearTimeout(timer);
    }
  }, { post });
}

/**
 * The rules every outbound URL meets before any socket opens: absolute, https (plain http only when allowed), no
 * credentials in it, and no literal non-public address unless allowed. A hostname is judged again on the address it
 * resolves to when the connection is made. Also what a URL stored for later use (a webhook receiver) is checked by.
 */
export function judgeOutboundUrl(
  rawUrl: string,
  options: { allowHttp: boolean; allowPrivateNetwork: boolean; isAllowedAddress?: (host: string) => boolean },
): { url: URL } | { refused: string } {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { refused: 'not a valid absolute URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp)) return { refused: `the ${url.protocol} scheme is not allowed (https only)` };
  if (url.username || url.password) return { refused: 'URLs with credentials are never fetched' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 && !options.allowPrivateNetwork && !options.isAllowedAddress?.(host)) {
    const reason = nonPublicAddressReason(host);
    if (reason) return { refused: `${host} is ${reason}` };
  }
  return { url };
}

/** The absolute URL a redirect points to; a redirect without a usable Location is a failed fetch. */
function redirectTarget(from: URL, location: string | undefined, status: number): string {
  if (!location) throw new FetchFailedError(from.href, `HTTP ${status} redirect without a Location header`, status);
  try {
    return new URL(location, from).href;
  } catch {
    throw new FetchFailedError(from.href, `HTTP ${status} redirect to an invalid Location "${location}"`, status);
  }
}

/** Streams the body, stopping (and closing the connection) as soon as it grows past `maxBytes`. */
function readBody(response: IncomingMessage, maxBytes: number, url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (!settled) {
        settled = true;
        outcome();
      }
    };
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        settle(() => reject(new FetchRefusedError(url, `response exceeds the limit of ${maxBytes} bytes`)));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => settle(() => resolve(Buffer.concat(chunks, size))));
    response.on('error', (error) => settle(() => reject(error)));
    response.on('close', () => {
      settle(() => reject(new FetchFailedError(url, 'the connection closed before the body was complete')));
    });
  });
}

/** request-filtering-agent reports a refused address as a plain Error with this wording. */
const AGENT_REFUSAL = /is not allowed\. Because/;

/** Turns whatever node:http threw into the verifier's two error types, naming the URL. */
function toFetchError(error: unknown, url: string, timedOutAfterMs: number | null): Error {
  if (error instanceof FetchRefusedError || error instanceof FetchFailedError) return error;
  if (timedOutAfterMs !== null) return new FetchFailedError(url, `timed out after ${timedOutAfterMs} ms`);
  const message = error instanceof Error ? error.message : String(error);
  if (AGENT_REFUSAL.test(message)) return new FetchRefusedError(url, `the host resolves to a non-public address (${message})`);
  const code = (error as { code?: unknown } | null)?.code;
  return new FetchFailedError(url, typeof code === 'string' ? `${code}: ${message}` : message);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer, got: ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer, got: ${value}`);
  return value;
}
