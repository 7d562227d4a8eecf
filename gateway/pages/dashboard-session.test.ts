import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { openSession, sealSession, sessionAuthorizationFor, sessionCookie } from './dashboard-session.js';

const SECRET = 'a viewer secret of at least thirty-two characters';
const NOW = Date.parse('2026-12-06T12:00:00Z');
const session = { authorization: 'Bearer cairn_secret-key', expires: NOW + 60_000 };

function upgrade(headers: Record<string, string>): IncomingMessage {
  return { headers: { host: 'hub.example:4000', ...headers } } as IncomingMessage;
}

describe('the dashboard session cookie', () => {
  test('opens to what was sealed, and the key is not readable in it', () => {
    const sealed = sealSession(SECRET, session);
    expect(sealed).not.toContain('cairn_secret-key');
    expect(Buffer.from(sealed.split('.')[2]!, 'base64url').toString('latin1')).not.toContain('cairn_secret-key');
    expect(openSession(SECRET, sealed, NOW)).toEqual(session);
  });

  test('is refused when expired, altered, or sealed with another secret', () => {
    const sealed = sealSession(SECRET, session);
    expect(openSession(SECRET, sealed, session.expires)).toBeNull();
    const [format, iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(openSession(SECRET, [format, iv, flipped.toString('base64url'), tag].join('.'), NOW)).toBeNull();
    expect(openSession(`${SECRET}!`, sealed, NOW)).toBeNull();
    expect(openSession(SECRET, 'not a session', NOW)).toBeNull();
  });

  test('is HttpOnly and SameSite=Strict, Secure on an https hub, and cleared with Max-Age=0', () => {
    expect(sessionCookie('v', 'http://localhost:4000')).toBe('cairn_dashboard=v; Max-Age=7200; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('v', 'https://hub.example')).toMatch(/; Secure$/);
    expect(sessionCookie(null, 'https://hub.example')).toBe('cairn_dashboard=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure');
  });

  test('authenticates a websocket only from this hub’s own origin', () => {
    const cookie = `other=1; cairn_dashboard=${sealSession(SECRET, { ...session, expires: Date.now() + 60_000 })}`;
    expect(sessionAuthorizationFor(upgrade({ cookie, origin: 'https://hub.example' }), SECRET, 'https://hub.example')).toBe(session.authorization);
    expect(sessionAuthorizationFor(upgrade({ cookie, origin: 'http://hub.example:4000' }), SECRET, 'https://public.example')).toBe(session.authorization);
    expect(sessionAuthorizationFor(upgrade({ cookie, origin: 'https://evil.example' }), SECRET, 'https://hub.example')).toBeNull();
    expect(sessionAuthorizationFor(upgrade({ cookie, origin: 'https://sub.hub.example' }), SECRET, 'https://hub.example')).toBeNull();
    expect(sessionAuthorizationFor(upgrade({ cookie }), SECRET, 'https://hub.example')).toBeNull();
  });
});
