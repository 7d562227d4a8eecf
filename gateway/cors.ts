import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from '../lib/server/problem.js';

/**
 * Who may call an endpoint from a web page on another origin:
 * - `public`: documents and verifiers anyone may use (credential, issuer, achievement, DID and status-list documents, OB API and
 *   OAuth discovery, VC-API verify, PUBLIC shares): `Access-Control-Allow-Origin: *`, no Authorization header;
 * - `allowListed`: endpoints that take a key or token (GraphQL, OB API resources, OAuth token and registration,
 *   VC-API issue and status, an issuer's metrics CSV): only the origins in CORS_ALLOWED_ORIGINS;
 * - no rule: pages a person navigates to (OAuth sign-in), health checks: no cross-origin call at all.
 * An allow-listed origin may send Authorization to a public endpoint too (an employer portal verifying with its
 * key, an employer's share). Credentials (cookies) are never allowed: every API here authenticates by bearer token.
 */
type Audience = 'public' | 'allowListed';

interface CorsRule {
  matches: (path: string) => boolean;
  audience: Audience;
  methods: readonly string[];
}

const exactly = (path: string) => (candidate: string) => candidate === path;
const under = (prefix: string) => (candidate: string) => candidate.startsWith(prefix);

/** First match wins: the specific paths before the prefixes they sit under. */
const RULES: readonly CorsRule[] = [
  { matches: exactly('/graphql'), audience: 'allowListed', methods: ['GET', 'POST'] },
  { matches: exactly('/ims/ob/v3p0/discovery'), audience: 'public', methods: ['GET'] },
  { matches: under('/ims/ob/v3p0/oauth/.well-known/'), audience: 'public', methods: ['GET'] },
  { matches: exactly('/ims/ob/v3p0/oauth/jwks'), audience: 'public', methods: ['GET'] },
  { matches: under('/ims/ob/v3p0/oauth/token'), audience: 'allowListed', methods: ['POST'] },
  { matches: under('/ims/ob/v3p0/oauth/reg'), audience: 'allowListed', methods: ['GET', 'POST'] },
  { matches: exactly('/ims/ob/v3p0/credentials'), audience: 'allowListed', methods: ['GET', 'POST'] },
  { matches: exactly('/ims/ob/v3p0/profile'), audience: 'allowListed', methods: ['GET', 'PUT'] },
  { matches: exactly('/credentials/verify'), audience: 'public', methods: ['POST'] },
  { matches: exactly('/presentations/verify'), audience: 'public', methods: ['POST'] },
  { matches: exactly('/credentials/issue'), audience: 'allowListed', methods: ['POST'] },
  { matches: exactly('/credentials/status'), audience: 'allowListed', methods: ['POST'] },
  { matches: under('/credentials/'), audience: 'public', methods: ['GET'] },
  { matches: (path) => /^\/issuers\/[^/]+\/metrics\.csv$/.test(path), audience: 'allowListed', methods: ['GET'] },
  { matches: under('/issuers/'), audience: 'public', methods: ['GET'] },
  { matches: under('/status-lists/'), audience: 'public', methods: ['GET'] },
  { matches: under('/shares/'), audience: 'public', methods: ['GET'] },
  { matches: under('/achievements/'), audience: 'public', methods: ['GET'] },
];

/** Response headers a page may read: paging (OB API), refusals' reasons and when to retry. */
const EXPOSED = 'link, x-total-count, retry-after, www-authenticate';
/** @default 600 // seconds a browser may reuse a preflight's answer */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** What one origin may do with one endpoint, or null when it may make no cross-origin call to it. */
interface Grant {
  allowOrigin: string;
  methods: readonly string[];
  headers: string;
}

function grantFor(path: string, origin: string, allowedOrigins: ReadonlySet<string>): Grant | null {
  const rule = RULES.find((candidate) => candidate.matches(path));
  if (!rule) return null;
  if (allowedOrigins.has(origin)) return { allowOrigin: origin, methods: rule.methods, headers: 'authorization, content-type, accept' };
  if (rule.audience === 'public') return { allowOrigin: '*', methods: rule.methods, headers: 'content-type, accept' };
  return null;
}

/**
 * Applies the policy to one request at the gateway, before it is routed. A preflight is answered here and never
 * forwarded (204 with what this origin may do, or 403 without any CORS header); any other request from a page gets
 * its CORS headers now, which the forwarded or GraphQL answer keeps. Returns true when the request was answered.
 * Every answer varies by Origin: caches must not hand one origin's answer to another.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  res.setHeader('vary', 'Origin');
  const grant = grantFor((req.url ?? '').split('?')[0]!, origin, allowedOrigins);
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (preflight) {
    if (!grant) {
      sendProblem(res, 403, 'UNAUTHORIZED', `This endpoint does not answer pages on ${origin}`);
      return true;
    }
    res.writeHead(204, {
      'access-control-allow-origin': grant.allowOrigin,
      'access-control-allow-methods': [...grant.methods, 'OPTIONS'].join(', '),
      'access-control-allow-headers': grant.headers,
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      'content-length': '0',
    });
    res.end();
    return true;
  }
  if (grant) {
    res.setHeader('access-control-allow-origin', grant.allowOrigin);
    res.setHeader('access-control-expose-headers', EXPOSED);
  }
  return false;
}
