import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** @default 7_200_000 // 2 hours: a working session at the dashboard; then the key is asked for again */
export const DASHBOARD_SESSION_TTL_MS = 2 * 60 * 60_000;

const COOKIE = 'cairn_dashboard';
const FORMAT = 'd1';
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/** What the browser holds, sealed: the API key it signed in with and when the session ends. */
export interface DashboardSession {
  /** The Authorization value the key is sent as (`Bearer …`). */
  authorization: string;
  expires: number;
}

/**
 * The session cookie's own AES-256-GCM key, derived from the viewer secret with its purpose written in: nothing
 * sealed here can pass for a signed viewer or a form token, and every replica of the gateway opens every session.
 */
function sealingKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('cairn dashboard session cookie v1').digest();
}

/**
 * The session as an opaque cookie value. The key is encrypted, not only signed: the cookie is HttpOnly, but a copy
 * in a proxy log or a backup must not hand out a key that keeps working after the session ends.
 */
export function sealSession(secret: string, session: DashboardSession): string {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(session), 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** The session in `value` when this hub sealed it and it has not expired; null otherwise. */
export function openSession(secret: string, value: string, now = Date.now()): DashboardSession | null {
  const [format, iv, sealed, tag] = value.split('.');
  if (format !== FORMAT || !iv || !sealed || !tag) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), Buffer.from(iv, 'base64url'), { authTagLength: TAG_LENGTH });
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const session = JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8')) as DashboardSession;
    return typeof session.authorization === 'string' && Number.isSafeInteger(session.expires) && session.expires > now ? session : null;
  } catch {
    return null;
  }
}

/** The sealed session cookie's value in a request, if it carries one. */
export function sessionCookieOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return null;
}

/** The session a request carries, opened; null without a valid one. */
export function sessionOf(req: IncomingMessage, secret: string, now = Date.now()): DashboardSession | null {
  const cookie = sessionCookieOf(req);
  return cookie ? openSession(secret, cookie, now) : null;
}

/**
 * The Set-Cookie value for a session (or, with null, the one that ends it). HttpOnly: no script reads it.
 * SameSite=Strict: no other site's page or form makes the browser send it. Secure when the hub is reached over
 * https. Path=/: the dashboard's graphql-ws connection to /graphql carries it too (see `sessionAuthorizationFor`).
 */
export function sessionCookie(value: string | null, publicBaseUrl: string): string {
  const secure = new URL(publicBaseUrl).protocol === 'https:' ? '; Secure' : '';
  const life = value === null ? 'Max-Age=0' : `Max-Age=${DASHBOARD_SESSION_TTL_MS / 1000}`;
  return `${COOKIE}=${value ?? ''}; ${life}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}

/** Whether a request's `Origin` is this hub: its public origin, or the host it was reached at. */
export function isThisHubOrigin(req: IncomingMessage, publicBaseUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    const url = new URL(origin);
    return url.origin === new URL(publicBaseUrl).origin || url.host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The Authorization a graphql-ws upgrade request stands for by its dashboard session cookie, or null. Only a
 * connection opened by a page of this hub (its `Origin`) is taken: a browser sends the cookie on a websocket another
 * site's script opens to a same-site host, and the Origin check is what keeps such a page from subscribing to an
 * issuer's events as the signed-in person (cross-site websocket hijacking).
 */
export function sessionAuthorizationFor(req: IncomingMessage, secret: string, publicBaseUrl: string): string | null {
  if (!isThisHubOrigin(req, publicBaseUrl)) return null;
  return sessionOf(req, secret)?.authorization ?? null;
}
