import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { LimitsConfig } from '../../../lib/config/env.js';
import { perHour, perMinute, spendAllowance } from '../../../lib/rate-limit/allowance.js';
import type { RateLimitStore } from '../../../lib/rate-limit/token-buckets.js';
import { OAUTH_PATH } from './constants.js';

/** @default 57_344 // the OAuth server's own limit on a form body (oidc-provider's selective_body LIMIT, 56 KiB) */
const MAX_TOKEN_BODY_BYTES = 56 * 1024;

/**
 * Reads a form body's fields without consuming them: the bytes are pushed back onto the request (`unshift`, the
 * stream API for a parser that looked ahead) before its end is announced, so the OAuth server reads the same body.
 * Only a body with a Content-Length (the gateway refuses POSTs without one) up to the OAuth server's own limit.
 */
async function peekFormFields(req: IncomingMessage): Promise<URLSearchParams | null> {
  const length = Number(req.headers['content-length']);
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return null;
  if (!Number.isSafeInteger(length) || length <= 0 || length > MAX_TOKEN_BODY_BYTES) return null;
  const chunks: Buffer[] = [];
  let received = 0;
  while (received < length) {
    const chunk = req.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      received += chunk.length;
    } else if (req.complete || req.destroyed) {
      break;
    } else {
      await once(req, 'readable');
    }
  }
  const body = Buffer.concat(chunks);
  req.unshift(body);
  return new URLSearchParams(body.toString('utf8'));
}

/** The client_id of a token request: from HTTP Basic (client_secret_basic), else from the form (client_secret_post, public clients). */
async function clientIdOf(req: Request): Promise<string | null> {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    try {
      return decodeURIComponent(decoded.slice(0, Math.max(0, decoded.indexOf(':'))).replace(/\+/g, '%20')) || null;
    } catch {
      return null;
    }
  }
  return (await peekFormFields(req))?.get('client_id') ?? null;
}

/**
 * Rate limits in front of the OAuth server, in the hub's rate-limit store: dynamic client registration per client IP
 * (registration needs no initial access token, so it is open to anyone), and token requests per client_id and per
 * client IP (a client hammering the endpoint from many addresses, or one address trying many clients). Refusals are
 * 429 problem documents with Retry-After, through the subgraph's error handler. The client IP is the one the gateway
 * signed with the viewer (`res.locals.clientAddress`); a caller inside the hub has none and is limited per client only.
 */
export function createOAuthRateLimits(store: RateLimitStore, limits: LimitsConfig['oauth']): Router {
  const router = Router();
  const addressOf = (res: Response) => res.locals.clientAddress as string | null;
  router.post(`${OAUTH_PATH}/reg`, async (_req, res, next) => {
    const address = addressOf(res);
    if (address) await spendAllowance(store, `oauth-registrations:ip:${address}`, perHour(limits.registrationsPerIpPerHour), 'client registrations from this address');
    next();
  });
  router.post(`${OAUTH_PATH}/token`, async (req, res, next) => {
    const address = addressOf(res);
    if (address) await spendAllowance(store, `oauth-tokens:ip:${address}`, perMinute(limits.tokensPerMinute), 'token requests from this address');
    const clientId = await clientIdOf(req);
    if (clientId) {
      // Hashed: a client_id is whatever the caller wrote, and the store's keys should stay short.
      const clientKey = createHash('sha256').update(clientId).digest('base64url');
      await spendAllowance(store, `oauth-tokens:client:${clientKey}`, perMinute(limits.tokensPerMinute), 'token requests for this client');
    }
    next();
  });
  return router;
}
