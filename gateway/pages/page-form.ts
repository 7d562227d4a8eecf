import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** @default 1_800_000 // 30 minutes: a holder reads the page, then presses the button */
const FORM_TOKEN_TTL_MS = 30 * 60_000;

/**
 * A page form's proof that this visitor was shown it: an HMAC over the form's action (its path, so the credential),
 * the digest of the Authorization the page was read with, and an expiry. Pages authenticate a visitor only by a
 * bearer key, which a browser never attaches by itself; a tool that adds it to every request to the hub would add it
 * to a forged cross-site form too, and this token is what such a form cannot carry.
 */
function formMac(secret: string, action: string, authorization: string, expires: number): Buffer {
  const keyDigest = createHash('sha256').update(authorization).digest('hex');
  return createHmac('sha256', secret).update(`cairn page form\n${action}\n${expires}\n${keyDigest}`).digest();
}

export function formToken(secret: string, action: string, authorization: string, now = Date.now()): string {
  const expires = now + FORM_TOKEN_TTL_MS;
  return `${expires}.${formMac(secret, action, authorization, expires).toString('base64url')}`;
}

/** Whether `token` was made by `formToken` for this action and Authorization, and has not expired. */
export function formTokenHolds(secret: string, token: string, action: string, authorization: string, now = Date.now()): boolean {
  const [expiresText, mac] = token.split('.');
  const expires = Number(expiresText);
  if (!Number.isSafeInteger(expires) || expires <= now || !mac) return false;
  const expected = formMac(secret, action, authorization, expires);
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether a form POST came from one of this hub's own pages, as far as the browser tells: `Sec-Fetch-Site`, else
 * `Origin` (this hub's public origin, or the host it was reached at). A client that sends neither is no browser
 * submitting another site's form; the form token still has to hold.
 */
export function postedFromThisHub(req: IncomingMessage, publicBaseUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.origin === new URL(publicBaseUrl).origin || url.host === req.headers.host;
  } catch {
    return false;
  }
}
