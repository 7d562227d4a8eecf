import type { IncomingMessage, ServerResponse } from 'node:http';
import { credentialPage } from './credential-page.js';
import { dashboardPage, dashboardSignIn, dashboardSignOut } from './dashboard-page.js';
import { achievementPage, homePage, issuerPage } from './directory-pages.js';
import { VisitorRateLimited } from './hub-client.js';
import { wantsHtml } from './negotiate.js';
import { sendMessagePage, type PageRequest, type PagesOptions } from './page-kit.js';
import { SCRIPT_ASSETS, STYLESHEET } from './render.js';
import { pathwayPage } from './pathway-page.js';
import { publishToLinkedInPage } from './publish-to-linkedin.js';
import { sharePage } from './share-page.js';
import { verifyPage } from './verify-page.js';

type PageHandler = (request: PageRequest) => Promise<void>;

interface PageRoute {
  pattern: RegExp;
  /** Pages that share their URL with a JSON route answer only when the visitor asks for HTML. */
  negotiated: boolean;
  handler: PageHandler;
}

const ROUTES: ReadonlyArray<PageRoute> = [
  { pattern: /^\/credentials\/([^/]+)$/, negotiated: true, handler: credentialPage },
  { pattern: /^\/credentials\/([^/]+)\/linkedin$/, negotiated: false, handler: publishToLinkedInPage },
  { pattern: /^\/verify$/, negotiated: false, handler: verifyPage },
  { pattern: /^\/$/, negotiated: true, handler: homePage },
  { pattern: /^\/issuers\/([^/]+)$/, negotiated: true, handler: issuerPage },
  { pattern: /^\/shares\/([^/]+)$/, negotiated: true, handler: sharePage },
  { pattern: /^\/achievements\/([^/]+)\/versions\/([^/]+)$/, negotiated: true, handler: achievementPage },
  { pattern: /^\/pathways\/([^/]+)$/, negotiated: true, handler: pathwayPage },
  { pattern: /^\/dashboard$/, negotiated: false, handler: dashboardPage },
  { pattern: /^\/dashboard\/sign-in$/, negotiated: false, handler: dashboardSignIn },
  { pattern: /^\/dashboard\/sign-out$/, negotiated: false, handler: dashboardSignOut },
];

/** The one stylesheet; pages name it by path, so a browser caches it once for every page. */
function sendAsset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

export type { PagesOptions };

/**
 * The human side of the hub's public URLs. Answers (and returns true) for the stylesheet, and for a page route when
 * the visitor asks for HTML; everything else (JSON, JWT, a path with no page) goes on to the REST routes unchanged.
 */
export function createPages(options: PagesOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/assets/cairn.css') {
        sendAsset(res, 'text/css', STYLESHEET);
        return true;
      }
      const asset = SCRIPT_ASSETS.get(path);
      if (asset) {
        sendAsset(res, asset.type, asset.body);
        return true;
      }
    }
    for (const route of ROUTES) {
      const match = route.pattern.exec(path);
      if (!match || (route.negotiated && !wantsHtml(req))) continue;
      let params: string[];
      try {
        params = match.slice(1).map((param) => decodeURIComponent(param));
      } catch {
        sendMessagePage({ res, options }, 400, 'Bad address', 'This address is not well formed.');
        return true;
      }
      try {
        await route.handler({ req, res, params, options });
      } catch (error) {
        // A bad or revoked API key is refused here as on every route, but as a page that says so.
        if ((error as { extensions?: { code?: string } }).extensions?.code === 'UNAUTHENTICATED') {
          sendMessagePage({ res, options }, 401, 'Your key was refused', (error as Error).message);
          return true;
        }
        if (error instanceof VisitorRateLimited) {
          res.setHeader('retry-after', String(error.retryAfterSeconds));
          sendMessagePage({ res, options }, 429, 'Too many requests', `This hub was asked for pages too often from your network. Please try again in ${error.retryAfterSeconds} s.`);
          return true;
        }
        options.log.error({ err: error, url: req.url }, 'page failed');
        if (!res.headersSent) sendMessagePage({ res, options }, 500, 'Something went wrong', 'This page could not be built just now. Please try again in a moment.');
      }
      return true;
    }
    return false;
  };
}
