import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';

/** Every machine-readable form the hub's routes answer; listed first, so an Accept of any type (curl, fetch) keeps getting JSON. */
const MACHINE_TYPES = ['application/json', 'application/ld+json', 'application/vc+ld+json', 'application/vp+ld+json', 'application/vc+jwt', 'application/did+json'];

/**
 * Whether a GET asks for a page: its Accept header prefers `text/html` to every JSON form (a browser's does), and it
 * does not name a format in the query (`?format=jwt` or `?format=json`, the page's own download links).
 */
export function wantsHtml(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (new URL(req.url ?? '/', 'http://hub').searchParams.has('format')) return false;
  return accepts(req).type([...MACHINE_TYPES, 'text/html']) === 'text/html';
}
