import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { formToken, formTokenHolds, postedFromThisHub } from './page-form.js';

const secret = 'a-test-secret-of-at-least-32-characters!';
const action = '/credentials/c1/linkedin';
const key = 'Bearer cairn_abc_def';
const now = Date.UTC(2026, 11, 6, 12);

describe("a page form's token", () => {
  test('holds for the action and key it was made for, until it expires', () => {
    const token = formToken(secret, action, key, now);
    expect(formTokenHolds(secret, token, action, key, now + 60_000)).toBe(true);
    expect(formTokenHolds(secret, token, action, key, now + 31 * 60_000)).toBe(false);
    expect(formTokenHolds(secret, token, '/credentials/c2/linkedin', key, now)).toBe(false);
    expect(formTokenHolds(secret, token, action, 'Bearer cairn_other_key', now)).toBe(false);
    expect(formTokenHolds('another-secret-of-at-least-32-characters', token, action, key, now)).toBe(false);
  });

  test('a token with its expiry pushed forward, or not a token at all, does not hold', () => {
    const [, mac] = formToken(secret, action, key, now).split('.');
    expect(formTokenHolds(secret, `${now + 3_600_000}.${mac}`, action, key, now)).toBe(false);
    for (const junk of ['', '.', 'x.y', `${now + 1000}.`, 'NaN.abc']) expect(formTokenHolds(secret, junk, action, key, now)).toBe(false);
  });
});

describe('where a form POST came from', () => {
  const posted = (headers: Record<string, string>) => postedFromThisHub({ headers: { host: '127.0.0.1:4100', ...headers } } as unknown as IncomingMessage, 'https://hub.example');
  test("the browser's Sec-Fetch-Site decides when it sends one", () => {
    expect(posted({ 'sec-fetch-site': 'same-origin' })).toBe(true);
    expect(posted({ 'sec-fetch-site': 'cross-site', origin: 'https://hub.example' })).toBe(false);
    expect(posted({ 'sec-fetch-site': 'same-site' })).toBe(false);
  });
  test('else Origin: the public origin or the host it was reached at; another site is refused', () => {
    expect(posted({ origin: 'https://hub.example' })).toBe(true);
    expect(posted({ origin: 'http://127.0.0.1:4100' })).toBe(true);
    expect(posted({ origin: 'https://evil.example' })).toBe(false);
    expect(posted({ origin: 'null' })).toBe(false);
    expect(posted({})).toBe(true);
  });
});
