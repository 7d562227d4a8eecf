import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import MarkdownIt from 'markdown-it';

/**
 * `gateway/pages/` in the package, for a module at `moduleUrl`: tsc compiles this module to `dist/gateway/pages/`
 * but copies no templates or stylesheet, so from `dist/` we reach back to the source folder at the package root (as
 * `lib/crypto/bundled-files.ts` does for the JSON-LD contexts). The Docker image ships the folder next to `dist/`.
 */
export function pagesRootFor(moduleUrl: string): URL {
  return moduleUrl.includes('/dist/gateway/pages/') ? new URL('../../../gateway/pages/', moduleUrl) : new URL('./', moduleUrl);
}

const PAGES_ROOT = pagesRootFor(import.meta.url);

/**
 * Eta escapes every `<%= %>` by default; `<%~ %>` (raw) is used only for HTML this module produced itself: a
 * rendered page body inside the layout and criteria Markdown rendered with raw HTML disabled.
 */
const eta = new Eta({ views: fileURLToPath(new URL('templates/', PAGES_ROOT)), autoEscape: true, cache: true });

/** Raw HTML in Markdown stays text; markdown-it also refuses javascript:, vbscript: and data: links (validateLink). */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** Criteria and other issuer-written Markdown as safe HTML. */
export function renderMarkdown(source: string | null | undefined): string {
  return source ? markdown.render(source) : '';
}

/** The one stylesheet, read once. */
export const STYLESHEET = readFileSync(new URL('assets/cairn.css', PAGES_ROOT), 'utf8');

/** A file of an installed package, found from the package's own folder (graphql-ws exports no path to its browser build). */
const packageFile = (pkg: string, file: string) => join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), file);

/**
 * The dashboard's script, stylesheet and libraries, read once and served by the hub itself (no CDN): uPlot's browser
 * build and its stylesheet, graphql-ws's browser build, and the dashboard's own script.
 */
export const SCRIPT_ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['/assets/dashboard.js', { type: 'text/javascript', body: readFileSync(new URL('assets/dashboard.js', PAGES_ROOT), 'utf8') }],
  ['/assets/uplot.js', { type: 'text/javascript', body: readFileSync(packageFile('uplot', 'dist/uPlot.iife.min.js'), 'utf8') }],
  ['/assets/uplot.css', { type: 'text/css', body: readFileSync(packageFile('uplot', 'dist/uPlot.min.css'), 'utf8') }],
  ['/assets/graphql-ws.js', { type: 'text/javascript', body: readFileSync(packageFile('graphql-ws', 'umd/graphql-ws.min.js'), 'utf8') }],
]);

/**
 * No script runs on any page (every action is a link or a plain form), so scripts are refused outright; styles and
 * images come from this origin only (a foreign badge image is served through the hub or not shown), forms post only
 * here, and no other site may frame a page (a verdict banner must not be overlaid). A page whose form's answer sends
 * the browser on to another site names that origin (`formRedirects`): browsers hold a form's redirects to
 * `form-action` too.
 */
export function pageCsp(formRedirects: readonly string[] = []): string {
  const formAction = ["'self'", ...formRedirects].join(' ');
  return `default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`;
}

export const PAGE_CSP = pageCsp();

/**
 * The dashboard's policy, the one page that runs script: the same as every page's, except that scripts served by
 * this hub itself run (no inline script, no eval) and its graphql-ws connection goes back to this hub. See
 * docs/decisions.md ("The dashboard's script").
 */
export const DASHBOARD_CSP = PAGE_CSP.replace("script-src 'none'", "script-src 'self'; connect-src 'self'");

export interface PageMeta {
  title: string;
  description: string;
  /** The page's own absolute URL (Open Graph, canonical link). */
  url?: string;
  /** An absolute image URL for link previews. */
  image?: string;
  alternate?: { type: string; href: string };
  /** Stylesheets and scripts (deferred) of this hub beyond the one stylesheet: the dashboard's only. */
  styles?: string[];
  scripts?: string[];
}

export interface Site {
  hubName: string;
  graphiql: boolean;
}

/** Renders `template` with `data` inside the layout. */
export function renderPage(site: Site, template: string, data: object, meta: PageMeta): string {
  const body = eta.render(`./${template}`, data);
  return eta.render('./layout', { ...site, ...meta, body });
}

/** Sends a page with the security headers every page carries. */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}, csp = PAGE_CSP): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    vary: 'Accept',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : html);
}
