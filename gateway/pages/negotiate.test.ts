import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { wantsHtml } from './negotiate.js';

const request = (accept: string | undefined, url = '/credentials/1', method = 'GET') => ({ method, url, headers: accept === undefined ? {} : { accept } }) as IncomingMessage;
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('who gets a page', () => {
  test("a browser's Accept gets the page", () => {
    expect(wantsHtml(request(BROWSER))).toBe(true);
    expect(wantsHtml(request('text/html'))).toBe(true);
  });

  test('machines keep their JSON: no Accept, any type, a JSON type, or JSON preferred over HTML', () => {
    expect(wantsHtml(request(undefined))).toBe(false);
    expect(wantsHtml(request('*/*'))).toBe(false);
    expect(wantsHtml(request('application/vc+ld+json'))).toBe(false);
    expect(wantsHtml(request('application/json, text/html;q=0.5'))).toBe(false);
    expect(wantsHtml(request('application/vc+jwt'))).toBe(false);
  });

  test('a format in the query (the page\'s own download links) and any method but GET/HEAD never get a page', () => {
    expect(wantsHtml(request(BROWSER, '/credentials/1?format=jwt'))).toBe(false);
    expect(wantsHtml(request(BROWSER, '/credentials/1?format=json'))).toBe(false);
    expect(wantsHtml(request(BROWSER, '/credentials/1', 'POST'))).toBe(false);
    expect(wantsHtml(request(BROWSER, '/credentials/1', 'HEAD'))).toBe(true);
  });
});
